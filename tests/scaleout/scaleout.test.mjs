// Two examphoto instances on one PostgreSQL database behind nginx (tests/scaleout/run.sh):
// sessions, rate limits, blobs and the verification job queue are shared, so a candidate
// may land on either instance for any request and nothing is counted, stored or run once
// per instance instead of once. Each limit is pushed over by alternating instance A, B
// (directly) and nginx; nginx passes the instances' 503 + Retry-After through, routes GETs
// around a dead instance and never resends a POST that reached one.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { candidates, toCsv } from '../e2e/lib/roster.mjs';
import { binary, repoRoot, STAFF_PASSWORD } from '../e2e/lib/server.mjs';
import { avoidWindowEdge } from '../e2e/lib/time.mjs';
import { startIdentityPlatform } from '../e2e/standins/identity-platform.mjs';
import {
  Instance, count, killAll, latestCode, newAddress, psql, query, request, runCli, settings,
  sharedEnvironment, sleep, upstreamPort,
} from './lib/cluster.mjs';

const MAX_QUEUED_HEAVY = 6;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const PLATFORM_SECRET = 'scaleout-platform-secret';
const JOBS = 40;
const people = candidates(JOBS + 30, { seed: 83 });
const jobPeople = people.slice(0, JOBS);
let spare = JOBS;  // the next unused roster row
const nextPerson = () => people[spare++];
// Phones that are valid but not in the roster (for the per-address limits).
let strangerCounter = 0;
const strangerPhone = () => `1770${String(8300000 + (strangerCounter += 1)).padStart(7, '0')}`;

const LIMITS = {
  EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '60',
  EXAMPHOTO_LOGIN_CODES_PER_PHONE_PER_DAY: '3',
  EXAMPHOTO_LOGIN_ATTEMPTS_PER_CODE: '5',
  EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR: '6',
  EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE: '6',
};

let platform;
let env;
let A;
let B;
let instances;
const nginx = settings.nginxUrl;
let agreements;

// The three ways in: each instance directly, and the balancer.
const ways = () => [A.url, B.url, nginx];
const portName = (port) => (port === A.port ? 'A' : port === B.port ? 'B' : `?${port}`);

async function sendCode(base, phone, from) {
  return request(base, 'POST', '/api/v1/auth/sms-code', { json: { phone }, from });
}

async function login(base, phone, code, from) {
  return request(base, 'POST', '/api/v1/auth/login', { json: { phone, code, agreements }, from });
}

// A full candidate login through nginx from a fresh address; returns the token.
async function loginThroughNginx(person) {
  const from = newAddress();
  const sent = await sendCode(nginx, person.phone, from);
  assert.equal(sent.status, 200, sent.text);
  const code = await latestCode(instances, person.phone);
  const done = await login(nginx, person.phone, code, from);
  assert.equal(done.status, 200, done.text);
  return done.body.token;
}

function assertRefused(response, status, code, where) {
  assert.equal(response.status, status, `${where}: expected ${status} ${code}, got ${response.status} ${response.text}`);
  assert.equal(response.body?.error?.code, code, `${where}: ${response.text}`);
  assert.match(response.body.error.message, /[\u4e00-\u9fff]/);
  if (status === 429 || status === 503) {
    assert.match(response.headers.get('retry-after') || '', /^\d+$/, `${where}: no Retry-After`);
  }
}

async function candidateId(person) {
  return Number((await query(`SELECT id FROM candidates WHERE phone = '${person.phone}'`))[0].id);
}

async function staffToken(username) {
  const response = await request(nginx, 'POST', '/api/v1/office/auth/login', {
    json: { username, password: STAFF_PASSWORD },
    from: newAddress(),
  });
  assert.equal(response.status, 200, response.text);
  return response.body.token;
}

