// Candidate SMS login: send code, limits, wrong/expired/consumed codes, agreements and consent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { assertError, sleep, useServer } from './lib/server.mjs';
import { avoidWindowEdge } from './lib/time.mjs';

const people = candidates(12, { seed: 2 });
const roster = toCsv(people);
const phone = (i) => people[i].phone;

async function candidateId(server, phoneNumber) {
  const rows = await server.query(`SELECT id FROM candidates WHERE phone = '${phoneNumber}'`);
  return rows[0].id;
}

describe('with the default login settings', () => {
  const server = useServer({ roster });

  test('happy path: code by SMS, login, the session sees the candidate', async () => {
    const sent = await server.post('/api/v1/auth/sms-code', { phone: phone(0) });
    assert.equal(sent.status, 200, sent.text);
    assert.equal(sent.body.expires_in_seconds, 300);
    assert.equal(typeof sent.body.resend_after_seconds, 'number');
    const outbox = await server.get(`/api/v1/dev/sms-outbox?phone=${phone(0)}`);
    const message = outbox.body.messages[0];
    assert.match(message.code, /^\d{6}$/);
    assert.ok(message.text.includes(message.code), message.text);
    assert.match(message.text, /验证码/);

    const login = await server.post('/api/v1/auth/login', {
      phone: phone(0),
      code: message.code,
      agreements: await server.agreements(),
    });
    assert.equal(login.status, 200, login.text);
    assert.ok(login.body.token.length >= 32);
    assert.ok(Date.parse(login.body.expires_at) > Date.now());
    assert.equal(typeof login.body.state, 'string');

    const me = await server.get('/api/v1/me', { token: login.body.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.candidate.name, people[0].name);
    assert.equal(me.body.candidate.registration_no, people[0].registration_no);
    assert.equal(me.body.candidate.phone_masked, `${phone(0).slice(0, 3)}****${phone(0).slice(7)}`);
    assert.equal(me.body.state, login.body.state);
  });

  test('a phone written with +86, spaces and dashes is the same phone', async () => {
    const p = phone(1);
    const sent = await server.post('/api/v1/auth/sms-code', { phone: `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}` });
    assert.equal(sent.status, 200, sent.text);
    const code = await server.latestCode(p);
    const login = await server.post('/api/v1/auth/login', { phone: p, code, agreements: await server.agreements() });
    assert.equal(login.status, 200, login.text);
  });

  test('a phone not in the roster gets 404 with a Chinese message and hint, and no code', async () => {
    const stranger = '13799990000';
    const response = await server.post('/api/v1/auth/sms-code', { phone: stranger });
    const error = assertError(response, 404, 'auth.phone_not_registered');
    assert.match(error.message, /未在报名系统中登记/);
    assert.ok(error.hint.length > 0);
    assert.equal((await server.get(`/api/v1/dev/sms-outbox?phone=${stranger}`)).body.messages.length, 0);
    assert.deepEqual(await server.query(`SELECT id FROM sms_codes WHERE phone = '${stranger}'`), []);
  });

  test('a malformed phone number is 400 phone.format', async () => {
    for (const bad of ['12345', '1391234567', '139123456789', '23912345678', '1291234567a', '', '139 1234 567x']) {
      assertError(await server.post('/api/v1/auth/sms-code', { phone: bad }), 400, 'phone.format');
    }
    // Full-width digits are too long for the field already (3 bytes each in UTF-8).
    assertError(await server.post('/api/v1/auth/sms-code', { phone: '１３９１２３４５６７８' }), 400);
    assert.deepEqual(await server.query(`SELECT COUNT(*) AS n FROM sms_codes WHERE phone NOT LIKE '13%'`), [{ n: 0 }]);
  });

  test('login on an unregistered phone is answered like a roster phone without a code', async () => {
    const response = await server.post('/api/v1/auth/login', {
      phone: '13799990001',
      code: '123456',
      agreements: await server.agreements(),
    });
    assertError(response, 401, 'sms.code_expired');
  });

  test('login without ever asking for a code is 401 sms.code_expired', async () => {
    const response = await server.post('/api/v1/auth/login', {
      phone: phone(11),
      code: '123456',
      agreements: await server.agreements(),
    });
    assertError(response, 401, 'sms.code_expired');
  });

  test('a wrong code is 401 and the right one still works afterwards', async () => {
    const code = await server.sendCode(phone(2));
    const wrong = code === '000000' ? '111111' : '000000';
    const agreements = await server.agreements();
    assertError(await server.post('/api/v1/auth/login', { phone: phone(2), code: wrong, agreements }), 401, 'sms.code_wrong');
    const login = await server.post('/api/v1/auth/login', { phone: phone(2), code, agreements });
    assert.equal(login.status, 200, login.text);
  });

  test('five wrong tries kill the code, even for the right code; a new code works', async () => {
    const code = await server.sendCode(phone(3));
    const wrong = code === '000000' ? '111111' : '000000';
    const agreements = await server.agreements();
    const codes = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await server.post('/api/v1/auth/login', { phone: phone(3), code: wrong, agreements });
      codes.push(assertError(response, 401).code);
    }
    assert.deepEqual(codes, ['sms.code_wrong', 'sms.code_wrong', 'sms.code_wrong', 'sms.code_wrong', 'sms.code_attempts_exceeded']);
    const right = await server.post('/api/v1/auth/login', { phone: phone(3), code, agreements });
    assertError(right, 401, 'sms.code_attempts_exceeded');
    const fresh = await server.sendCode(phone(3));
    const login = await server.post('/api/v1/auth/login', { phone: phone(3), code: fresh, agreements });
    assert.equal(login.status, 200, login.text);
  });

  test('a code works once: the second login with it is 401', async () => {
    const code = await server.sendCode(phone(4));
    const agreements = await server.agreements();
    assert.equal((await server.post('/api/v1/auth/login', { phone: phone(4), code, agreements })).status, 200);
    assertError(await server.post('/api/v1/auth/login', { phone: phone(4), code, agreements }), 401, 'sms.code_expired');
  });

  test('a new code replaces the previous one', async () => {
    const first = await server.sendCode(phone(5));
    let second = await server.sendCode(phone(5));
    // Two random codes may coincide (one in a million); ask once more then.
    if (second === first) second = await server.sendCode(phone(5));
    const agreements = await server.agreements();
    assertError(await server.post('/api/v1/auth/login', { phone: phone(5), code: first, agreements }), 401, 'sms.code_wrong');
    assert.equal((await server.post('/api/v1/auth/login', { phone: phone(5), code: second, agreements })).status, 200);
  });

  test('agreements missing or partly missing are 400 and do not use up the code', async () => {
    const code = await server.sendCode(phone(6));
    const { user, privacy } = await server.agreements();
    for (const agreements of [undefined, {}, { user }, { privacy }]) {
      const body = { phone: phone(6), code };
      if (agreements !== undefined) body.agreements = agreements;
      assertError(await server.post('/api/v1/auth/login', body), 400, 'auth.agreement_required');
    }
    const attempts = await server.query(
      `SELECT attempts, consumed_at FROM sms_codes WHERE phone = '${phone(6)}' ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(attempts, [{ attempts: 0, consumed_at: null }]);
    assert.equal((await server.post('/api/v1/auth/login', { phone: phone(6), code, agreements: { user, privacy } })).status, 200);
  });

  test('an outdated agreement version is 409 auth.agreement_outdated', async () => {
    const code = await server.sendCode(phone(7));
    const { user, privacy } = await server.agreements();
    for (const agreements of [{ user: '2000-01', privacy }, { user, privacy: '2000-01' }]) {
      assertError(await server.post('/api/v1/auth/login', { phone: phone(7), code, agreements }), 409, 'auth.agreement_outdated');
    }
    const id = await candidateId(server, phone(7));
    assert.deepEqual(await server.query(`SELECT subject_id FROM sessions WHERE subject_id = ${id}`), []);
    assert.deepEqual(await server.query(`SELECT id FROM consents WHERE candidate_id = ${id}`), []);
    assert.equal((await server.post('/api/v1/auth/login', { phone: phone(7), code, agreements: { user, privacy } })).status, 200);
  });

  test('consent to both agreements is recorded with version and time', async () => {
    const before = Date.now();
    await server.login(phone(8));
    const after = Date.now();
    const id = await candidateId(server, phone(8));
    const rows = await server.query(
      `SELECT document, version, accepted_at, client_ip FROM consents WHERE candidate_id = ${id} ORDER BY document`,
    );
    const { user, privacy } = await server.agreements();
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.deepEqual(rows.map((r) => [r.document, r.version]), [['privacy', privacy], ['user', user]]);
    for (const r of rows) {
      assert.ok(r.accepted_at >= before - 1000 && r.accepted_at <= after + 1000, `accepted_at ${r.accepted_at}`);
      assert.equal(r.client_ip, '127.0.0.1');
    }
  });

  test('codes and session tokens are stored hashed, never in clear', async () => {
    const code = await server.sendCode(phone(9));
    const stored = await server.query(`SELECT code_hash FROM sms_codes WHERE phone = '${phone(9)}' ORDER BY id DESC LIMIT 1`);
    assert.ok(!stored[0].code_hash.includes(code));
    const login = await server.post('/api/v1/auth/login', { phone: phone(9), code, agreements: await server.agreements() });
    const token = login.body.token;
    const sessions = await server.query(`SELECT token_hash FROM sessions`);
    assert.ok(sessions.length > 0);
    for (const s of sessions) assert.ok(!s.token_hash.includes(token) && !token.includes(s.token_hash));
  });

  test('both agreement texts are served in Chinese with the versions the app is told', async () => {
    const versions = await server.agreements();
    for (const [name, title] of [['user', '用户协议'], ['privacy', '隐私协议']]) {
      const response = await server.get(`/api/v1/agreements/${name}`);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.title, title);
      assert.equal(response.body.version, versions[name]);
      assert.match(response.body.text, /[\u4e00-\u9fff]{20}/);
    }
    assertError(await server.get('/api/v1/agreements/other'), 404, 'request.not_found');
  });

  test('logs mask phone numbers', async () => {
    await server.sendCode(phone(10));
    await sleep(1200);  // the asynchronous logger flushes every second
    assert.ok(!server.logs.includes(phone(10)), 'a full phone number appears in the log');
    assert.ok(server.logs.includes(`${phone(10).slice(0, 3)}****${phone(10).slice(7)}`));
  });
});

describe('with resend after 60 s', () => {
  const server = useServer({ roster, env: { EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '60' } });

  test('asking again too soon is 429 with Retry-After, and the first code still works', async () => {
    const code = await server.sendCode(phone(0));
    const again = await server.post('/api/v1/auth/sms-code', { phone: phone(0) });
    const error = assertError(again, 429, 'sms.resend_too_soon');
    const retryAfter = Number(again.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.ok(error.message.includes(String(retryAfter)), error.message);
    assert.equal((await server.get(`/api/v1/dev/sms-outbox?phone=${phone(0)}`)).body.messages.length, 1);
    const login = await server.post('/api/v1/auth/login', { phone: phone(0), code, agreements: await server.agreements() });
    assert.equal(login.status, 200, login.text);
  });

  test('the resend wait is per phone', async () => {
    await server.sendCode(phone(1));
    await server.sendCode(phone(2));
  });

  test('app-config tells the app the resend interval and code length', async () => {
    const config = await server.appConfig();
    assert.equal(config.sms.resend_seconds, 60);
    assert.equal(config.sms.code_length, 6);
  });
});

describe('with three codes a day per phone', () => {
  const server = useServer({ roster, env: { EXAMPHOTO_LOGIN_CODES_PER_PHONE_PER_DAY: '3' } });

  test('the fourth code of the day is 429 sms.daily_limit; another phone is unaffected', async () => {
    await avoidWindowEdge(24 * 3600 * 1000, 8 * 3600 * 1000);
    for (let i = 0; i < 3; i += 1) await server.sendCode(phone(0));
    const fourth = await server.post('/api/v1/auth/sms-code', { phone: phone(0) });
    assertError(fourth, 429, 'sms.daily_limit');
    assert.ok(Number(fourth.headers.get('retry-after')) > 0);
    assert.equal((await server.get(`/api/v1/dev/sms-outbox?phone=${phone(0)}`)).body.messages.length, 3);
    await server.sendCode(phone(1));
  });
});

describe('with three codes an hour per address', () => {
  const server = useServer({ roster, env: { EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR: '3' } });

  test('the fourth code from one address is 429 sms.ip_limit, whatever the phone', async () => {
    await avoidWindowEdge(3600 * 1000);
    for (let i = 0; i < 3; i += 1) await server.sendCode(phone(i));
    const fourth = await server.post('/api/v1/auth/sms-code', { phone: phone(3) });
    assertError(fourth, 429, 'sms.ip_limit');
    assert.ok(Number(fourth.headers.get('retry-after')) > 0);
    assert.equal((await server.get(`/api/v1/dev/sms-outbox?phone=${phone(3)}`)).body.messages.length, 0);
    // X-Forwarded-For is not trusted by default: a client cannot make up a new address.
    const spoofed = await server.post('/api/v1/auth/sms-code', { phone: phone(4) }, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assertError(spoofed, 429, 'sms.ip_limit');
  });
});

describe('behind trusted proxies (loopback, then 10.0.0.1), with three codes an hour per address', () => {
  const server = useServer({
    roster,
    env: {
      EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR: '3',
      EXAMPHOTO_HTTP_TRUST_FORWARDED_FOR: 'true',
      EXAMPHOTO_HTTP_TRUSTED_PROXIES: '127.0.0.1,::1,10.0.0.1',
    },
  });

  test('the limit counts per forwarded client address', async () => {
    await avoidWindowEdge(3600 * 1000);
    // The client's address as the outer proxy 10.0.0.1 appended it, then loopback's hop.
    const from = (ip) => ({ headers: { 'x-forwarded-for': `${ip}, 10.0.0.1` } });
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await server.post('/api/v1/auth/sms-code', { phone: phone(i) }, from('198.51.100.1'))).status, 200);
    }
    assertError(await server.post('/api/v1/auth/sms-code', { phone: phone(3) }, from('198.51.100.1')), 429, 'sms.ip_limit');
    // A client that writes its own X-Forwarded-For before the proxies' entries gains nothing:
    // the header is read from the right.
    assertError(
      await server.post('/api/v1/auth/sms-code', { phone: phone(3) }, { headers: { 'x-forwarded-for': '203.0.113.50, 198.51.100.1, 10.0.0.1' } }),
      429,
      'sms.ip_limit',
    );
    assert.equal((await server.post('/api/v1/auth/sms-code', { phone: phone(3) }, from('198.51.100.2'))).status, 200);
  });
});

describe('with two logins a minute per address', () => {
  const server = useServer({ roster, env: { EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE: '2' } });

  test('the third login attempt in a minute is 429 sms.login_ip_limit, even with a right code', async () => {
    const code = await server.sendCode(phone(0));
    await avoidWindowEdge(60 * 1000);
    const agreements = await server.agreements();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 2; i += 1) {
      assertError(await server.post('/api/v1/auth/login', { phone: phone(0), code: wrong, agreements }), 401, 'sms.code_wrong');
    }
    const third = await server.post('/api/v1/auth/login', { phone: phone(0), code, agreements });
    assertError(third, 429, 'sms.login_ip_limit');
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
  });
});

describe('with codes valid for one second', () => {
  const server = useServer({ roster, env: { EXAMPHOTO_LOGIN_CODE_TTL_SECONDS: '1' } });

  test('an expired code is 401 sms.code_expired', async () => {
    const code = await server.sendCode(phone(0));
    await sleep(1100);
    const response = await server.post('/api/v1/auth/login', { phone: phone(0), code, agreements: await server.agreements() });
    assertError(response, 401, 'sms.code_expired');
  });
});
