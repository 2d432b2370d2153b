// The `http` SMS gateway against a stand-in provider: what it sends, and what a failing or
// hanging provider does to the candidate (503 sms.send_failed, and no code that would
// block the next try even with the 60 s resend interval on).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { startSmsProvider } from './standins/sms-provider.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { assertError, useServer } from './lib/server.mjs';

const provider = await startSmsProvider();
after(() => provider.close());

const people = candidates(6, { seed: 50 });
const server = useServer({
  roster: toCsv(people),
  env: {
    EXAMPHOTO_SMS_GATEWAY: 'http',
    EXAMPHOTO_SMS_HTTP_URL: `${provider.url}/v1/sms/send`,
    EXAMPHOTO_SMS_HTTP_API_KEY: 'e2e-provider-key',
    EXAMPHOTO_SMS_HTTP_TIMEOUT_MS: '500',
    EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '60',
  },
});

async function codesStored(phone) {
  return (await server.query(`SELECT COUNT(*) AS n FROM sms_codes WHERE phone = '${phone}'`))[0].n;
}

test('the provider gets the phone and a text containing the code, which logs in', async () => {
  provider.mode = 'ok';
  const phone = people[0].phone;
  const sent = await server.post('/api/v1/auth/sms-code', { phone });
  assert.equal(sent.status, 200, sent.text);
  const request = provider.requests.at(-1);
  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/v1/sms/send');
  assert.equal(request.headers.authorization, 'Bearer e2e-provider-key');
  assert.match(request.headers['content-type'], /application\/json/);
  assert.equal(request.json.phone, phone);
  assert.match(request.json.code, /^\d{6}$/);
  assert.ok(request.json.text.includes(request.json.code), request.json.text);
  assert.match(request.json.text, /分钟内有效/);
  const login = await server.post('/api/v1/auth/login', { phone, code: request.json.code, agreements: await server.agreements() });
  assert.equal(login.status, 200, login.text);
});

test('the dev outbox does not exist with the http gateway', async () => {
  const response = await server.get(`/api/v1/dev/sms-outbox?phone=${people[0].phone}`);
  assert.equal(response.status, 404);
});

test('a provider answering 500 is 503 sms.send_failed, and the next try is not blocked', async () => {
  const phone = people[1].phone;
  provider.mode = 'fail';
  const failed = await server.post('/api/v1/auth/sms-code', { phone });
  assertError(failed, 503, 'sms.send_failed');
  assert.equal(provider.requests.at(-1).json.phone, phone);
  assert.equal(await codesStored(phone), 0);
  provider.mode = 'ok';
  const retried = await server.post('/api/v1/auth/sms-code', { phone });
  assert.equal(retried.status, 200, retried.text);
  const code = provider.requests.at(-1).json.code;
  const login = await server.post('/api/v1/auth/login', { phone, code, agreements: await server.agreements() });
  assert.equal(login.status, 200, login.text);
});

test('a provider slower than the timeout is 503 sms.send_failed, and the next try is not blocked', async () => {
  const phone = people[2].phone;
  provider.mode = 'slow';
  const failed = await server.post('/api/v1/auth/sms-code', { phone });
  assertError(failed, 503, 'sms.send_failed');
  assert.equal(await codesStored(phone), 0);
  provider.mode = 'ok';
  const retried = await server.post('/api/v1/auth/sms-code', { phone });
  assert.equal(retried.status, 200, retried.text);
});

test('the server keeps answering other requests while the provider hangs', async () => {
  provider.mode = 'slow';
  const hanging = server.post('/api/v1/auth/sms-code', { phone: people[3].phone });
  const health = await server.get('/healthz');
  assert.equal(health.status, 200);
  assertError(await hanging, 503, 'sms.send_failed');
  provider.mode = 'ok';
});

// The send-code handler runs on the worker pool, so hanging sends never hold an I/O thread.
test('two hanging sends at once do not stall the server', async () => {
  provider.mode = 'slow';
  const seen = provider.requests.length;
  const sends = [people[4].phone, people[5].phone].map((phone) =>
    server.post('/api/v1/auth/sms-code', { phone }).then(() => 'send'),
  );
  for (let i = 0; i < 250 && provider.requests.length < seen + 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(provider.requests.length, seen + 2, 'the provider did not get both sends');
  const first = await Promise.race([server.get('/healthz').then(() => 'health'), ...sends]);
  await Promise.all(sends);
  provider.mode = 'ok';
  assert.equal(first, 'health', 'healthz waited for the hanging SMS sends');
});

test('after a successful send the 60 s resend interval applies', async () => {
  provider.mode = 'ok';
  const response = await server.post('/api/v1/auth/sms-code', { phone: people[1].phone });
  assertError(response, 429, 'sms.resend_too_soon');
});