before(async () => {
  platform = await startIdentityPlatform({ secret: PLATFORM_SECRET, mode: 'pass' });
  const key = await runCli(['blobs', 'new-key', '--id', 'scaleout'], sharedEnvironment());
  assert.equal(key.code, 0, key.stderr);
  env = sharedEnvironment({
    ...LIMITS,
    EXAMPHOTO_SECRET_KEY: 'scaleout-shared-secret-key-0123456789abcdef',
    EXAMPHOTO_BLOBS_ENCRYPTION_KEY: key.stdout.trim(),
    EXAMPHOTO_HTTP_TRUST_FORWARDED_FOR: 'true',
    // One worker for heavy requests (images, and the SMS send) and a short queue: a burst of
    // uploads saturates an instance, a burst of SMS requests does not.
    EXAMPHOTO_HTTP_WORKER_THREADS: '1',
    EXAMPHOTO_HTTP_MAX_QUEUED_HEAVY: String(MAX_QUEUED_HEAVY),
    EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '5',
    EXAMPHOTO_DATABASE_POOL_SIZE: '6',
    EXAMPHOTO_VERIFICATION_PROVIDER: 'http',
    EXAMPHOTO_VERIFICATION_HTTP_URL: platform.url,
    EXAMPHOTO_VERIFICATION_HTTP_SECRET: PLATFORM_SECRET,
    EXAMPHOTO_VERIFICATION_HTTP_TIMEOUT_MS: '5000',
    EXAMPHOTO_VERIFICATION_WORKERS: '2',
    EXAMPHOTO_VERIFICATION_LEASE_SECONDS: '6',
  });
  A = new Instance('A', settings.ports[0], env);
  B = new Instance('B', settings.ports[1], env);
  instances = [A, B];
  // Both at once on the empty database: the migrations take an advisory lock.
  await Promise.all([A.start(), B.start()]);
  const cli = (args) => runCli([...args], env);
  const file = path.join(settings.work, 'roster.csv');
  await (await import('node:fs/promises')).writeFile(file, toCsv(people));
  const imported = await cli(['roster', 'import', file]);
  assert.equal(imported.code, 0, imported.stdout + imported.stderr);
  for (const [username, role] of [['so.admin', 'admin'], ['so.guarded', 'viewer']]) {
    const made = await runCli(['admin', 'create', '--username', username, '--role', role], {
      ...env,
      EXAMPHOTO_ADMIN_PASSWORD: STAFF_PASSWORD,
    });
    assert.equal(made.code, 0, made.stderr + made.stdout);
  }
  const config = await request(nginx, 'GET', '/api/v1/app-config');
  assert.equal(config.status, 200, config.text);
  agreements = { user: config.body.agreements.user.version, privacy: config.body.agreements.privacy.version };
});

after(async () => {
  const results = await Promise.all(instances.map(async (instance) => {
    if (!instance.running) return null;
    return { name: instance.name, ...(await instance.kill('SIGTERM')), logs: instance.logs };
  }));
  killAll(instances);
  await platform?.close();
  for (const result of results) {
    if (!result) continue;
    assert.equal(result.signal, null, `${result.name} killed by ${result.signal}`);
    assert.equal(result.code, 0, `${result.name} exit code ${result.code}:\n${result.logs.slice(-3000)}`);
  }
});

