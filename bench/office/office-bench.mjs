// Office console benchmark: candidate search at N candidates (default 200,000) on SQLite and,
// when EXAMPHOTO_BENCH_PG_ADMIN_URL is set, PostgreSQL — median and p95 per page for each kind
// of query, deep keyset pages included — plus the dashboard and the photo export's
// throughput (photos/s). Through the real server over HTTP (keep-alive), as the console
// calls it. Writes bench/results/office.json.
//
//   node bench/office/office-bench.mjs [candidates] [photos]
//   EXAMPHOTO_BIN=build/src/app/examphoto EXAMPHOTO_BENCH_PG_ADMIN_URL=postgresql://postgres@127.0.0.1:55433/postgres \
//     node bench/office/office-bench.mjs 200000 2000
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.resolve(repo, process.env.EXAMPHOTO_BIN || 'build/src/app/examphoto');
const count = Number(process.argv[2] || 200000);
const photos = Number(process.argv[3] || 2000);
const photoBytes = 25 * 1024; // a bj-zikao photo is 20-200 KB
const pgAdmin = process.env.EXAMPHOTO_BENCH_PG_ADMIN_URL || '';
const PASSWORD = 'bench-Password-1234';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function p95(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}
const round = (v) => Math.round(v * 100) / 100;

async function sql(engine, url, statement) {
  if (engine === 'sqlite') return run('sqlite3', ['-bail', url.slice('sqlite:'.length), statement], { maxBuffer: 1 << 26 });
  return run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', statement], { maxBuffer: 1 << 26 });
}

async function prepare(engine) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `office-bench-${engine}-`));
  let url = `sqlite:${path.join(dataDir, 'examphoto.db')}`;
  let dropDatabase = async () => {};
  if (engine === 'postgres') {
    const name = `office_bench_${process.pid}`;
    await run('psql', ['-X', '-q', pgAdmin, '-c', `CREATE DATABASE ${name}`]);
    const u = new URL(pgAdmin);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDatabase = () => run('psql', ['-X', '-q', pgAdmin, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  }
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EXAMPHOTO_'))),
    EXAMPHOTO_DATA_DIR: dataDir,
    EXAMPHOTO_DATABASE_URL: url,
    EXAMPHOTO_MODELS_PRELOAD: 'false',
    EXAMPHOTO_HTTP_ACCESS_LOG: 'false',
    EXAMPHOTO_WEB_ROOT: path.join(dataDir, 'none'),
    EXAMPHOTO_WEB_OFFICE_ROOT: path.join(dataDir, 'none'),
  };
  const roster = path.join(dataDir, 'roster.csv');
  const made = await run('node', [path.join(repo, 'bench/http/make-roster.mjs'), String(count)], { maxBuffer: 1 << 30 });
  fs.writeFileSync(roster, made.stdout);
  let started = performance.now();
  await run(binary, ['roster', 'import', roster, '--database', url, '--data-dir', dataDir], { env, maxBuffer: 1 << 26 });
  const importSeconds = (performance.now() - started) / 1000;

  // Six in ten candidates have started: states by id, 10 % verified, 10 % mismatched, 10 %
  // rejected photos, the rest at the ID card step. `photos` verified candidates get a photo
  // blob (what the export reads); rejected ones get a failed attempt with two reasons.
  const now = Date.now();
  await sql(engine, url, `INSERT INTO collections (candidate_id, state, version, updated_at)
    SELECT id, CASE id % 10 WHEN 0 THEN 'verified' WHEN 1 THEN 'identity_mismatch' WHEN 2 THEN 'photo_rejected'
      ELSE 'id_card_pending' END, 1, ${now} FROM candidates WHERE id % 10 < 6`);
  await sql(engine, url, `INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key)
    SELECT id, ${now} - (id % 14) * 86400000, 0, '[{"code":"photo.too_dark"},{"code":"photo.face_not_centred"}]', 'u', NULL
    FROM candidates WHERE id % 10 = 2`);
  await sql(engine, url, `INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key)
    SELECT id, ${now}, 1, '[]', 'photo/b' || id, 'photo/b' || id FROM candidates WHERE id % 10 = 0 AND id <= ${photos * 10}`);
  await sql(engine, url, `UPDATE collections SET photo_attempt_id = (SELECT p.id FROM photo_attempts p
    WHERE p.candidate_id = collections.candidate_id AND p.passed = 1) WHERE state = 'verified' AND candidate_id <= ${photos * 10}`);
  await sql(engine, url, 'ANALYZE');
  fs.mkdirSync(path.join(dataDir, 'blobs', 'photo'), { recursive: true });
  const blob = randomBytes(photoBytes);
  for (let id = 10; id <= photos * 10; id += 10) {
    blob.writeUInt32LE(id, 0);
    fs.writeFileSync(path.join(dataDir, 'blobs', 'photo', `b${id}`), blob);
  }
  await run(binary, ['admin', 'create', '--username', 'bench', '--role', 'admin', '--database', url, '--data-dir', dataDir], {
    env: { ...env, EXAMPHOTO_ADMIN_PASSWORD: PASSWORD },
  });
  return { dataDir, url, env, importSeconds, dropDatabase };
}

