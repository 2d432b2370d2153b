// The load test of issue 8 item 4: whole candidate flows with real images against one
// `examphoto serve` on loopback, at rising concurrency. Each simulated candidate does what
// the web app (web/src/lib/api.js, web/src/views) does, request for request:
//   app-config → send code → (dev outbox) → login → /me → ID card portrait side → emblem side
//   → 确认无误 → portrait photo → its finished ID photo (result screen) → 提交照片 → the photo
//   again (consent screen) → 同意并提交 → /me every 2 s (WaitingView) until verified.
// Between two flows the identity is reset by the office API (a harness step, reported apart),
// so a pool of pre-generated cards (bench/load/prepare.mjs) serves any number of flows.
//
// Concurrency rises in steps without a pause (the candidates of the previous step keep
// going), so each step starts warm. Requests count in the step in which they end; flows per
// second count the flows that ended after the first third of the step.
//
// Like the app, a 503 is retried after its Retry-After (counted; a 503 without one is a
// violation); time-outs are the app's: 30 s, 120 s for uploads.
//
// Usage: node bench/load/load.mjs --bin EXAMPHOTO --pool DIR --out FILE [--label NAME]
//   [--steps 1,2,4,8,16,32,64] [--seconds 60] [--database URL] [--env KEY=VALUE]...
//   [--stop-when-flat] [--max-retries 20] [--keep-data]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STAFF_USER = 'loadtest';
const STAFF_PASSWORD = 'load-Test-Password-2026';
const POLL_MS = 2000; // web/src/views/WaitingView.vue
const LIGHT_TIMEOUT_MS = 30000; // web/src/lib/api.js
const UPLOAD_TIMEOUT_MS = 120000;
const VERIFICATION_PATIENCE_MS = 300000;
const HARNESS = ' (harness)';

// The per-address and per-phone limits of the SMS login are lifted: every simulated
// candidate comes from 127.0.0.1 (in production they come from thousands of addresses), and
// each pool identity logs in again for every flow it plays.
const LIFTED_LIMITS = {
  EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '0',
  EXAMPHOTO_LOGIN_CODES_PER_PHONE_PER_DAY: '1000000',
  EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR: '100000000',
  EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE: '100000000',
};

function parseArguments(argv) {
  const options = { steps: '1,2,4,8,16,32,64', seconds: '60', label: 'load', env: [], 'max-retries': '20' };
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'stop-when-flat' || key === 'keep-data') options[key] = true;
    else if (key === 'env') options.env.push(argv[++i]);
    else options[key] = argv[++i];
  }
  for (const required of ['bin', 'pool', 'out']) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  options.steps = options.steps.split(',').map(Number);
  options.seconds = Number(options.seconds);
  options.maxRetries = Number(options['max-retries']);
  options.extraEnv = Object.fromEntries(options.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  return options;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

// ---------------------------------------------------------------- the server under test

function serverEnvironment(dataDir, extraEnv) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('EXAMPHOTO_')) env[key] = value; // the shell's settings stay out
  }
  return { ...env, EXAMPHOTO_DATA_DIR: dataDir, EXAMPHOTO_WEB_ROOT: path.join(dataDir, 'no-web'), ...LIFTED_LIMITS, ...extraEnv };
}