describe('the balancer in front of two instances', () => {
  test('both instances migrated one database together and answer through nginx', async () => {
    const versions = await query('SELECT version FROM schema_migrations ORDER BY version');
    assert.ok(versions.length >= 4);
    assert.equal(new Set(versions.map((v) => v.version)).size, versions.length);
    const seen = new Set();
    for (let i = 0; i < 6; i += 1) {
      const ready = await request(nginx, 'GET', '/readyz');
      assert.equal(ready.status, 200, ready.text);
      seen.add(upstreamPort(ready));
    }
    assert.deepEqual([...seen].sort(), [A.port, B.port].sort(), 'round robin reaches both instances');
  });

  test('the instances serve the installed web apps through nginx', async () => {
    assert.match(binary, /\/usr\/bin\/examphoto$/, `the instances run from an install: ${binary}`);
    for (const page of ['/', '/office/']) {
      const response = await request(nginx, 'GET', page);
      assert.equal(response.status, 200, `${page}: ${response.text}`);
      assert.match(response.headers.get('content-type'), /text\/html/);
    }
  });

  test('plain HTTP is redirected to HTTPS; metrics and the dev outbox are not exposed', async () => {
    const plain = await request(settings.nginxHttpUrl, 'GET', '/api/v1/app-config');
    assert.equal(plain.status, 301);
    assert.match(plain.headers.get('location'), /^https:\/\//);
    assert.equal((await request(nginx, 'GET', '/metrics')).status, 403);
    assert.equal((await request(nginx, 'GET', '/api/v1/dev/sms-outbox?phone=13800000000')).status, 403);
    assert.equal((await request(A.url, 'GET', '/metrics')).status, 200, 'instances themselves still serve metrics');
    // Security finding F11: other spellings of the same paths.
    for (const spelling of ['/metrics/', '//metrics', '/metrics//', '/%6Detrics', '/./metrics', '/api/v1/dev//sms-outbox?phone=13800000000']) {
      const response = await request(nginx, 'GET', spelling);
      assert.ok([403, 404, 400].includes(response.status), `${spelling} through nginx answered ${response.status}`);
      assert.ok(!response.text.includes('examphoto_http_requests_total'), `${spelling} exposed the metrics`);
    }
    for (const spelling of ['/metrics/', '//metrics', '/metrics//']) {
      assert.equal((await request(A.url, 'GET', spelling)).status, 404, `${spelling} on an instance`);
    }
  });

  test('through nginx no file outside the web root is read and pages carry the security headers', async () => {
    for (const target of ['//etc/passwd', '/office//etc/hostname', '//proc/self/environ', '/%2F%2Fetc%2Fpasswd', '/..%2F..%2Fetc%2Fpasswd']) {
      const response = await request(nginx, 'GET', target);
      assert.ok(!response.text.includes('root:x:0:0'), `${target} leaked /etc/passwd`);
      assert.ok(!/EXAMPHOTO_|PATH=/.test(response.text), `${target} leaked the environment`);
      assert.notEqual(response.status, 200, `${target} answered 200`);
    }
    const api = await request(nginx, 'GET', '/api/v1/app-config');
    assert.match(api.headers.get('strict-transport-security') || '', /max-age=\d+/);
    assert.match(api.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
    assert.equal(api.headers.get('x-frame-options'), 'DENY');
    assert.equal(api.headers.get('referrer-policy'), 'no-referrer');
  });
});

describe('body limits line up', () => {
  test('an image just over http.max_upload_bytes gets the server\'s own JSON 413 through nginx', async () => {
    const { token } = await photoReadyCandidate();
    const tooBig = Buffer.alloc(15 * 1024 * 1024 + 4096, 0x41);
    const refused = await request(nginx, 'POST', '/api/v1/me/photos', {
      body: tooBig,
      token,
      headers: { 'content-type': 'image/jpeg' },
    });
    assertRefused(refused, 413, 'request.body_too_large', 'nginx');
  });
});

describe('sessions are shared', () => {
  test('a login through nginx is honoured by both instances; a logout on one ends it on the other', async () => {
    const token = await loginThroughNginx(nextPerson());
    const byInstance = new Map();
    for (let i = 0; i < 12; i += 1) {
      const me = await request(nginx, 'GET', '/api/v1/me', { token, from: newAddress() });
      assert.equal(me.status, 200, me.text);
      const name = portName(upstreamPort(me));
      byInstance.set(name, (byInstance.get(name) || 0) + 1);
    }
    assert.deepEqual([...byInstance.keys()].sort(), ['A', 'B'], JSON.stringify([...byInstance]));
    for (const base of [A.url, B.url]) {
      assert.equal((await request(base, 'GET', '/api/v1/me', { token })).status, 200, base);
    }
    const out = await request(A.url, 'POST', '/api/v1/auth/logout', { token });
    assert.ok(out.status === 200 || out.status === 204, out.text);
    for (const base of ways()) {
      assertRefused(await request(base, 'GET', '/api/v1/me', { token }), 401, 'auth.session_required', base);
    }
  });

  test('an SMS code sent by one instance logs in on the other (one shared secret key)', async () => {
    const person = nextPerson();
    const from = newAddress();
    assert.equal((await sendCode(A.url, person.phone, from)).status, 200);
    const code = await latestCode([A], person.phone);
    const done = await login(B.url, person.phone, code, from);
    assert.equal(done.status, 200, done.text);
    assert.equal((await request(nginx, 'GET', '/api/v1/me', { token: done.body.token })).status, 200);
  });
});

describe('rate limits hold across instances', () => {
  test('resend interval: a second code within 60 s is refused by A, B and nginx alike', async () => {
    const person = nextPerson();
    assert.equal((await sendCode(A.url, person.phone, newAddress())).status, 200);
    const seen = new Set();
    for (const base of [B.url, nginx, nginx, A.url]) {
      const again = await sendCode(base, person.phone, newAddress());
      assertRefused(again, 429, 'sms.resend_too_soon', base);
      if (base === nginx) seen.add(upstreamPort(again));
    }
    assert.equal(seen.size, 2, 'nginx sent the refused requests to both instances');
    assert.equal(await count(`SELECT count(*) FROM sms_codes WHERE phone = '${person.phone}'`), 1);
  });

  test('daily codes per phone: the fourth code of the day is refused everywhere', async () => {
    await avoidWindowEdge(86400000, CHINA_OFFSET_MS, 120000);
    const person = nextPerson();
    // Each send from its own address; the resend interval is skipped by ageing the last code.
    const age = () => psql(`UPDATE sms_codes SET created_at = created_at - 61000 WHERE phone = '${person.phone}'`);
    for (const base of [A.url, B.url, nginx]) {
      const sent = await sendCode(base, person.phone, newAddress());
      assert.equal(sent.status, 200, `${base}: ${sent.text}`);
      await age();
    }
    for (const base of [A.url, B.url, nginx, nginx]) {
      assertRefused(await sendCode(base, person.phone, newAddress()), 429, 'sms.daily_limit', base);
    }
    assert.equal(await count(`SELECT count(*) FROM sms_codes WHERE phone = '${person.phone}'`), 3);
  });

  test('codes per address per hour: six from one address over A, B and nginx, then refused by all', async () => {
    await avoidWindowEdge(3600000);
    const from = newAddress();
    const order = [A.url, B.url, nginx, nginx, A.url, B.url];
    for (const base of order) {
      // Phones outside the roster: the address is counted before the phone is looked up.
      const sent = await sendCode(base, strangerPhone(), from);
      assert.equal(sent.status, 404, `${base}: ${sent.text}`);
    }
    for (const base of [A.url, B.url, nginx, nginx]) {
      assertRefused(await sendCode(base, strangerPhone(), from), 429, 'sms.ip_limit', base);
    }
    // A client cannot escape through a made-up X-Forwarded-For: nginx overwrites it.
    const spoofed = await request(nginx, 'POST', '/api/v1/auth/sms-code', {
      json: { phone: strangerPhone() },
      from,
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    assertRefused(spoofed, 429, 'sms.ip_limit', 'nginx with a made-up X-Forwarded-For');
    // Another address is not affected.
    assert.equal((await sendCode(nginx, strangerPhone(), newAddress())).status, 404);
  });

  test('logins per address per minute: the seventh attempt is refused by all', async () => {
    await avoidWindowEdge(60000);
    const from = newAddress();
    for (const base of [A.url, B.url, nginx, nginx, B.url, A.url]) {
      // A stranger is answered like a roster phone with no code (security finding F2).
      const attempt = await login(base, strangerPhone(), '123456', from);
      assertRefused(attempt, 401, 'sms.code_expired', base);
    }
    for (const base of [A.url, B.url, nginx, nginx]) {
      assertRefused(await login(base, strangerPhone(), '123456', from), 429, 'sms.login_ip_limit', base);
    }
  });

  test('five wrong codes over A, B and nginx lock the code on every instance', async () => {
    const person = nextPerson();
    assert.equal((await sendCode(nginx, person.phone, newAddress())).status, 200);
    const code = await latestCode(instances, person.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const order = [A.url, B.url, nginx, nginx, A.url];
    for (const [index, base] of order.entries()) {
      const expected = index < order.length - 1 ? 'sms.code_wrong' : 'sms.code_attempts_exceeded';
      assertRefused(await login(base, person.phone, wrong, newAddress()), 401, expected, base);
    }
    for (const base of [B.url, nginx, nginx, A.url]) {
      assertRefused(await login(base, person.phone, code, newAddress()), 401, 'sms.code_attempts_exceeded', base);
    }
    assert.equal(await count(`SELECT count(*) FROM sessions s JOIN candidates c ON c.id = s.subject_id AND s.subject_kind = 'candidate' WHERE c.phone = '${person.phone}'`), 0);
  });

  test('simultaneous bursts over A, B and nginx: the limits are counted once, not per instance', async () => {
    await avoidWindowEdge(3600000);
    const spread = (n) => Array.from({ length: n }, (_, i) => ways()[i % 3]);
    const tally = (responses) => {
      const counts = {};
      for (const r of responses) {
        const key = `${r.status} ${r.body?.error?.code ?? ''}`.trim();
        counts[key] = (counts[key] || 0) + 1;
      }
      return counts;
    };
    // One phone, twelve requests at once from twelve addresses: one code is sent.
    const person = nextPerson();
    const sends = await Promise.all(spread(12).map((base) => sendCode(base, person.phone, newAddress())));
    assert.deepEqual(tally(sends), { 200: 1, '429 sms.resend_too_soon': 11 });
    // Twelve wrong guesses at once: four are judged wrong, the fifth uses the last try, and
    // the code is then dead for the right guess too.
    const code = await latestCode(instances, person.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(spread(12).map((base) => login(base, person.phone, wrong, newAddress())));
    assert.deepEqual(tally(guesses), { '401 sms.code_wrong': 4, '401 sms.code_attempts_exceeded': 8 });
    assertRefused(await login(nginx, person.phone, code, newAddress()), 401, 'sms.code_attempts_exceeded', 'nginx');
    // Twelve codes at once from one address: six are let through to the roster lookup.
    const from = newAddress();
    const burst = await Promise.all(spread(12).map((base) => sendCode(base, strangerPhone(), from)));
    assert.deepEqual(tally(burst), { '404 auth.phone_not_registered': 6, '429 sms.ip_limit': 6 });
  });

  test('an office account is locked after ten wrong passwords spread over A, B and nginx', async () => {
    await avoidWindowEdge(15 * 60000);
    const order = [A.url, B.url, nginx, nginx, A.url, B.url, nginx, nginx, A.url, B.url];
    for (const base of order) {
      const wrong = await request(base, 'POST', '/api/v1/office/auth/login', {
        json: { username: 'so.guarded', password: 'not-the-password-1' },
        from: newAddress(),
      });
      assertRefused(wrong, 401, 'staff.credentials', base);
    }
    for (const base of [A.url, B.url, nginx, nginx]) {
      const right = await request(base, 'POST', '/api/v1/office/auth/login', {
        json: { username: 'so.guarded', password: STAFF_PASSWORD },
        from: newAddress(),
      });
      assertRefused(right, 429, 'staff.login_limit', base);
    }
  });
});

const samplePhoto = () =>
  readFile(path.join(repoRoot, 'deps/models/node_modules/@vladmandic/face-api/demo/sample1.jpg'));

// A candidate who may upload a portrait now (the ID card steps are not under test here).
async function photoReadyCandidate() {
  const person = nextPerson();
  const token = await loginThroughNginx(person);
  const id = await candidateId(person);
  await psql(`UPDATE collections SET state = 'identity_confirmed' WHERE candidate_id = ${id}`);
  return { person, token, id };
}

let sharedPhotoKey = null;

// Uploads a portrait; while the instance still loads its face models (models.preload is off
// here, so the first image request starts the loading) it answers 503 service.warming_up,
// and the app waits and tries again, as here.
async function uploadPhoto(base, token, photo) {
  const deadline = Date.now() + 90000;
  for (;;) {
    const response = await request(base, 'POST', '/api/v1/me/photos', {
      body: photo,
      token,
      headers: { 'content-type': 'image/jpeg' },
    });
    if (response.status !== 503 || response.body?.error?.code !== 'service.warming_up') return response;
    assert.ok(Date.now() < deadline, `${base} never finished loading its models`);
    await sleep(500);
  }
}

describe('blobs are shared', () => {
  test('a photo uploaded to A is read back from B and through nginx, sealed in the database', async () => {
    const { token, id } = await photoReadyCandidate();
    const photo = await samplePhoto();
    // B loads its models meanwhile (for the next test), from a second candidate.
    const warming = photoReadyCandidate().then((other) => uploadPhoto(B.url, other.token, photo));
    const uploaded = await uploadPhoto(A.url, token, photo);
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.notEqual((await warming).status, 503);
    const attempt = uploaded.body.attempt_id;
    const admin = await staffToken('so.admin');
    const imagePath = `/api/v1/office/candidates/${id}/images/photo_upload/${attempt}`;
    for (const base of [B.url, nginx, nginx]) {
      const back = await request(base, 'GET', imagePath, { token: admin });
      assert.equal(back.status, 200, `${base}: ${back.text}`);
      assert.ok(back.bytes.equals(photo), `${base}: the bytes read back differ from the upload`);
    }
    if (uploaded.body.url) {
      const finished = await request(B.url, 'GET', uploaded.body.url, { token });
      assert.equal(finished.status, 200, finished.text);
      assert.equal(finished.bytes[0], 0xff, 'a JPEG');
    }
    const rows = await query(`SELECT upload_key, photo_key FROM photo_attempts WHERE id = ${attempt}`);
    const blob = await query(`SELECT encode(substring(content from 1 for 16), 'hex') AS head, size FROM blobs WHERE blob_key = '${rows[0].upload_key}'`);
    assert.equal(blob.length, 1, 'the upload is stored in the shared database');
    assert.ok(!blob[0].head.startsWith('ffd8'), 'stored sealed, not as the plain JPEG');
    sharedPhotoKey = rows[0].photo_key || rows[0].upload_key;
  });

  test('nginx passes an instance\'s 503 + Retry-After through when its image queue is full', async (t) => {
    const { token } = await photoReadyCandidate();
    const photo = await samplePhoto();
    // Both instances have their models loaded (A from the test before).
    for (const base of [A.url, B.url]) assert.notEqual((await uploadPhoto(base, token, photo)).status, 503);
    const responses = await Promise.all(
      // More than both instances can hold (one running and MAX_QUEUED_HEAVY waiting each).
      Array.from({ length: 2 * (MAX_QUEUED_HEAVY + 1) + 10 }, () =>
        request(nginx, 'POST', '/api/v1/me/photos', { body: photo, token, headers: { 'content-type': 'image/jpeg' } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    const overloaded = responses.filter((r) => r.status === 503);
    assert.ok(overloaded.length >= 1, `no 503 among ${statuses}`);
    t.diagnostic(`${responses.length} uploads at once: ${overloaded.length} answered 503, the others ${[...new Set(statuses.filter((s) => s !== 503))]}`);
    for (const response of overloaded) assertRefused(response, 503, 'service.overloaded', 'nginx');
    for (const response of responses) {
      assert.ok([200, 409, 422, 503].includes(response.status), `unexpected ${response.status}: ${response.text.slice(0, 300)}`);
    }
  });
});

// Logs the candidates in through nginx and brings each to 同意并提交 with a passed photo
// attempt that points at the stored, sealed photo of the blob test. Returns their tokens.
async function awaitingConsent(group) {
  assert.ok(sharedPhotoKey, 'the blob test stored a photo');
  const tokens = [];
  for (const person of group) tokens.push(await loginThroughNginx(person));
  const phones = group.map((p) => `'${p.phone}'`).join(',');
  await psql(`
    INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key)
      SELECT id, 1, 1, '{}', '${sharedPhotoKey}', '${sharedPhotoKey}' FROM candidates WHERE phone IN (${phones});
    UPDATE collections c SET state = 'awaiting_consent', photo_attempt_id = p.id
      FROM photo_attempts p JOIN candidates k ON k.id = p.candidate_id
      WHERE p.candidate_id = c.candidate_id AND k.phone IN (${phones});`);
  return tokens;
}

async function waitForJobs(sql, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await count(`SELECT count(*) FROM verification_jobs j JOIN candidates k ON k.id = j.candidate_id WHERE j.status <> 'done' AND (${sql})`);
    if (left === 0) return;
    assert.ok(Date.now() < deadline, `${left} jobs never finished`);
    await sleep(200);
  }
}

describe('the verification job queue is shared', () => {
  test(`${JOBS} submissions through nginx run exactly once each, even with A killed -9 midway`, async (t) => {
    assert.ok(sharedPhotoKey, 'the blob test stored a photo');
    // Every candidate gets a photo attempt pointing at the stored, sealed photo, and waits
    // for 同意并提交 — which they press through nginx, landing on both instances.
    const tokens = await awaitingConsent(jobPeople);
    const phones = jobPeople.map((p) => `'${p.phone}'`).join(',');
    // Each platform call takes a while, so that jobs are in flight when A dies.
    platform.mode = 'slow';
    platform.slowMs = 700;
    platform.requests.length = 0;
    const submittedTo = new Set();
    for (const token of tokens) {
      const submitted = await request(nginx, 'POST', '/api/v1/me/verification', { json: { consent: true }, token, from: newAddress() });
      assert.equal(submitted.status, 200, submitted.text);
      assert.equal(submitted.body.state, 'verifying');
      submittedTo.add(upstreamPort(submitted));
    }
    assert.equal(submittedTo.size, 2, 'jobs were queued through both instances');

    // Kill A with -9 while it holds a job: after a few jobs are done, at a moment A's workers
    // have one in hand.
    const aWorker = `%:${A.pid}:%`;
    const deadline = Date.now() + 60000;
    let heldByA = [];
    for (;;) {
      assert.ok(Date.now() < deadline, 'A never held a job');
      const done = await count("SELECT count(*) FROM verification_jobs WHERE status = 'done'");
      if (done >= 6) {
        heldByA = await query(`SELECT id FROM verification_jobs WHERE status = 'running' AND locked_by LIKE '${aWorker}'`);
        if (heldByA.length > 0) break;
      }
      await sleep(50);
    }
    await A.kill('SIGKILL');
    const orphaned = (await query(`SELECT id FROM verification_jobs WHERE status = 'running' AND locked_by LIKE '${aWorker}'`)).map((r) => Number(r.id));
    assert.ok(orphaned.length >= 1, 'A died holding at least one job');

    // B alone finishes the queue, taking A's jobs over when their leases run out.
    for (;;) {
      const left = await count("SELECT count(*) FROM verification_jobs WHERE status <> 'done'");
      if (left === 0) break;
      assert.ok(Date.now() < deadline + 60000, `${left} jobs never finished:\n${B.logs.slice(-2000)}`);
      await sleep(200);
    }
    platform.mode = 'pass';

    const jobs = await query(`SELECT j.id, j.status, j.outcome, j.attempts, k.id_number FROM verification_jobs j JOIN candidates k ON k.id = j.candidate_id WHERE k.phone IN (${phones})`);
    assert.equal(jobs.length, JOBS, 'one job per submission');
    for (const job of jobs) assert.deepEqual([job.status, job.outcome], ['done', 'passed'], JSON.stringify(job));
    const states = await query(`SELECT c.state, count(*) FROM collections c JOIN candidates k ON k.id = c.candidate_id WHERE k.phone IN (${phones}) GROUP BY c.state`);
    assert.deepEqual(states, [{ state: 'verified', count: JOBS }]);
    // One recorded outcome per candidate: one verification_passed event each.
    const events = await query(`SELECT e.candidate_id, count(*) FROM collection_events e JOIN candidates k ON k.id = e.candidate_id WHERE k.phone IN (${phones}) AND e.event = 'verification_passed' GROUP BY e.candidate_id`);
    assert.equal(events.length, JOBS);
    for (const event of events) assert.equal(Number(event.count), 1, JSON.stringify(event));

    // The platform: exactly one call per job, except the jobs A was running when it died —
    // called again by B after the lease (the call A made may or may not have arrived). Every
    // call of one job carries the job's request_id, so the platform checked each job once:
    // B's call was answered as a repeat.
    const calls = new Map();
    const checks = new Map();
    const requestIds = new Map();
    for (const r of platform.requests) {
      calls.set(r.id_number, (calls.get(r.id_number) || 0) + 1);
      if (!r.repeat) checks.set(r.id_number, (checks.get(r.id_number) || 0) + 1);
      requestIds.set(r.id_number, new Set([...(requestIds.get(r.id_number) || []), r.request_id]));
    }
    const orphanedNumbers = new Set(jobs.filter((j) => orphaned.includes(Number(j.id))).map((j) => j.id_number));
    for (const job of jobs) {
      const n = calls.get(job.id_number) || 0;
      if (orphanedNumbers.has(job.id_number)) {
        assert.ok(n >= 1 && n <= 2, `taken-over job ${job.id}: ${n} platform calls`);
        assert.equal(Number(job.attempts), 2, `taken-over job ${job.id} was claimed twice`);
      } else {
        assert.equal(n, 1, `job ${job.id}: ${n} platform calls`);
        assert.equal(Number(job.attempts), 1, `job ${job.id} claimed ${job.attempts} times`);
      }
      assert.equal(checks.get(job.id_number), 1, `job ${job.id}: the platform checked it ${checks.get(job.id_number)} times`);
      assert.equal(requestIds.get(job.id_number).size, 1, `job ${job.id}: one request_id for all its calls`);
    }
    assert.ok(platform.requests.every((r) => r.signature_ok));
    // Both instances ran jobs: A before it died, B throughout.
    const finishedBy = (instance) => instance.lines(/verification\.job id=\d+ attempt=\d+ status=passed/).length;
    assert.ok(finishedBy(A) >= 1 && finishedBy(B) >= 1, `A finished ${finishedBy(A)}, B ${finishedBy(B)}`);
    assert.equal(finishedBy(A) + finishedBy(B), JOBS, 'each job was recorded by exactly one instance');
    t.diagnostic(`A recorded ${finishedBy(A)} jobs, B ${finishedBy(B)}; A died holding ${orphaned.length}, ` +
      `which B took over; ${platform.requests.length} platform calls for ${JOBS} jobs`);
    await A.start();
  });

  test('同意并提交 pressed six times at once over A, B and nginx queues one job', async () => {
    platform.mode = 'pass';
    platform.requests.length = 0;
    const person = nextPerson();
    const [token] = await awaitingConsent([person]);
    const presses = await Promise.all([A.url, B.url, nginx, A.url, B.url, nginx].map((base) =>
      request(base, 'POST', '/api/v1/me/verification', { json: { consent: true }, token, from: newAddress() })));
    const statuses = presses.map((p) => p.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409], presses.map((p) => p.text).join('\n'));
    await waitForJobs(`k.phone = '${person.phone}'`);
    const id = await candidateId(person);
    assert.equal(await count(`SELECT count(*) FROM verification_jobs WHERE candidate_id = ${id}`), 1);
    assert.equal(await count(`SELECT count(*) FROM collection_events WHERE candidate_id = ${id} AND event = 'verification_passed'`), 1);
    assert.equal(platform.requests.filter((r) => r.id_number === person.id_number).length, 1);
  });

  test('a worker frozen past its lease (SIGSTOP) gives way: the job is recorded once', async (t) => {
    platform.mode = 'slow';
    platform.slowMs = 1500;
    platform.requests.length = 0;
    const person = nextPerson();
    const [token] = await awaitingConsent([person]);
    const submitted = await request(nginx, 'POST', '/api/v1/me/verification', { json: { consent: true }, token, from: newAddress() });
    assert.equal(submitted.status, 200, submitted.text);
    const id = await candidateId(person);
    // Freeze whichever instance claimed the job while its platform call is out.
    let holder = null;
    const deadline = Date.now() + 20000;
    while (!holder) {
      assert.ok(Date.now() < deadline, 'no worker claimed the job');
      const rows = await query(`SELECT locked_by FROM verification_jobs WHERE candidate_id = ${id} AND status = 'running'`);
      if (rows.length) holder = instances.find((i) => rows[0].locked_by.includes(`:${i.pid}:`));
      else await sleep(20);
    }
    const other = holder === A ? B : A;
    const passedLine = /verification\.job id=\d+ attempt=\d+ status=passed/;
    const gaveWayLine = /verification\.job id=\d+ attempt=\d+ status=gave_way/;
    process.kill(holder.pid, 'SIGSTOP');
    const passedBefore = holder.lines(passedLine).length;
    const gaveWayBefore = holder.lines(gaveWayLine).length;
    try {
      // The other instance takes the job once the lease has run out and records it.
      await waitForJobs(`k.phone = '${person.phone}'`);
    } finally {
      process.kill(holder.pid, 'SIGCONT');
    }
    // The frozen worker wakes with the platform's late answer, finds the lease gone and
    // records nothing; its log says so instead of claiming a result.
    const waitUntil = Date.now() + 20000;
    while (holder.lines(gaveWayLine).length === gaveWayBefore) {
      assert.ok(Date.now() < waitUntil, `${holder.name} never reported giving way:\n${holder.logs.slice(-2000)}`);
      await sleep(100);
    }
    assert.equal(holder.lines(passedLine).length, passedBefore, `${holder.name} logged a result it did not record`);
    const job = (await query(`SELECT status, outcome, attempts FROM verification_jobs WHERE candidate_id = ${id}`));
    assert.deepEqual(job, [{ status: 'done', outcome: 'passed', attempts: 2 }]);
    assert.equal(await count(`SELECT count(*) FROM collection_events WHERE candidate_id = ${id} AND event = 'verification_passed'`), 1);
    assert.equal((await query(`SELECT state FROM collections WHERE candidate_id = ${id}`))[0].state, 'verified');
    const calls = platform.requests.filter((r) => r.id_number === person.id_number);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls.map((r) => r.repeat), [false, true], 'the second call was a repeat the platform did not check again');
    t.diagnostic(`${holder.name} frozen holding the job, ${other.name} took it over and recorded it; ${holder.name} woke and gave way`);
    platform.mode = 'pass';
    // The frozen instance serves again.
    assert.equal((await request(holder.url, 'GET', '/readyz')).status, 200);
  });
});

describe('an instance down', () => {
  test('with B stopped, GETs go to A; a POST that could not be sent goes to A as well', async () => {
    const { token } = await photoReadyCandidate();
    await B.kill('SIGKILL');
    for (let i = 0; i < 8; i += 1) {
      const me = await request(nginx, 'GET', '/api/v1/me', { token, from: newAddress() });
      assert.equal(me.status, 200, me.text);
      assert.equal(upstreamPort(me), A.port);
    }
    // Connection refused: the request never reached B, so nginx may try A with it.
    const sent = await sendCode(nginx, nextPerson().phone, newAddress());
    assert.equal(sent.status, 200, sent.text);
    assert.equal(upstreamPort(sent), A.port);
    await B.start();
  });

  test('a POST that reached an instance which then died is answered 502 and not resent to the other', async () => {
    const admin = await staffToken('so.admin');
    // A roster import large enough to take a moment; which instance takes it shows in its
    // in-flight gauge (the /metrics request itself is one).
    const rows = candidates(30000, { seed: 97, session: '2026-11' });
    const csv = toCsv(rows);
    const inFlight = async (instance) => {
      const metrics = await request(instance.url, 'GET', '/metrics').catch(() => null);
      const match = /examphoto_http_requests_in_flight (\d+)/.exec(metrics?.text || '');
      return match ? Number(match[1]) : 0;
    };
    const importing = request(nginx, 'POST', '/api/v1/office/roster/import', {
      body: csv,
      token: admin,
      headers: { 'content-type': 'text/csv' },
      from: newAddress(),
    });
    let settled = false;
    importing.finally(() => {
      settled = true;
    }).catch(() => {});
    let victim = null;
    const deadline = Date.now() + 30000;
    while (!victim) {
      if (settled) assert.fail(`the import finished before it was seen in flight: ${(await importing).status}`);
      assert.ok(Date.now() < deadline, 'the import never showed up on an instance');
      for (const instance of instances) {
        if ((await inFlight(instance)) >= 2) victim = instance;
      }
    }
    await victim.kill('SIGKILL');
    const response = await importing;
    assert.equal(response.status, 502, `expected 502, got ${response.status}: ${response.text.slice(0, 300)}`);
    assert.equal(upstreamPort(response), victim.port, 'nginx did not try the other instance');
    assert.equal(await count("SELECT count(*) FROM candidates WHERE exam_session = '2026-11'"), 0, 'nothing imported');
    const survivor = victim === A ? B : A;
    assert.equal(survivor.lines(/roster\/import/).length, 0, 'the survivor never saw the import');
    await victim.start();
  });
});
