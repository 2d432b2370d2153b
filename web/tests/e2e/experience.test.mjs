// What a candidate meets beyond the happy path (issue 16): live framing guidance in the
// portrait camera (a scripted camera moves a real face about), the camera still working when
// the guidance cannot load, the ID card camera's side, mask and 重拍 / 使用照片, files that are
// no photo refused when chosen, touch targets, 退出 in the header, the rear-camera example,
// and an accessibility pass (axe-core) on every screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { USING_MOCK, assertAccessible, latestSmsCode, launchPhone, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER, withCheckDigit } from './candidates.mjs';
import { installSceneCamera, setScene, SCENES } from './camera-scene.mjs';
import { button, expectRoute, expectText, openAtState, pickFile } from './steps.mjs';

// People of this file only (their states are set directly).
const EXTRA = {
  guidance: { phone: '13800000011', registration_no: '010126100011', name: '钱十一', id_number: withCheckDigit('11010519900307141'), session: '2026-10' },
  files: { phone: '13800000012', registration_no: '010126100012', name: '冯十二', id_number: withCheckDigit('11010519900307143'), session: '2026-10' },
  pages: { phone: '13800000013', registration_no: '010126100013', name: '陈十三', id_number: withCheckDigit('11010519900307145'), session: '2026-10' },
};

let server;
let phone;
// Each test logs its candidate in afresh: no minute between two codes for the same phone.
process.env.EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS = '0';

before(async () => {
  server = await startServer({ roster: [...ROSTER, ...Object.values(EXTRA)] });
  phone = await launchPhone();
});

after(async () => {
  if (phone) await phone.close();
  if (server) await server.stop();
});

const camera = (page) => page.locator('.camera');
const hint = (page) => page.getByTestId('camera-hint');

// Waits until the guidance shows `text` (it changes only after two frames agree).
async function expectHint(page, text) {
  await page.waitForFunction((expected) => document.querySelector('[data-testid="camera-hint"]')?.innerText.includes(expected), text, { timeout: 60000 });
}

test('the portrait camera guides the framing live and turns green when it would pass', async () => {
  const page = await phone.context.newPage();
  await installSceneCamera(page);
  await openAtState(page, server, EXTRA.guidance, 'identity_confirmed', '/photo/upload');
  await button(page, '直接拍照').click();
  await page.waitForFunction(() => document.querySelector('.camera')?.dataset.guidance === 'ready', null, { timeout: 120000 });

  await setScene(page, SCENES.good);
  await page
    .waitForFunction(() => document.querySelector('.camera').dataset.green === 'true', null, { timeout: 60000 })
    .catch(async (error) => {
      throw new Error(`never green; the hint says ${await hint(page).innerText()}: ${error.message}`);
    });
  assert.match(await hint(page).innerText(), /位置合适/);
  assert.equal(await page.locator('.camera__oval').evaluate((e) => e.parentNode.getAttribute('stroke')), '#2bd46a');
  await screenshot(page, '80-guidance-green');
  await assertAccessible(page, 'camera-portrait');

  await setScene(page, SCENES.offCentre);
  await expectHint(page, '请将脸部置于中间');
  assert.equal(await camera(page).getAttribute('data-green'), 'false');
  await screenshot(page, '81-guidance-centre');
  await setScene(page, SCENES.dark);
  await expectHint(page, '光线太暗');
  await screenshot(page, '82-guidance-dark');
  await setScene(page, { scale: 2.6, dx: 0, dy: 80, light: 1 });
  await expectHint(page, '远一点');

  // 自动拍照: after a steady second of green the photo is taken by itself.
  await page.getByTestId('auto-capture').check();
  await setScene(page, SCENES.good);
  await camera(page).waitFor({ state: 'detached', timeout: 60000 });
  await expectText(page, '照片预览');
  assert.equal(await button(page, '下一步').isDisabled(), false);
  await page.close();
});

test('when the guidance cannot load, the camera takes the photo all the same', async () => {
  const page = await phone.context.newPage();
  await installSceneCamera(page);
  await page.route(/face-worker-.*\.js$/, (route) => route.abort());
  await openAtState(page, server, EXTRA.guidance, 'identity_confirmed', '/photo/upload');
  await button(page, '直接拍照').click();
  await page.waitForFunction(() => document.querySelector('.camera')?.dataset.guidance === 'unavailable', null, { timeout: 60000 });
  assert.match(await hint(page).innerText(), /请将脸部置于轮廓内/);
  await page.getByRole('button', { name: '拍照', exact: true }).click();
  await expectText(page, '照片预览');
  await page.close();
});