async function startServer(options, identities) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'examphoto-load-'));
  const env = serverEnvironment(dataDir, options.extraEnv);
  const databaseArgs = ['--data-dir', dataDir, ...(options.database ? ['--database', options.database] : [])];
  const lines = ['报名号,姓名,身份证号,手机号,考试批次'].concat(
    identities.map((identity) => [identity.registration_no, identity.name, identity.id_number, identity.phone, '2026-10'].join(',')),
  );
  fs.writeFileSync(path.join(dataDir, 'roster.csv'), lines.join('\n') + '\n');
  execFileSync(options.bin, ['roster', 'import', path.join(dataDir, 'roster.csv'), ...databaseArgs], { env, cwd: REPO, stdio: 'pipe' });
  execFileSync(options.bin, ['admin', 'create', '--username', STAFF_USER, '--role', 'operator', ...databaseArgs], {
    env: { ...env, EXAMPHOTO_ADMIN_PASSWORD: STAFF_PASSWORD },
    cwd: REPO,
    stdio: 'pipe',
  });
  const logPath = path.join(dataDir, 'server.log');
  const log = fs.createWriteStream(logPath);
  const child = spawn(options.bin, ['serve', '--listen', '127.0.0.1:0', '--dev', ...databaseArgs], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let head = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log.write(chunk);
      if (head.length < 65536) {
        head += chunk.toString();
        const match = /server\.listening address=http:\/\/[^:\s]+:(\d+)/.exec(head) || /serving on http:\/\/[^:]+:(\d+)\//.exec(head);
        if (match) resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${head}`)));
    setTimeout(() => reject(new Error(`server did not listen:\n${head}`)), 30000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300000; // /readyz waits for the image models
  for (;;) {
    const response = await fetch(baseUrl + '/readyz').catch(() => null);
    if (response?.status === 200) break;
    if (Date.now() > deadline) throw new Error('server not ready in 300 s');
    await sleep(200);
  }
  return {
    baseUrl,
    pid: child.pid,
    dataDir,
    logPath,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      const result = await exited;
      log.end();
      return result;
    },
  };
}

// ---------------------------------------------------------------- measurements

function newBucket(name, concurrency) {
  return {
    name,
    concurrency,
    started: now(),
    ended: null,
    endpoints: new Map(), // label -> { latencies: [], statuses: {} }
    flowEnds: [], // { at, seconds, waitSeconds }
    flowFailures: {},
    errors: { http: {}, timeouts: 0, network: 0, gaveUp503: 0 },
    retries503: 0,
    retryAfterMissing: 0,
    codes503: {},
    rss: [],
    cpuStart: null,
  };
}

let current = null;
// With one candidate, requests never overlap: the server's CPU time across each request is that
// request's (10 ms resolution), and across the wait the verification job's.
let serverPid = null;
const probing = () => current && current.concurrency === 1 && serverPid !== null;

function endpointOf(label) {
  if (!current.endpoints.has(label)) current.endpoints.set(label, { latencies: [], statuses: {}, cpuSeconds: 0, cpuSamples: 0 });
  return current.endpoints.get(label);
}

function percentile(sorted, fraction) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

const round = (value, digits = 1) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));

function readServerCpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (USER_HZ = 100)
}

function readMachineBusySeconds() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  return (fields.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
}

function cpuSnapshot(pid) {
  const client = process.cpuUsage();
  return { server: readServerCpuSeconds(pid), machine: readMachineBusySeconds(), client: (client.user + client.system) / 1e6 };
}

function readMemory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const value = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)[1]) / 1024;
  return { rss: value('VmRSS'), hwm: value('VmHWM') };
}

function summarize(bucket, seconds, pid) {
  const cpuEnd = cpuSnapshot(pid);
  const cpu = {
    server: cpuEnd.server - bucket.cpuStart.server,
    client: cpuEnd.client - bucket.cpuStart.client,
    machine: cpuEnd.machine - bucket.cpuStart.machine,
  };
  const elapsed = (bucket.ended - bucket.started) / 1000;
  const measuredFrom = bucket.started + (elapsed * 1000) / 3;
  const measured = bucket.flowEnds.filter((flow) => flow.at >= measuredFrom);
  const durations = bucket.flowEnds.map((flow) => flow.seconds).sort((a, b) => a - b);
  const waits = bucket.flowEnds.map((flow) => flow.waitSeconds).sort((a, b) => a - b);
  const endpoints = {};
  for (const [label, data] of [...bucket.endpoints].sort()) {
    const sorted = data.latencies.sort((a, b) => a - b);
    endpoints[label] = {
      count: sorted.length,
      p50_ms: round(percentile(sorted, 0.5)),
      p90_ms: round(percentile(sorted, 0.9)),
      p99_ms: round(percentile(sorted, 0.99)),
      max_ms: round(sorted[sorted.length - 1] ?? null),
      statuses: data.statuses,
      ...(data.cpuSamples ? { server_cpu_ms_serial: Math.round((data.cpuSeconds * 1000) / data.cpuSamples) } : {}),
    };
  }
  const nonRetryErrors = Object.values(bucket.errors.http).reduce((a, b) => a + b, 0) + bucket.errors.timeouts + bucket.errors.network;
  const rss = bucket.rss.map((sample) => sample.rss);
  return {
    name: bucket.name,
    concurrency: bucket.concurrency,
    seconds: round(elapsed),
    flows_completed: bucket.flowEnds.length,
    flows_per_second: round(measured.length / ((bucket.ended - measuredFrom) / 1000), 2),
    flow_seconds: { p50: round(percentile(durations, 0.5)), p90: round(percentile(durations, 0.9)), max: round(durations[durations.length - 1] ?? null) },
    verification_wait_seconds: { p50: round(percentile(waits, 0.5)), p90: round(percentile(waits, 0.9)) },
    flows_failed: bucket.flowFailures,
    errors: { ...bucket.errors, total_not_503: nonRetryErrors },
    retries_after_503: bucket.retries503,
    retry_after_missing: bucket.retryAfterMissing,
    codes_503: bucket.codes503,
    endpoints,
    cpu_seconds: { server: round(cpu.server), client: round(cpu.client), others: round(Math.max(0, cpu.machine - cpu.server - cpu.client)) },
    server_cpu_ms_per_flow: bucket.flowEnds.length ? Math.round((cpu.server * 1000) / bucket.flowEnds.length) : null,
    server_cpu_cores_busy: round(cpu.server / elapsed, 2),
    load_average: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    rss_mb: { max: round(rss.length ? Math.max(...rss) : null), mean: round(rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length : null) },
  };
}

// ---------------------------------------------------------------- the client

class FlowError extends Error {
  constructor(kind, detail) {
    super(`${kind}: ${detail}`);
    this.kind = kind;
  }
}

class Client {
  constructor(baseUrl, maxRetries) {
    this.baseUrl = baseUrl;
    this.maxRetries = maxRetries;
  }

  // One API call as the app makes it: 503 + Retry-After waits and sends again.
  async call(label, method, pathname, { json, body, contentType, token, timeoutMs = LIGHT_TIMEOUT_MS, binary = false } = {}) {
    for (let attempt = 0; ; attempt += 1) {
      const headers = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      let payload;
      if (json !== undefined) {
        headers['content-type'] = 'application/json; charset=utf-8';
        payload = JSON.stringify(json);
      } else if (body !== undefined) {
        headers['content-type'] = contentType;
        payload = body;
      }
      const cpuBefore = probing() ? readServerCpuSeconds(serverPid) : null;
      const started = now();
      let response;
      let bytes;
      try {
        response = await fetch(this.baseUrl + pathname, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
        bytes = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
        const endpoint = endpointOf(label);
        const key = timedOut ? 'timeout' : 'network';
        endpoint.statuses[key] = (endpoint.statuses[key] || 0) + 1;
        if (timedOut) current.errors.timeouts += 1;
        else current.errors.network += 1;
        throw new FlowError(key, `${label}: ${error.cause?.code || error.message}`);
      }
      const elapsed = now() - started;
      const endpoint = endpointOf(label);
      endpoint.statuses[response.status] = (endpoint.statuses[response.status] || 0) + 1;
      if (response.status === 503) {
        const retryAfter = Number.parseInt(response.headers.get('retry-after') || '', 10);
        if (!(retryAfter > 0)) current.retryAfterMissing += 1;
        // service.overloaded (the photo queue is full) or service.unavailable (the database)
        let code = 'unreadable';
        try {
          code = JSON.parse(bytes.toString('utf8')).error.code;
        } catch (e) {
          // counted as unreadable
        }
        current.codes503[code] = (current.codes503[code] || 0) + 1;
        if (attempt >= this.maxRetries) {
          current.errors.gaveUp503 += 1;
          throw new FlowError('gave_up_503', label);
        }
        current.retries503 += 1;
        await sleep((retryAfter > 0 ? retryAfter : 5) * 1000);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        current.errors.http[response.status] = (current.errors.http[response.status] || 0) + 1;
        throw new FlowError(`http_${response.status}`, `${label}: ${bytes.toString('utf8').slice(0, 300)}`);
      }
      endpoint.latencies.push(elapsed);
      if (cpuBefore !== null && probing()) {
        endpoint.cpuSeconds += readServerCpuSeconds(serverPid) - cpuBefore;
        endpoint.cpuSamples += 1;
      }
      if (binary || !bytes.length) return bytes;
      return JSON.parse(bytes.toString('utf8'));
    }
  }
}

function expectState(answer, expected, step) {
  if (answer.state !== expected) throw new FlowError('unexpected_state', `${step}: ${answer.state} (expected ${expected})`);
}

// The whole candidate flow; returns { seconds, waitSeconds }.
async function candidateFlow(client, identity, agreements) {
  const started = now();
  await client.call('GET /app-config', 'GET', '/api/v1/app-config');
  await client.call('POST /auth/sms-code', 'POST', '/api/v1/auth/sms-code', { json: { phone: identity.phone } });
  const outbox = await client.call('GET /dev/sms-outbox' + HARNESS, 'GET', `/api/v1/dev/sms-outbox?phone=${identity.phone}`);
  const messages = outbox.messages || [];
  if (!messages.length) throw new FlowError('no_sms', identity.phone);
  // The newest code: the outbox lists the newest first (src/sms/sms_gateway.cc); a pool
  // identity has one message per flow it played.
  const code = messages.reduce((newest, message) => (message.sent_at > newest.sent_at ? message : newest)).code;
  const login = await client.call('POST /auth/login', 'POST', '/api/v1/auth/login', { json: { phone: identity.phone, code, agreements } });
  const token = login.token;
  const me = await client.call('GET /me', 'GET', '/api/v1/me', { token });
  expectState(me, 'id_card_pending', 'after login');
  const upload = { token, contentType: 'image/jpeg', timeoutMs: UPLOAD_TIMEOUT_MS };
  await client.call('PUT /me/id-card/portrait', 'PUT', '/api/v1/me/id-card/portrait', { ...upload, body: identity.images.portrait });
  const emblem = await client.call('PUT /me/id-card/emblem', 'PUT', '/api/v1/me/id-card/emblem', { ...upload, body: identity.images.emblem });
  expectState(emblem, 'id_card_uploaded', 'after both sides');
  const confirmed = await client.call('POST /me/id-card/confirm', 'POST', '/api/v1/me/id-card/confirm', { token });
  expectState(confirmed, 'identity_confirmed', 'after 确认无误');
  const photo = await client.call('POST /me/photos', 'POST', '/api/v1/me/photos', { ...upload, body: identity.images.photo });
  if (!photo.pass) throw new FlowError('photo_rejected', JSON.stringify(photo.issues));
  const imagePath = photo.url || (photo.photo && photo.photo.url);
  await client.call('GET /me/photos/{id}/image', 'GET', imagePath, { token, binary: true });
  const submitted = await client.call('POST /me/photo/submit', 'POST', '/api/v1/me/photo/submit', { token });
  expectState(submitted, 'awaiting_consent', 'after 提交照片');
  await client.call('GET /me/photos/{id}/image', 'GET', imagePath, { token, binary: true });
  const consented = await client.call('POST /me/verification', 'POST', '/api/v1/me/verification', { token, json: { consent: true } });
  const waitStarted = now();
  const cpuBeforeWait = probing() ? readServerCpuSeconds(serverPid) : null;
  let state = consented.state;
  while (state === 'verifying') {
    if (now() - waitStarted > VERIFICATION_PATIENCE_MS) throw new FlowError('verification_never_ended', identity.phone);
    await sleep(POLL_MS);
    state = (await client.call('GET /me (waiting, every 2 s)', 'GET', '/api/v1/me', { token })).state;
  }
  if (state !== 'verified') throw new FlowError('not_verified', state);
  if (cpuBeforeWait !== null && probing()) {
    const job = endpointOf('verification job (server CPU while waiting)');
    job.cpuSeconds += readServerCpuSeconds(serverPid) - cpuBeforeWait;
    job.cpuSamples += 1;
  }
  return { seconds: (now() - started) / 1000, waitSeconds: (now() - waitStarted) / 1000 };
}

// ---------------------------------------------------------------- the run

async function staffSetup(client, identities) {
  const login = await client.call('POST /office/auth/login' + HARNESS, 'POST', '/api/v1/office/auth/login', { json: { username: STAFF_USER, password: STAFF_PASSWORD } });
  const byPhone = new Map(identities.map((identity) => [identity.phone, identity]));
  let after = '';
  for (;;) {
    const page = await client.call('GET /office/candidates' + HARNESS, 'GET', `/api/v1/office/candidates?q=LOAD&limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`, { token: login.token });
    for (const item of page.items) if (byPhone.has(item.phone)) byPhone.get(item.phone).candidateId = item.id;
    if (!page.next) break;
    after = page.next;
  }
  const missing = identities.filter((identity) => !identity.candidateId);
  if (missing.length) throw new Error(`${missing.length} roster rows not found by the office search`);
  return login.token;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const pool = JSON.parse(fs.readFileSync(path.join(options.pool, 'pool.json'), 'utf8'));
  const identities = pool.identities;
  const maxConcurrency = Math.max(...options.steps);
  if (identities.length < maxConcurrency) throw new Error(`the pool has ${identities.length} identities; ${maxConcurrency} concurrent candidates need as many`);
  const imageCache = new Map();
  const load = (file) => {
    if (!imageCache.has(file)) imageCache.set(file, fs.readFileSync(file));
    return imageCache.get(file);
  };
  for (const identity of identities) {
    identity.images = { portrait: load(identity.portrait_card), emblem: load(identity.emblem_card), photo: load(identity.photo) };
  }

  const server = await startServer(options, identities);
  serverPid = server.pid;
  console.error(`[${options.label}] server pid ${server.pid} at ${server.baseUrl}; data in ${server.dataDir}`);
  const client = new Client(server.baseUrl, options.maxRetries);
  current = newBucket('setup', 0);
  const idleMemory = readMemory(server.pid);
  const staffToken = await staffSetup(client, identities);
  const appConfig = await client.call('GET /app-config', 'GET', '/api/v1/app-config');
  const agreements = { user: appConfig.agreements.user.version, privacy: appConfig.agreements.privacy.version };

  const free = [...identities];
  const runStarted = now();
  const samples = [];
  const sampler = setInterval(() => {
    try {
      const memory = readMemory(server.pid);
      const sample = { t: round((now() - runStarted) / 1000), rss: round(memory.rss), hwm: round(memory.hwm) };
      samples.push(sample);
      if (current) current.rss.push(sample);
    } catch (e) {
      // the server has exited; the run notices by itself
    }
  }, 500);

  let target = 0;
  let stopping = false;
  const workers = [];
  const failureLog = [];
  async function worker(index) {
    while (!stopping && index < target) {
      const identity = free.shift();
      if (!identity) throw new Error('identity pool exhausted');
      try {
        const result = await candidateFlow(client, identity, agreements);
        current.flowEnds.push({ at: now(), ...result });
      } catch (error) {
        if (!(error instanceof FlowError)) throw error;
        current.flowFailures[error.kind] = (current.flowFailures[error.kind] || 0) + 1;
        if (failureLog.length < 50) failureLog.push({ step: current.name, error: error.message });
        // A person reads the message before trying again; and a failure that repeats at once
        // must not turn the run into a tight loop of failing requests.
        await sleep(2000);
      }
      try {
        await client.call('POST /office/candidates/{id}/reset' + HARNESS, 'POST', `/api/v1/office/candidates/${identity.candidateId}/reset`, {
          token: staffToken,
          json: { to: 'id_card_pending', reason: 'load test: the next flow' },
        });
        free.push(identity);
      } catch (error) {
        if (!(error instanceof FlowError)) throw error;
        if (failureLog.length < 50) failureLog.push({ step: current.name, error: 'reset: ' + error.message });
        // the identity is retired: its state is unknown
      }
    }
  }

  const steps = [];
  let stopReason = 'all steps done';
  let best = 0;
  let flatSteps = 0;
  for (const concurrency of options.steps) {
    const bucket = newBucket(`c${concurrency}`, concurrency);
    bucket.cpuStart = cpuSnapshot(server.pid);
    current = bucket;
    target = concurrency;
    for (let index = workers.length; index < concurrency; index += 1) workers.push(worker(index));
    await sleep(options.seconds * 1000);
    bucket.ended = now();
    const summary = summarize(bucket, options.seconds, server.pid);
    steps.push(summary);
    printStep(options.label, summary);
    if (options['stop-when-flat']) {
      if (summary.errors.total_not_503 > 0 || summary.errors.gaveUp503 > 0) {
        stopReason = `errors other than 503 at ${concurrency} concurrent candidates`;
        break;
      }
      if (summary.flows_per_second > best * 1.05) {
        best = summary.flows_per_second;
        flatSteps = 0;
      } else if (++flatSteps >= 2) {
        stopReason = `throughput flat for two steps (best ${best} flows/s)`;
        break;
      }
    }
  }

  // Drain: no new flows; the ones under way finish (their requests are reported apart).
  const drain = newBucket('drain', 0);
  drain.cpuStart = cpuSnapshot(server.pid);
  current = drain;
  stopping = true;
  await Promise.all(workers);
  drain.ended = now();
  const drainSummary = summarize(drain, 0, server.pid);
  clearInterval(sampler);
  const finalMemory = readMemory(server.pid);
  const exit = await server.stop();
  const peak = samples.reduce((max, sample) => Math.max(max, sample.rss), 0);
  const serverLog = scanLog(server.logPath);
  if (!options['keep-data']) fs.rmSync(server.dataDir, { recursive: true, force: true });

  const result = {
    label: options.label,
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0].model}`,
    database: options.database ? options.database.replace(/\/\/[^@]*@/, '//') : 'sqlite (data dir)',
    server_settings: { ...LIFTED_LIMITS, ...options.extraEnv },
    seconds_per_step: options.seconds,
    pool: { identities: identities.length, average_bytes: pool.average_bytes },
    stop_reason: stopReason,
    steps,
    drain: drainSummary,
    memory_mb: { after_ready: round(idleMemory.rss), peak_rss_sampled: round(peak), vm_hwm: round(finalMemory.hwm) },
    memory_timeline: samples.filter((_, index) => index % 4 === 0).map((sample) => [sample.t, sample.rss]),
    server_exit: exit,
    server_log: serverLog,
    failures: failureLog,
  };
  fs.writeFileSync(options.out, JSON.stringify(result, null, 1) + '\n');
  console.error(`[${options.label}] ${stopReason}; peak RSS ${round(peak)} MB; server exit ${JSON.stringify(exit)}; server log: ${serverLog.errors} errors, ${serverLog.warnings} warnings`);
}

