// Prints the tables of a load result (bench/results/load.json) as Markdown, the form
// docs/performance/load.md quotes. Usage: node bench/load/report.mjs FILE [engine] [--endpoints]
import fs from 'node:fs';

const [file, engineArgument] = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const all = JSON.parse(fs.readFileSync(file, 'utf8'));
const engines = engineArgument ? [engineArgument] : Object.keys(all);

const pair = (endpoint) => (endpoint ? `${Math.round(endpoint.p50_ms)} / ${Math.round(endpoint.p99_ms)}` : '–');

function stepTable(run) {
  const rows = [
    '| candidates | flows/s | flows | flow p50 / p90 s | ID portrait side p50 / p99 ms | emblem side | photo | send code | 503 retried | 503 without Retry-After | gave up after 20 × 503 | other errors | time-outs | server CPU ms/flow | others\' CPU s | load avg (1 min) | RSS max MB |',
    '|---:|---:|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const step of [...run.steps, run.drain]) {
    const e = step.endpoints;
    const other = step.errors.total_not_503 - step.errors.timeouts;
    rows.push(
      `| ${step.name === 'drain' ? 'drain' : step.concurrency} | ${step.name === 'drain' ? '–' : step.flows_per_second} | ${step.flows_completed} | ` +
        `${step.flow_seconds.p50} / ${step.flow_seconds.p90} | ${pair(e['PUT /me/id-card/portrait'])} | ${pair(e['PUT /me/id-card/emblem'])} | ` +
        `${pair(e['POST /me/photos'])} | ${pair(e['POST /auth/sms-code'])} | ${step.retries_after_503} | ${step.retry_after_missing} | ` +
        `${step.errors.gaveUp503} | ${other} | ${step.errors.timeouts} | ${step.server_cpu_ms_per_flow ?? '–'} | ${step.cpu_seconds.others} | ${step.load_average[0]} | ${step.rss_mb.max} |`,
    );
  }
  return rows.join('\n');
}

function endpointTable(step) {
  const rows = [
    `Per endpoint at ${step.concurrency} concurrent candidates (${step.seconds} s, ${step.flows_completed} flows):`,
    '',
    '| endpoint | count | p50 ms | p90 ms | p99 ms | max ms | statuses | server CPU ms per call (1 candidate only) |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const [label, endpoint] of Object.entries(step.endpoints)) {
    rows.push(`| ${label} | ${endpoint.count} | ${endpoint.p50_ms} | ${endpoint.p90_ms} | ${endpoint.p99_ms} | ${endpoint.max_ms} | ${JSON.stringify(endpoint.statuses)} | ${endpoint.server_cpu_ms_serial ?? ''} |`);
  }
  return rows.join('\n');
}

for (const engine of engines) {
  const entry = all[engine];
  if (!entry) continue;
  for (const kind of ['rising', 'overload', 'beyond_queue']) {
    const run = entry[kind];
    if (!run) continue;
    console.log(`\n### ${engine}, ${kind} (${run.date}, ${run.seconds_per_step} s per step; ${run.stop_reason})\n`);
    console.log(`Settings: ${JSON.stringify(run.server_settings)}\n`);
    console.log(stepTable(run));
    const codes = {};
    for (const step of [...run.steps, run.drain]) for (const [code, n] of Object.entries(step.codes_503 || {})) codes[code] = (codes[code] || 0) + n;
    console.log(`\n503 answers by error code: ${JSON.stringify(codes)}`);
    console.log(`\nMemory: ${run.memory_mb.after_ready} MB after ready, ${run.memory_mb.peak_rss_sampled} MB peak RSS (sampled every 0.5 s), VmHWM ${run.memory_mb.vm_hwm} MB. Server log: ${run.server_log.errors} errors, ${run.server_log.warnings} warnings ${JSON.stringify(run.server_log.events)}; flow failures logged: ${run.failures.length}.\n`);
    if (process.argv.includes('--endpoints')) {
      const best = run.steps.reduce((a, b) => (b.flows_per_second > a.flows_per_second ? b : a));
      if (run.steps[0].concurrency === 1 && run.steps[0] !== best) console.log(endpointTable(run.steps[0]) + '\n');
      console.log(endpointTable(best) + '\n');
      const last = run.steps[run.steps.length - 1];
      if (last !== best) console.log(endpointTable(last) + '\n');
    }
  }
}
