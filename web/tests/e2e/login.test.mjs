// Login mistakes a candidate makes: a wrong SMS code, a phone not in the roster, no tick on
// the agreements. Each is explained in Chinese on the login screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchPhone, latestSmsCode, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER } from './candidates.mjs';
import { assertNoPageErrors, button, expectRoute, expectText, requestCode } from './steps.mjs';

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

test('a wrong SMS code is refused with what to do, and the right one then logs in', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.happy;
  await page.goto(server.baseUrl + '/#/login');
  await requestCode(page, candidate.phone);
  await expectText(page, '秒后重新获取');
  assert.equal(await button(page, '获取验证码').count(), 0, 'the code button counts down');
  const code = await latestSmsCode(server.baseUrl, candidate.phone);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('验证码').fill(wrong);
  await page.locator('.van-checkbox__icon').click();
  await button(page, '登录').click();
  await expectText(page, '验证码不正确');
  await screenshot(page, '20-login-wrong-code');
  assert.match(await page.getByRole('alert').innerText(), /验证码/);
  await page.getByLabel('验证码').fill(code);
  await button(page, '登录').click();
  await expectRoute(page, '/id-card');
  assertNoPageErrors(phone);
});

test('the agreements open from the login form, which keeps what was typed', async () => {
  const page = await phone.context.newPage();
  await page.goto(server.baseUrl + '/#/help');
  await page.evaluate(() => window.localStorage.clear());
  await page.goto(server.baseUrl + '/#/login');
  await page.getByLabel('手机号').fill(CANDIDATES.resume.phone);
  await page.getByRole('link', { name: '《用户协议》' }).click();
  await expectRoute(page, '/agreement/user');
  await expectText(page, '版本');
  await page.getByText('返回').first().click();
  await expectRoute(page, '/login');
  assert.equal(await page.getByLabel('手机号').inputValue(), CANDIDATES.resume.phone);
  assert.equal(await page.locator('.van-checkbox[aria-checked="true"]').count(), 0, 'following a link does not tick the box');
  await page.getByRole('link', { name: '《隐私协议》' }).click();
  await expectRoute(page, '/agreement/privacy');
  await page.close();
});

test('asking for a second code within the minute is refused and the countdown resumes', async () => {
  const page = await phone.context.newPage();
  await page.goto(server.baseUrl + '/#/help');
  await page.evaluate(() => window.localStorage.clear());
  await page.goto(server.baseUrl + '/#/login');
  await requestCode(page, CANDIDATES.rejected.phone);
  await expectText(page, '秒后重新获取');
  // A new visit that forgot the countdown (another tab) asks again at once.
  await page.evaluate(() => window.sessionStorage.clear());
  await page.reload();
  await requestCode(page, CANDIDATES.rejected.phone);
  await expectText(page, '秒后再重新获取');
  await expectText(page, '秒后重新获取');
  await screenshot(page, '22-login-code-too-soon');
  await page.close();
});

test('a phone that is not in the roster gets a clear message', async () => {
  const context = phone.context;
  const page = await context.newPage();
  await page.goto(server.baseUrl + '/#/help');
  await page.evaluate(() => window.localStorage.clear());
  await page.goto(server.baseUrl + '/#/login');
  await requestCode(page, '13900000000');
  await expectText(page, '未在报名系统中登记');
  await screenshot(page, '21-login-unknown-phone');
  await page.close();
});

test('logging in without ticking the agreements is refused before anything is sent', async () => {
  const page = await phone.context.newPage();
  await page.goto(server.baseUrl + '/#/help');
  await page.evaluate(() => window.localStorage.clear());
  await page.goto(server.baseUrl + '/#/login');
  await page.getByLabel('手机号').fill(CANDIDATES.resume.phone);
  await page.getByLabel('验证码').fill('123456');
  if (await page.locator('.van-checkbox[aria-checked="true"]').count()) await page.locator('.van-checkbox__icon').click();
  await button(page, '登录').click();
  await expectText(page, '请先阅读并同意《用户协议》及《隐私协议》');
  await page.close();
});