// What the server logged besides the access lines: errors and warnings, counted by event.
function scanLog(logPath) {
  const summary = { errors: 0, warnings: 0, events: {}, first: [] };
  for (const line of fs.readFileSync(logPath, 'utf8').split('\n')) {
    const level = / level=(error|critical|warning|warn) /.exec(line);
    if (!level) continue;
    if (level[1] === 'warning' || level[1] === 'warn') summary.warnings += 1;
    else summary.errors += 1;
    const event = (/ level=\w+ (\S+)/.exec(line) || [])[1] || '?';
    summary.events[event] = (summary.events[event] || 0) + 1;
    if (summary.first.length < 10 && event !== 'web.missing') summary.first.push(line.slice(0, 400));
  }
  return summary;
}

function printStep(label, step) {
  const heavy = ['PUT /me/id-card/portrait', 'PUT /me/id-card/emblem', 'POST /me/photos'];
  const latency = heavy.map((name) => {
    const endpoint = step.endpoints[name];
    return endpoint ? `${Math.round(endpoint.p50_ms)}/${Math.round(endpoint.p99_ms)}` : '-';
  });
  console.error(
    `[${label}] c=${String(step.concurrency).padStart(3)} flows/s=${String(step.flows_per_second).padStart(5)} done=${String(step.flows_completed).padStart(4)} ` +
      `flow p50=${step.flow_seconds.p50}s portrait/emblem/photo p50/p99 ms=${latency.join(' ')} ` +
      `503=${step.retries_after_503} errors=${step.errors.total_not_503} failed=${JSON.stringify(step.flows_failed)} ` +
      `cpu ms/flow=${step.server_cpu_ms_per_flow} others=${step.cpu_seconds.others}s rss=${step.rss_mb.max}MB load=${step.load_average[0]}`,
  );
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
