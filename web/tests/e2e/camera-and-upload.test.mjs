// The live camera (Chromium's fake camera stands in for the phone's) with its card frame
// and face outline, a picture the server refuses with its reason, and a 12-megapixel photo
// that the browser shrinks to 2000 px before sending it with a progress bar.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR, USING_MOCK, launchPhone, portraitFile, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER } from './candidates.mjs';
import { button, confirmIdentity, expectRoute, expectText, idCardFiles, login, pickFile, uploadIdCard } from './steps.mjs';

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

// Width and height from a JPEG's start-of-frame segment.
function jpegSize(bytes) {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1];
    const length = bytes.readUInt16BE(offset + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return null;
}

async function bigPhoto(page) {
  const out = path.join(FIXTURES_DIR, 'portrait-first-12mp.jpg');
  if (fs.existsSync(out)) return out;
  const source = fs.readFileSync(await portraitFile(page, 'first')).toString('base64');
  const base64 = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = 'data:image/jpeg;base64,' + data;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 3000;
    canvas.height = 4000;
    canvas.getContext('2d').drawImage(image, 0, 0, 3000, 4000);
    return canvas.toDataURL('image/jpeg', 0.95).split(',')[1];
  }, source);
  fs.writeFileSync(out, Buffer.from(base64, 'base64'));
  return out;
}

test('拍照上传 shows the live camera with a card frame; a picture without a card is refused with its reason', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.camera;
  await page.goto(server.baseUrl + '/');
  await login(page, server, candidate);
  await page.getByRole('button', { name: '点击上传人像面' }).click();
  await button(page, '拍照上传').click();
  const shutter = page.getByRole('button', { name: '拍照', exact: true });
  await shutter.waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const video = document.querySelector('.camera__video');
    return video && video.videoWidth > 0;
  });
  await expectText(page, '请将身份证放在框内');
  await expectText(page, '正在拍摄：身份证人像面');
  await screenshot(page, '70-camera-card-frame');
  await shutter.click();
  await button(page, '使用照片').click();
  await page.locator('.camera').waitFor({ state: 'detached' });
  if (!USING_MOCK) {
    const alert = page.locator('[data-side="portrait"] [role="alert"]');
    await alert.waitFor({ state: 'visible', timeout: 60000 });
    assert.ok((await alert.innerText()).length > 6, 'the refusal says why');
    await screenshot(page, '71-id-card-refused');
  }
});

test('a 12-megapixel photo is shrunk to 2000 px in the browser and uploaded with a progress bar', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.camera;
  const cards = await idCardFiles(page, candidate, 'first');
  await page.goto(server.baseUrl + '/#/id-card');
  await expectRoute(page, '/id-card');
  await page.reload();
  await uploadIdCard(page, cards);
  await confirmIdentity(page, candidate);
  await button(page, '我已了解，开始上传照片').click();
  await expectRoute(page, '/photo/upload');

  await button(page, '直接拍照').click();
  await page.waitForFunction(() => {
    const video = document.querySelector('.camera__video');
    return video && video.videoWidth > 0;
  });
  await expectText(page, '请将脸部置于轮廓内');
  await screenshot(page, '73-camera-face-outline');
  await button(page, '取消').first().click();
  await page.locator('.camera').waitFor({ state: 'detached' });

  const photo = await bigPhoto(page);
  // Keeps the body the app hands to XHR (Chromium does not report Blob bodies).
  await page.evaluate(() => {
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function keep(body) {
      if (body instanceof Blob) window.lastUploadBody = body;
      return send.call(this, body);
    };
  });
  await pickFile(page, () => button(page, '相册上传').click(), photo);
  await expectText(page, '照片预览');
  // A slow mobile uplink, so that the progress bar can be seen.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
  await button(page, '下一步').click();
  await page.getByText(/正在上传 [1-9]\d?%/).waitFor({ state: 'visible', timeout: 60000 });
  assert.equal(await button(page, '取消').isDisabled(), true, 'no second action while uploading');
  await screenshot(page, '72-photo-uploading', { settle: false });
  await expectRoute(page, '/photo/result', 120000);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const base64 = await page.evaluate(async () => {
    const bytes = new Uint8Array(await window.lastUploadBody.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 1) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  });
  const uploaded = Buffer.from(base64, 'base64');
  const size = jpegSize(uploaded);
  assert.deepEqual(size, { width: 1500, height: 2000 }, 'long side cut to 2000 px, aspect kept');
  assert.ok(uploaded.length < fs.statSync(photo).size, 'fewer bytes than the original');
});
