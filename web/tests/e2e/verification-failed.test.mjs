// The card carries one face and the candidate submits another person's: 身份核验不通过,
// then 重新拍照 with their own face ends in 提交成功.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchPhone, portraitFile, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER } from './candidates.mjs';
import { assertNoPageErrors, button, confirmIdentity, expectRoute, expectText, idCardFiles, login, submitAndConsent, uploadIdCard, uploadPortrait } from './steps.mjs';

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

test('a failed verification offers 重新拍照, and the retake passes', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.retake;
  await page.goto(server.baseUrl + '/');
  const cards = await idCardFiles(page, candidate, 'first');
  const ownFace = await portraitFile(page, 'first');
  const otherFace = await portraitFile(page, 'second');
  await login(page, server, candidate);
  await uploadIdCard(page, cards);
  await confirmIdentity(page, candidate);

  await uploadPortrait(page, otherFace);
  await submitAndConsent(page);
  await expectText(page, '身份核验不通过');
  // The step bar shows 身份核验 failed, not 完成 done; the reason and the checked photo.
  const steps = page.locator('.page-shell__steps');
  assert.equal(await steps.getAttribute('data-step-failed'), 'true');
  assert.equal(await steps.getAttribute('data-active-step'), '身份核验');
  assert.equal(await steps.locator('.van-step').last().evaluate((e) => e.classList.contains('van-step--finish') || e.classList.contains('van-step--process')), false);
  assert.ok((await page.getByTestId('failure-reason').innerText()).length > 5);
  await page.getByTestId('checked-photo').locator('img').waitFor();
  await screenshot(page, '50-verification-failed');
  await assertAccessible(page, 'result-failed');
  await button(page, '重新拍照').click();
  await expectRoute(page, '/photo/upload');

  await uploadPortrait(page, ownFace);
  await submitAndConsent(page);
  await expectText(page, '提交成功');
  await screenshot(page, '51-verification-retake-success');
  assertNoPageErrors(phone);
});
