// The guide from start to end on a phone: home → login → both sides of a generated ID card
// → 请确认身份信息 → photo examples → a real portrait → 照片检测合格 → 同意并提交 → waiting
// → 提交成功. Also visits the agreements and the help page, and keeps a screenshot of each.
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

test('a candidate goes from the home page to 提交成功', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.happy;
  await page.goto(server.baseUrl + '/');
  const cards = await idCardFiles(page, candidate, 'first');
  const portrait = await portraitFile(page, 'first');

  await login(page, server, candidate, { shots: true });
  await uploadIdCard(page, cards, { shots: true });
  await expectText(page, candidate.name);
  await confirmIdentity(page, candidate, { shots: true });

  await expectText(page, '正确示例');
  await screenshot(page, '08-photo-guide');
  await uploadPortrait(page, portrait, { shots: true });
  await submitAndConsent(page, { shots: true });

  await expectText(page, '提交成功');
  await page.locator('.id-photo__image').waitFor({ state: 'visible' });
  await screenshot(page, '14-result-success');
  assert.equal(await page.locator('[data-result="verified"]').count(), 1);
  // When, a reference, and the finished ID photo to keep.
  assert.match(await page.getByTestId('submitted-at').innerText(), /^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}$/);
  assert.match(await page.getByTestId('reference').innerText(), new RegExp('^' + candidate.registration_no + '-\\d+$'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-photo').click()]);
  assert.match(download.suggestedFilename(), new RegExp('证件照-' + candidate.registration_no + '\\.jpg'));
  assert.equal(await page.locator('.page-shell__steps').getAttribute('data-step-failed'), 'false');
  await assertAccessible(page, 'result-verified');
  assertNoPageErrors(phone);
});

test('the agreements and the help page are readable and give the office phone', async () => {
  const { page } = phone;
  await page.goto(server.baseUrl + '/#/agreement/user');
  await expectText(page, '版本');
  await screenshot(page, '15-agreement-user');
  await page.goto(server.baseUrl + '/#/agreement/privacy');
  await expectText(page, '版本');
  await screenshot(page, '16-agreement-privacy');
  await page.goto(server.baseUrl + '/#/help');
  await expectText(page, '多次拍照上传照片，仍无法合格');
  await expectText(page, '010-89193989 转 6');
  await screenshot(page, '17-help');
  await assertAccessible(page, 'help');
  assert.equal(await page.locator('a[href="tel:010-89193989,6"]').count() > 0, true);
});

test('a verified candidate who comes back lands on 提交成功 and stays locked', async () => {
  const { page } = phone;
  await page.goto(server.baseUrl + '/#/photo/upload');
  await expectRoute(page, '/result');
  await expectText(page, '提交成功');
  await button(page, '返回首页').click();
  await expectRoute(page, '/');
  await expectText(page, '当前进度：已提交成功');
  await screenshot(page, '18-home-returning');
  await button(page, '点击进入采集系统').click();
  await expectRoute(page, '/result');
});
