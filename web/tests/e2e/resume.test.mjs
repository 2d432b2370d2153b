// The server owns the step: a reload, a new browser tab or a return after closing the
// browser lands on the same screen; a lost connection shows 重试, never a blank page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchPhone, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER } from './candidates.mjs';
import { assertNoPageErrors, button, expectRoute, expectText, idCardFiles, login, uploadIdCardSide } from './steps.mjs';

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

test('a reload in the middle of the ID card upload resumes where the candidate was', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.resume;
  await page.goto(server.baseUrl + '/');
  const cards = await idCardFiles(page, candidate, 'first');
  await login(page, server, candidate);
  await uploadIdCardSide(page, 'portrait', cards.portrait);

  await page.reload();
  await expectRoute(page, '/id-card');
  await expectText(page, '人像面已上传');
  await uploadIdCardSide(page, 'emblem', cards.emblem);
  await button(page, '确定').click();
  await expectRoute(page, '/confirm');

  // A return "days later": a new tab opened on the home page.
  const later = await phone.context.newPage();
  await later.goto(server.baseUrl + '/');
  await button(later, '点击进入采集系统').click();
  await expectRoute(later, '/confirm');
  await expectText(later, candidate.id_number);
  await later.close();

  // A screen of a later step is not reachable before its time.
  await page.goto(server.baseUrl + '/#/consent');
  await expectRoute(page, '/confirm');
  assertNoPageErrors(phone);
});

test('a lost connection shows the reason and 重试, which recovers', async () => {
  const { page } = phone;
  await page.route('**/api/v1/me', (route) => route.abort('internetdisconnected'));
  await page.goto(server.baseUrl + '/#/confirm');
  await page.reload();
  await expectRoute(page, '/retry');
  await expectText(page, '网络连接失败');
  await screenshot(page, '60-offline-retry');
  assert.equal(await button(page, '重试').count(), 1);
  await page.unroute('**/api/v1/me');
  await button(page, '重试').click();
  // Back on the candidate's step (the confirmation, if the test before passed).
  await page.waitForFunction(() => !window.location.hash.startsWith('#/retry'));
  assert.equal(await page.getByText('网络连接失败').count(), 0);
});