test('the ID card camera names the side, darkens outside the frame, and shows the shot with 重拍 / 使用照片', async () => {
  const page = await phone.context.newPage();
  await installSceneCamera(page);
  await openAtState(page, server, EXTRA.files, 'id_card_pending', '/id-card');
  await page.getByRole('button', { name: '点击上传国徽面' }).click();
  await button(page, '拍照上传').click();
  await page.waitForFunction(() => document.querySelector('.camera__video')?.videoWidth > 0);
  await expectText(page, '正在拍摄：身份证国徽面');
  const shade = await page.locator('.camera__overlay > rect').first().getAttribute('fill');
  assert.equal(shade, 'rgba(0,0,0,0.72)');
  await assertAccessible(page, 'camera-card');
  await page.getByRole('button', { name: '拍照', exact: true }).click();
  await expectText(page, '请检查身份证国徽面照片');
  await page.locator('.camera__shot').waitFor();
  await screenshot(page, '83-card-preview');
  await button(page, '重拍').click();
  await page.waitForFunction(() => document.querySelector('.camera__video')?.videoWidth > 0);
  await expectText(page, '正在拍摄：身份证国徽面');
  await page.getByRole('button', { name: '拍照', exact: true }).click();
  await button(page, '使用照片').click();
  await camera(page).waitFor({ state: 'detached' });
  if (!USING_MOCK) {
    // The scene holds no card: the server refuses it, with its reason, under the right side.
    await page.locator('[data-side="emblem"] [role="alert"]').waitFor({ timeout: 60000 });
  }
  await page.close();
});

test('a file that is no photo is refused when chosen, and 下一步 waits for a good one', async () => {
  const page = await phone.context.newPage();
  await openAtState(page, server, EXTRA.files, 'identity_confirmed', '/photo/upload');
  const folder = fs.mkdtempSync(path.join(server.dataDir, 'files-'));
  const text = path.join(folder, 'notes.txt');
  fs.writeFileSync(text, '这不是照片');
  const broken = path.join(folder, 'broken.jpg');
  fs.writeFileSync(broken, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]));
  await pickFile(page, () => button(page, '相册上传').click(), text);
  await expectText(page, '所选文件不是图片');
  assert.equal(await button(page, '下一步').isDisabled(), true);
  await pickFile(page, () => button(page, '相册上传').click(), broken);
  await expectText(page, '无法读取这张图片');
  assert.equal(await button(page, '下一步').isDisabled(), true);
  await screenshot(page, '84-photo-not-an-image');
  await assertAccessible(page, 'photo-upload-refused');
  const good = path.join(folder, 'good.png');
  const png = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 60;
    canvas.height = 80;
    canvas.getContext('2d').fillRect(0, 0, 60, 80);
    return canvas.toDataURL('image/png').split(',')[1];
  });
  fs.writeFileSync(good, Buffer.from(png, 'base64'));
  await pickFile(page, () => button(page, '相册上传').click(), good);
  await expectText(page, '照片预览');
  assert.equal(await button(page, '下一步').isDisabled(), false);
  await page.close();
});

test('touch targets are at least 44 × 44 px and their text at least 14 px', async () => {
  const page = await phone.context.newPage();
  await page.goto(server.baseUrl + '/');
  await page.evaluate(() => window.localStorage.clear());
  await page.goto(server.baseUrl + '/');
  await expectText(page, '点击进入采集系统');
  const measure = (locator) => locator.evaluate((e) => {
    const box = e.getBoundingClientRect();
    return { width: box.width, height: box.height, font: parseFloat(getComputedStyle(e).fontSize), text: e.innerText };
  });
  const targets = [page.getByRole('link', { name: '常见问题与帮助' }), page.getByRole('link', { name: /010-89193989/ })];
  await page.goto(server.baseUrl + '/#/login');
  await expectRoute(page, '/login');
  const onLogin = [
    button(page, '获取验证码'),
    page.locator('.login__agree .van-checkbox'),
    page.getByRole('link', { name: '《用户协议》' }),
    page.getByRole('link', { name: '《隐私协议》' }),
    page.getByRole('link', { name: '帮助' }),
  ];
  for (const locator of onLogin) {
    const m = await measure(locator);
    assert.ok(m.width >= 44 && m.height >= 44, `${m.text}: ${m.width}×${m.height}`);
    assert.ok(m.font >= 14, `${m.text}: ${m.font}px`);
  }
  await assertAccessible(page, 'login');
  await page.goto(server.baseUrl + '/');
  await expectText(page, '点击进入采集系统');
  for (const locator of targets) {
    const m = await measure(locator);
    assert.ok(m.width >= 44 && m.height >= 44, `${m.text}: ${m.width}×${m.height}`);
    assert.ok(m.font >= 14, `${m.text}: ${m.font}px`);
  }
  await assertAccessible(page, 'home');
  await page.close();
});

