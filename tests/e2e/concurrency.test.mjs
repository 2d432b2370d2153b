// Requests racing each other: the limits and the all-or-nothing import must hold when
// many arrive at once, on SQLite and on PostgreSQL alike.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { useServer } from './lib/server.mjs';

const people = candidates(6, { seed: 80 });

describe('with resend after 60 s', () => {
  const server = useServer({ roster: toCsv(people), env: { EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '60' } });

  test('ten simultaneous code requests for one phone send exactly one code', async () => {
    const phone = people[0].phone;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => server.post('/api/v1/auth/sms-code', { phone })),
    );
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 429, 429, 429, 429, 429, 429, 429, 429, 429], responses.map((r) => r.text).join('\n'));
    const stored = await server.query(`SELECT COUNT(*) AS n FROM sms_codes WHERE phone = '${phone}'`);
    assert.deepEqual(stored, [{ n: 1 }]);
    assert.equal((await server.get(`/api/v1/dev/sms-outbox?phone=${phone}`)).body.messages.length, 1);
  });
});

describe('with the default settings', () => {
  const server = useServer({ roster: toCsv(people), staff: [['office.admin', 'admin']] });
  let staffToken;

  before(async () => {
    await server.ready;
    staffToken = await server.staffLogin('office.admin');
  });

  test('twenty simultaneous wrong guesses: at most five are compared, then the code is dead', async () => {
    const phone = people[1].phone;
    const code = await server.sendCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const agreements = await server.agreements();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => server.post('/api/v1/auth/login', { phone, code: wrong, agreements })),
    );
    const codes = responses.map((r) => r.body.error.code);
    assert.ok(responses.every((r) => r.status === 401), codes.join(','));
    assert.ok(codes.filter((c) => c === 'sms.code_wrong').length <= 4, codes.join(','));
    const right = await server.post('/api/v1/auth/login', { phone, code, agreements });
    assert.equal(right.status, 401);
    assert.equal(right.body.error.code, 'sms.code_attempts_exceeded');
  });

  test('one code used by simultaneous logins opens one session only', async () => {
    const phone = people[2].phone;
    const code = await server.sendCode(phone);
    const agreements = await server.agreements();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => server.post('/api/v1/auth/login', { phone, code, agreements })),
    );
    assert.equal(responses.filter((r) => r.status === 200).length, 1, responses.map((r) => r.text).join('\n'));
    const id = (await server.query(`SELECT id FROM candidates WHERE phone = '${phone}'`))[0].id;
    const sessions = await server.query(`SELECT COUNT(*) AS n FROM sessions WHERE subject_kind = 'candidate' AND subject_id = ${id}`);
    assert.deepEqual(sessions, [{ n: 1 }]);
  });

  test('simultaneous imports of overlapping files leave every row once, without server errors', async () => {
    const rows = candidates(300, { seed: 81 });
    const first = toCsv(rows.slice(0, 200));
    const second = toCsv(rows.slice(100, 300));
    const upload = (body) =>
      server.request('POST', '/api/v1/office/roster/import', { body, token: staffToken, headers: { 'content-type': 'text/csv' } });
    const responses = await Promise.all([upload(first), upload(second), upload(first), upload(second)]);
    for (const r of responses) {
      // 200, or a clean refusal to retry (409/503) — never a 500 or a half import.
      assert.ok([200, 409, 503].includes(r.status), `${r.status} ${r.text.slice(0, 300)}`);
    }
    const ok = responses.filter((r) => r.status === 200);
    assert.ok(ok.length >= 1);
    const stored = await server.query("SELECT COUNT(*) AS n FROM candidates WHERE registration_no LIKE 'E2E0081%'");
    const expected = new Set(ok.flatMap((r, i) => (r.status === 200 ? [i % 2] : [])));
    const count = expected.has(0) && expected.has(1) ? 300 : 200;
    assert.deepEqual(stored, [{ n: count }]);
  });
});