async function startServer({ dataDir, url, env }) {
  const server = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--database', url, '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk;
      const match = /serving on http:\/\/[^:]+:(\d+)\//.exec(log);
      if (match) resolve(Number(match[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', () => reject(new Error(`server exited:\n${log}`)));
  });
  return { server, base: `http://127.0.0.1:${port}` };
}

async function measure(engine) {
  const prepared = await prepare(engine);
  const { server, base } = await startServer(prepared);
  try {
    const login = await (await fetch(`${base}/api/v1/office/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: PASSWORD }),
    })).json();
    const headers = { authorization: `Bearer ${login.token}` };
    const get = async (pathname) => {
      const started = performance.now();
      const response = await fetch(base + pathname, { headers });
      const body = await response.json();
      if (!response.ok) throw new Error(`${pathname}: ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, body };
    };
    const kinds = {};
    const time = async (kind, pathname) => {
      const { ms, body } = await get(pathname);
      (kinds[kind] ||= []).push(ms);
      return body;
    };
    // Warm the caches the way a working day does.
    for (let i = 0; i < 5; i += 1) await get('/api/v1/office/candidates?limit=50');

    // Walk 200 pages of 50 from the start (10,000 rows), then 50 pages starting deep in.
    let after = '';
    for (let page = 0; page < 200; page += 1) {
      const body = await time('all, walk 200 pages of 50', `/api/v1/office/candidates?limit=50${after ? `&after=${after}` : ''}`);
      after = body.next;
    }
    for (let i = 0; i < 100; i += 1) {
      const n = Math.floor(Math.random() * count);
      await time('phone, exact', `/api/v1/office/candidates?q=138${String(n).padStart(8, '0')}`);
      await time('registration number, prefix', `/api/v1/office/candidates?q=B${String(n).padStart(8, '0').slice(0, 6)}&limit=50`);
      await time('name, prefix (考生12…)', `/api/v1/office/candidates?q=${encodeURIComponent(`考生${n}`.slice(0, 4))}&limit=50`);
    }
    const ids = await get(`/api/v1/office/candidates?q=${encodeURIComponent('考生7')}&limit=100`);
    for (const item of ids.body.items) await time('ID number, exact', `/api/v1/office/candidates?q=${item.id_number}`);
    for (const state of ['verified', 'identity_mismatch', 'not_started']) {
      after = '';
      for (let page = 0; page < 50; page += 1) {
        const body = await time(`state=${state}, walk 50 pages`, `/api/v1/office/candidates?state=${state}&limit=50${after ? `&after=${after}` : ''}`);
        after = body.next;
      }
    }
    // Name prefix matching ~110,000 rows, walked 50 pages deep.
    after = '';
    for (let page = 0; page < 50; page += 1) {
      const body = await time('name prefix 考生1 (~55 % of roster), walk 50 pages', `/api/v1/office/candidates?q=${encodeURIComponent('考生1')}&limit=50${after ? `&after=${after}` : ''}`);
      after = body.next;
    }
    for (let i = 0; i < 5; i += 1) await time('dashboard (14 days)', '/api/v1/office/dashboard?days=14');

    const searches = {};
    for (const [kind, values] of Object.entries(kinds)) {
      searches[kind] = { requests: values.length, median_ms: round(median(values)), p95_ms: round(p95(values)) };
    }
    // The export: every verified candidate with a photo, as one ZIP.
    const started = performance.now();
    const response = await fetch(`${base}/api/v1/office/exports/photos.zip?key=id_number`, { headers });
    const archive = Buffer.from(await response.arrayBuffer());
    const seconds = (performance.now() - started) / 1000;
    // Entries from the end of central directory record (classic; ZIP64's when it says 0xffff).
    const eocd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let exported = archive.readUInt16LE(eocd + 10);
    if (exported === 0xffff) exported = Number(archive.readBigUInt64LE(Number(archive.readBigUInt64LE(eocd - 12)) + 32));
    const rss = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1];
    return {
      engine, candidates: count, roster_import_seconds: round(prepared.importSeconds), searches,
      export: { photos: exported, photo_bytes: photoBytes, zip_bytes: archive.length, seconds: round(seconds),
        photos_per_second: Math.round(exported / seconds), megabytes_per_second: round(archive.length / seconds / 1e6) },
      server_peak_rss_mb: Math.round(Number(rss) / 1024),
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.on('exit', resolve));
    await prepared.dropDatabase();
    fs.rmSync(prepared.dataDir, { recursive: true, force: true });
  }
}

const results = [];
for (const engine of pgAdmin ? ['sqlite', 'postgres'] : ['sqlite']) {
  console.error(`office-bench: ${engine}, ${count} candidates, ${photos} photos…`);
  const result = await measure(engine);
  console.error(JSON.stringify(result, null, 2));
  results.push(result);
}
const out = {
  command: `node bench/office/office-bench.mjs ${count} ${photos}`,
  machine: `${os.cpus().length} cores, ${os.cpus()[0].model}`,
  date: new Date().toISOString(),
  results,
};
fs.mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(repo, 'bench/results/office.json'), JSON.stringify(out, null, 2) + '\n');
console.error('wrote bench/results/office.json');
