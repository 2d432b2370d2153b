// A portrait that fails the check (a group photo: more than one face) shows each reason
// with its fix, and 重新拍照 goes back to the upload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { USING_MOCK, assertAccessible, groupPhoto, launchPhone, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER } from './candidates.mjs';
import { assertNoPageErrors, button, confirmIdentity, expectRoute, expectText, idCardFiles, login, uploadIdCard, uploadPortrait } from './steps.mjs';

let server;
let phone;

before(async () => {
  server = await startServer({ roster: ROSTER });
  phone = await launchPhone();
});

after(async () => {
  if (phone) await phone.close();
  if (server) await server.stop();
});

test('a rejected photo shows its reasons and 重新拍照 starts again', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.rejected;
  await page.goto(server.baseUrl + '/');
  const cards = await idCardFiles(page, candidate, 'first');
  await login(page, server, candidate);
  await uploadIdCard(page, cards);
  await confirmIdentity(page, candidate);
  await uploadPortrait(page, groupPhoto(2));
  await expectText(page, '照片不合格');
  const issues = page.locator('.photo-result__issue');
  assert.ok((await issues.count()) >= 1, 'at least one reason');
  const first = await issues.first().innerText();
  assert.ok(first.length > 4, 'the reason is spelled out');
  assert.equal(await page.locator('.photo-result__hint').count() >= 1, true, 'with how to fix it');
  if (!USING_MOCK) assert.match(await page.locator('.photo-result__issues').innerText(), /人|脸/);
  assert.equal(await button(page, '提交照片').count(), 0, 'a rejected photo cannot be submitted');
  await screenshot(page, '40-photo-rejected');
  await assertAccessible(page, 'photo-rejected');
  await page.reload();
  await expectText(page, '照片不合格');
  await button(page, '重新拍照').click();
  await expectRoute(page, '/photo/upload');
  assertNoPageErrors(phone);
});
