// Security findings F16 and F17: the demonstration defaults say what they are at every start:
// the local verifier compares the photo with a card image the candidate supplied (a forged
// card passes), and the log SMS gateway writes login codes to the log.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { withServer } from './lib/server.mjs';

async function startAndStop(env) {
  let logs = '';
  await withServer({ env }, async (server) => {
    const { code } = await server.stop();
    assert.equal(code, 0);
    logs = server.logs;
  });
  return logs;
}

test('the default verifier and SMS gateway announce themselves as demonstration modes', async () => {
  const logs = await startAndStop({});
  assert.match(logs, /level=warning verification\.demonstration_mode provider=local .*forged card passes/);
  assert.match(logs, /level=warning sms\.log_gateway .*demonstration/);
});

test('the production settings start without those warnings', async () => {
  const logs = await startAndStop({
    EXAMPHOTO_VERIFICATION_PROVIDER: 'http',
    EXAMPHOTO_VERIFICATION_HTTP_URL: 'http://127.0.0.1:9/verify',
    EXAMPHOTO_VERIFICATION_HTTP_SECRET: 'not-used-in-this-test',
    EXAMPHOTO_SMS_GATEWAY: 'http',
    EXAMPHOTO_SMS_HTTP_URL: 'http://127.0.0.1:9/send',
  });
  assert.doesNotMatch(logs, /demonstration_mode|sms\.log_gateway/);
});
