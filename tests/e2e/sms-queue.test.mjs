// Sending a login code waits on the SMS provider, not the CPU: it runs on a pool of its own
// (RouteOptions::waits_on_network), so 获取验证码 is neither queued behind the ID card and
// photo processing nor refused when their queue is full. Found by the load test
// (docs/performance/load.md): with the code in the photo queue, logins waited up to 28 s
// under load and were the first requests refused with 503.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { useServer } from './lib/server.mjs';

const people = candidates(2, { seed: 91 });

describe('with the photo queue closed', () => {
  // No image request may wait for a worker: every one is refused at once.
  const server = useServer({ roster: toCsv(people), env: { EXAMPHOTO_HTTP_MAX_QUEUED_HEAVY: '0' } });
  let token;

  before(async () => {
    await server.ready;
    token = await server.login(people[0].phone);
  });

  test('an ID card upload is refused with 503 and Retry-After', async () => {
    const upload = await server.request('PUT', '/api/v1/me/id-card/portrait', {
      token,
      body: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      headers: { 'content-type': 'image/jpeg' },
    });
    assert.equal(upload.status, 503, upload.text);
    assert.equal(upload.body.error.code, 'service.overloaded');
    assert.equal(upload.headers.get('retry-after'), '5');
  });

  test('a login code is still sent, and the candidate logs in', async () => {
    const sent = await server.post('/api/v1/auth/sms-code', { phone: people[1].phone });
    assert.equal(sent.status, 200, sent.text);
    const code = await server.latestCode(people[1].phone);
    const login = await server.post('/api/v1/auth/login', { phone: people[1].phone, code, agreements: await server.agreements() });
    assert.equal(login.status, 200, login.text);
  });
});
