// FAQ 一: the card says 李思, the roster says 李四. 确认无误 opens the dialog with the name in
// red and the office phone, the candidate cannot go on, and a reload shows it again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { assertAccessible, launchPhone, screenshot, startServer } from './harness.mjs';
import { CANDIDATES, ROSTER } from './candidates.mjs';
import { assertNoPageErrors, button, lineCount, expectRoute, expectText, idCardFiles, login, uploadIdCard } from './steps.mjs';

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

test('a card that disagrees with the registration opens the mismatch dialog', async () => {
  const { page } = phone;
  const candidate = CANDIDATES.mismatch;
  await page.goto(server.baseUrl + '/');
  const cards = await idCardFiles(page, candidate, 'second');
  await login(page, server, candidate);
  await uploadIdCard(page, cards);
  await button(page, '确认无误').click();
  await expectText(page, '身份证信息与报名信息不一致');
  const dialog = page.locator('.mismatch-dialog');
  await dialog.waitFor({ state: 'visible' });
  await screenshot(page, '30-mismatch-dialog');
  const nameRow = dialog.locator('tr[data-field="name"]');
  assert.match(await nameRow.innerText(), new RegExp(candidate.cardName + '[\\s\\S]*' + candidate.name));
  const color = await nameRow.locator('td').first().evaluate((cell) => getComputedStyle(cell).color);
  assert.equal(color, 'rgb(200, 38, 28)', 'the differing name is red');
  const idColor = await dialog.locator('tr[data-field="id_number"] td').first().evaluate((cell) => getComputedStyle(cell).color);
  assert.notEqual(idColor, 'rgb(200, 38, 28)', 'the matching number is not red');
  assert.match(await dialog.innerText(), /010-89193989 转 6/);
  const idCell = dialog.locator('tr[data-field="id_number"] td').first();
  assert.equal(await lineCount(idCell), 1, 'the ID number does not wrap');
  await assertAccessible(page, 'mismatch-dialog');

  await button(page, '我知道了').click();
  await screenshot(page, '31-mismatch-blocked');
  await page.reload();
  await expectRoute(page, '/confirm');
  await expectText(page, '暂不能继续采集');
  await page.locator('.mismatch-dialog').waitFor({ state: 'visible' });
  await button(page, '我知道了').click();
  await page.goto(server.baseUrl + '/#/photo/upload');
  await expectRoute(page, '/confirm');
  await assertAccessible(page, 'confirm-blocked');

  // The office corrects the registered name: the next load shows the new data, compared
  // again, without another 确认无误.
  execFileSync('sqlite3', ['-bail', path.join(server.dataDir, 'examphoto.db'), `UPDATE candidates SET name = '${candidate.cardName}' WHERE phone = '${candidate.phone}'`]);
  await page.reload();
  await expectRoute(page, '/confirm');
  const resolved = page.getByTestId('mismatch-resolved');
  await resolved.waitFor();
  assert.match(await resolved.innerText(), new RegExp('自考办已更正[\\s\\S]*' + candidate.cardName));
  assert.equal(await page.getByText('暂不能继续采集').count(), 0);
  assert.equal(await page.locator('.mismatch-dialog').isVisible(), false);
  await screenshot(page, '32-mismatch-resolved');

  await button(page, '重新录入').click();
  await expectRoute(page, '/id-card');
  await page.getByRole('button', { name: '点击上传人像面' }).waitFor({ state: 'visible' });
  await page.getByRole('button', { name: '点击上传国徽面' }).waitFor({ state: 'visible' });
  assert.equal(await button(page, '确定').isDisabled(), true, 'both sides are to be uploaded again');
  assertNoPageErrors(phone);
});