test('退出 in the header logs out from any screen', async () => {
  const page = await phone.context.newPage();
  await openAtState(page, server, EXTRA.pages, 'id_card_pending', '/id-card');
  await page.getByTestId('header-logout').click();
  await page.getByRole('dialog', { name: '退出登录' }).waitFor();
  await assertAccessible(page, 'logout-dialog');
  await button(page, '退出登录').click();
  await expectRoute(page, '/');
  assert.equal(await page.evaluate(() => window.localStorage.getItem('examphoto.token')), null);
  await page.goto(server.baseUrl + '/#/id-card');
  await expectRoute(page, '/login');
  await page.close();
});

test('every screen passes the accessibility check (no serious or critical violations)', async () => {
  const page = await phone.context.newPage();
  const visit = async (state, hash, name, ready) => {
    await openAtState(page, server, EXTRA.pages, state, hash);
    await expectRoute(page, hash);
    await expectText(page, ready);
    await assertAccessible(page, name);
  };
  await visit('id_card_pending', '/id-card', 'id-card', '点击上传人像面');
  await visit('identity_confirmed', '/photo/guide', 'photo-guide', '拍照前请查看示例');
  // 图十一 next to the drawn examples.
  const example = page.getByTestId('rear-camera-example');
  assert.match(await example.innerText(), /后置摄像头拍照示例[\s\S]*80-100cm[\s\S]*30cm/);
  await screenshot(page, '85-photo-guide-rear-camera');
  await visit('identity_confirmed', '/photo/upload', 'photo-upload', '选择上传方式');
  await visit('verifying', '/waiting', 'waiting', '正在进行身份核验');
  await visit('verification_failed', '/result', 'result-failed', '身份核验不通过');
  for (const [hash, name, ready] of [
    ['/help', 'help', '常见问题'],
    ['/agreement/user', 'agreement-user', '用户协议'],
    ['/agreement/privacy', 'agreement-privacy', '隐私协议'],
  ]) {
    await page.goto(server.baseUrl + '/#' + hash);
    await expectText(page, ready);
    await assertAccessible(page, name);
  }
  // The retry screen: the server cannot be reached.
  await page.route('**/api/v1/me', (route) => route.abort());
  await page.goto(server.baseUrl + '/#/help');
  await page.reload();
  await expectText(page, '常见问题');
  await page.evaluate(() => {
    window.location.hash = '#/id-card';
  });
  await expectRoute(page, '/retry');
  await button(page, '重试').waitFor();
  await assertAccessible(page, 'retry');
  await page.unroute('**/api/v1/me');
  await page.close();
});

test('the not-on-roster message gives the office phone, a wrong code the tries left', async () => {
  const page = await phone.context.newPage();
  await page.goto(server.baseUrl + '/#/help');
  // Logged out for real: a session another test left in this browser is forgotten, and the
  // app is loaded afresh (a hash change alone keeps the one it holds in memory).
  await page.evaluate(() => { window.localStorage.clear(); window.sessionStorage.clear(); });
  await page.goto(server.baseUrl + '/#/login');
  await page.reload();
  await page.getByLabel('手机号').fill('13900000099');
  await button(page, '获取验证码').click();
  await expectText(page, '未在报名系统中登记');
  assert.match(await page.getByRole('alert').innerText(), /010-89193989 转 6/);
  await page.getByLabel('手机号').fill(CANDIDATES.resume.phone);
  await button(page, '获取验证码').click();
  await expectText(page, '秒后重新获取');
  const code = await latestSmsCode(server.baseUrl, CANDIDATES.resume.phone);
  await page.getByLabel('验证码').fill(code === '000001' ? '000002' : '000001');
  await page.locator('.van-checkbox__icon').click();
  await button(page, '登录').click();
  await expectText(page, '验证码不正确');
  assert.match(await page.getByRole('alert').innerText(), /还可再输入4次/);
  await assertAccessible(page, 'login-error');
  await page.close();
});
