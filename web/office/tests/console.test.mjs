// The office console in Chromium against the real server: login, roster import with a bad
// file (row-by-row report, nothing imported) and a good one, search, the correction that
// lets a mismatched candidate go on, a reset, and the photo export (the ZIP is opened and
// its names and count checked).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Office, PASSWORD, assertAccessible, csv, person, zipNames } from './harness.mjs';

const initial = [person(1), person(2), person(3), person(4)];
const added = [person(11), person(12)];

describe('office console', () => {
  const office = new Office();
  let page;

  before(async () => {
    await office.start({ roster: initial });
    page = office.page;
  });
  after(() => office.stop());

  async function openCandidate(query) {
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-query').fill(query);
    await page.getByTestId('search-submit').click();
    const row = page.getByTestId('search-results').locator('tbody tr').first();
    await row.waitFor();
    await row.click();
    await page.getByTestId('detail-name').waitFor();
  }

  async function act(testId, reason, fill) {
    await page.getByTestId(testId).click();
    if (fill) await fill();
    await page.getByTestId('action-reason').fill(reason);
    await page.getByTestId('action-submit').click();
  }

  test('login: a wrong password is refused with a message, the right one opens the console', async () => {
    await page.goto(`${office.url}/office/`);
    await page.getByTestId('username').waitFor();
    assert.match(page.url(), /\/office\/login\?next=/);
    await assertAccessible(page, 'login');
    await page.getByTestId('username').fill('office.admin');
    await page.getByTestId('password').fill('wrong-password-1');
    await page.getByTestId('login-submit').click();
    await assert.doesNotReject(page.getByTestId('login-error').waitFor());
    assert.match(await page.getByTestId('login-error').innerText(), /[\u4e00-\u9fff]/);
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('whoami').waitFor();
    assert.match(await page.getByTestId('whoami').innerText(), /office\.admin（管理员）/);
    await office.shot('01-login');
  });

  test('roster import: a bad file shows each row problem and imports nothing; a good file imports', async () => {
    await page.getByTestId('nav-import').click();
    const bad = path.join(office.dataDir, 'bad.csv');
    fs.writeFileSync(bad, csv([added[0], { ...added[1], id_number: '110105199001011230', phone: '12345' }]));
    await page.getByTestId('roster-file').setInputFiles(bad);
    await page.getByTestId('roster-upload').click();
    await page.getByTestId('import-problems').waitFor();
    const problems = await page.getByTestId('import-problems').locator('tbody tr').allInnerTexts();
    assert.ok(problems.length >= 2, problems.join('\n'));
    assert.ok(problems.every((p) => p.startsWith('3')), problems.join('\n'));
    // Columns by their Chinese names, and rows and problems counted apart.
    assert.ok(problems.some((p) => p.includes('手机号')), problems.join('\n'));
    assert.ok(problems.every((p) => !/\b(phone|id_number|registration_no)\b/.test(p)), problems.join('\n'));
    assert.equal(await page.getByTestId('import-summary').innerText(), `1 行共 ${problems.length} 处问题，本次未导入任何数据。`);
    await assertAccessible(page, 'import');
    await office.shot('02-import-bad');
    assert.equal(await office.sql('SELECT count(*) FROM candidates'), String(initial.length));

    const good = path.join(office.dataDir, 'good.csv');
    fs.writeFileSync(good, csv(added));
    await page.getByTestId('roster-file').setInputFiles(good);
    await page.getByTestId('roster-upload').click();
    await page.getByTestId('import-ok').waitFor();
    assert.match(await page.getByTestId('import-ok').innerText(), /新增 2/);
    assert.equal(await office.sql('SELECT count(*) FROM candidates'), String(initial.length + added.length));
    await office.shot('03-import-good');
  });

  test('search by phone, ID number and name finds the candidate', async () => {
    await page.getByTestId('nav-search').click();
    for (const query of [added[0].phone, added[0].id_number, added[0].name]) {
      await page.getByTestId('search-query').fill(query);
      await page.getByTestId('search-submit').click();
      await page.waitForFunction(
        (expected) => document.querySelector('[data-testid="search-results"] tbody')?.innerText.includes(expected),
        added[0].registration_no,
      );
    }
    await office.shot('04-search');
    await assertAccessible(page, 'search');
  });

  test('correction lets a mismatched candidate press 确认无误 again and go on', async () => {
    const candidate = initial[0];
    const token = await office.candidateLogin(candidate.phone);
    await office.candidate(token, 'GET', '/api/v1/me');
    const id = await office.sql(`SELECT id FROM candidates WHERE phone = '${candidate.phone}'`);
    const cardName = '欧阳明月';
    const side = JSON.stringify({ uploaded: true, fields: { name: cardName, id_number: candidate.id_number }, confidence: {}, issues: [] });
    await office.sql(`UPDATE collections SET state = 'id_card_uploaded', portrait_side = '${side}', emblem_side = '{"uploaded":true,"fields":{},"confidence":{},"issues":[]}' WHERE candidate_id = ${id}`);
    assert.equal((await office.candidate(token, 'POST', '/api/v1/me/id-card/confirm')).state, 'identity_mismatch');

    await openCandidate(candidate.phone);
    await page.getByTestId('detail-mismatch').waitFor();
    assert.match(await page.getByTestId('detail-state').innerText(), /身份信息不一致/);
    assert.match(page.url(), new RegExp(`/office/candidates/${id}\\b`));
    assert.match(await page.getByTestId('detail-mismatch').innerText(), /姓名/);
    await assertAccessible(page, 'candidate');
    await act('action-correct', '考生持身份证原件核对，报名时姓名填错', () => page.getByTestId('correct-name').fill(cardName));
    await page.waitForFunction((name) => document.querySelector('[data-testid="detail-name"]')?.innerText === name, cardName);
    await office.shot('05-corrected');

    const confirmed = await office.candidate(token, 'POST', '/api/v1/me/id-card/confirm');
    assert.equal(confirmed.state, 'identity_confirmed');
    const audit = await office.sql(`SELECT actor || '|' || action || '|' || reason FROM audit_log WHERE candidate_id = ${id} AND action = 'correct_record'`);
    assert.equal(audit, 'office.admin|correct_record|考生持身份证原件核对，报名时姓名填错');
  });

  test('reset sends the candidate back to the ID card step', async () => {
    const candidate = initial[0];
    await page.keyboard.press('Escape');
    await openCandidate(candidate.phone);
    // Without a reason the server refuses and the dialog says why.
    await page.getByTestId('action-reset').click();
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-error').waitFor();
    assert.match(await page.getByTestId('action-error').innerText(), /原因/);
    await page.getByTestId('action-reason').fill('考生更换了新身份证');
    await page.getByTestId('action-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="detail-state"]')?.innerText === '待上传身份证');
    const id = await office.sql(`SELECT id FROM candidates WHERE phone = '${candidate.phone}'`);
    assert.equal(await office.sql(`SELECT state FROM collections WHERE candidate_id = ${id}`), 'id_card_pending');
    await office.shot('06-reset');
    await page.keyboard.press('Escape');
  });

  test('export: the ZIP holds one photo per verified candidate, named by ID number', async () => {
    const verified = [initial[1], initial[2], added[1]];
    fs.mkdirSync(path.join(office.dataDir, 'blobs', 'photo'), { recursive: true });
    for (const [i, candidate] of verified.entries()) {
      const token = await office.candidateLogin(candidate.phone);
      await office.candidate(token, 'GET', '/api/v1/me');
      const id = await office.sql(`SELECT id FROM candidates WHERE phone = '${candidate.phone}'`);
      fs.writeFileSync(path.join(office.dataDir, 'blobs', 'photo', `ui${i}`), `photo ${i}`);
      const attempt = await office.sql(
        `INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key) VALUES (${id}, ${Date.now()}, 1, '[]', 'photo/ui${i}', 'photo/ui${i}') RETURNING id`,
      );
      await office.sql(`UPDATE collections SET state = 'verified', photo_attempt_id = ${attempt} WHERE candidate_id = ${id}`);
    }
    await office.sealBlobs();
    await page.getByTestId('nav-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-zip').click()]);
    const file = path.join(office.downloads, 'export.zip');
    await download.saveAs(file);
    const names = zipNames(fs.readFileSync(file)).sort();
    assert.deepEqual(names, verified.map((c) => `${c.id_number}.jpg`).sort());

    await page.getByTestId('export-key-registration').click();
    const [second] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-zip').click()]);
    const secondFile = path.join(office.downloads, 'export-registration.zip');
    await second.saveAs(secondFile);
    assert.deepEqual(zipNames(fs.readFileSync(secondFile)).sort(), verified.map((c) => `${c.registration_no}.jpg`).sort());
    await office.shot('07-export');
    await assertAccessible(page, 'export');
  });

  test('dashboard draws the chart and counts the verified candidates', async () => {
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('chart').waitFor();
    assert.equal(await page.getByTestId('verified').innerText(), '3');
    assert.equal(await page.getByTestId('total').innerText(), String(initial.length + added.length));
    await office.shot('08-dashboard');
    await assertAccessible(page, 'dashboard');
  });

  // No raw codes: states, history events, actors, card fields and job results by their labels.
  test('the candidate file speaks Chinese: states, history, card fields, verification with the threshold', async () => {
    const candidate = initial[3];
    const token = await office.candidateLogin(candidate.phone);
    await office.candidate(token, 'GET', '/api/v1/me');
    const id = await office.sql(`SELECT id FROM candidates WHERE phone = '${candidate.phone}'`);
    const side = JSON.stringify({ uploaded: true, fields: { name: candidate.name, id_number: candidate.id_number, ethnicity: '汉', address: '北京市海淀区' }, confidence: {}, issues: [] });
    fs.mkdirSync(path.join(office.dataDir, 'blobs', 'card'), { recursive: true });
    fs.writeFileSync(path.join(office.dataDir, 'blobs', 'card', 'c1'), 'card');
    await office.sql(`INSERT INTO id_card_uploads (candidate_id, side, created_at, accepted, reading, image_key) VALUES (${id}, 'portrait', ${Date.now()}, 1, '${side}', 'card/c1')`);
    await office.sql(`INSERT INTO collection_events (candidate_id, happened_at, actor, event, from_state, to_state, detail) VALUES (${id}, ${Date.now()}, 'candidate', 'identity_matched', 'id_card_uploaded', 'identity_confirmed', '{}')`);
    fs.writeFileSync(path.join(office.dataDir, 'blobs', 'photo', 'v1'), 'photo');
    const attempt = await office.sql(`INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key) VALUES (${id}, ${Date.now()}, 1, '[]', 'photo/v1', 'photo/v1') RETURNING id`);
    await office.sql(`INSERT INTO verification_jobs (candidate_id, photo_attempt_id, status, attempts, run_after, outcome, score, detail, created_at, updated_at) VALUES (${id}, ${attempt}, 'done', 1, 0, 'failed', 0.38, 'distance=0.620000 threshold=0.550000', ${Date.now()}, ${Date.now()})`);
    await office.sealBlobs();
    await page.goto(`${office.url}/office/candidates/${id}`);
    await page.getByTestId('detail-name').waitFor();
    await page.getByTestId('history').locator('li').first().waitFor();
    const drawer = await page.getByTestId('detail').innerText();
    assert.match(drawer, /考生 · 确认身份信息（与报名信息一致） · 待确认身份 → 待拍照/);
    assert.match(drawer, /公民身份号码：/);
    assert.match(drawer, /民族：汉/);
    assert.match(await page.getByTestId('jobs').innerText(), /核验不通过\s+38\.0%（≥ 45\.0% 通过）/);
    const codes = drawer.match(/\b[a-z]+(?:_[a-z]+)+\b/g);
    assert.equal(codes, null, `raw codes shown: ${codes}`);
    await office.shot('09-candidate-labels');
  });

  test('every page has its own address, survives a reload, and a second tab needs no login', async () => {
    const id = await office.sql(`SELECT id FROM candidates WHERE phone = '${initial[1].phone}'`);
    const pages = [
      ['/office/search?q=' + encodeURIComponent(initial[1].name), 'search-results'],
      ['/office/dashboard', 'chart'],
      ['/office/import', 'roster-file'],
      ['/office/export', 'export-zip'],
      ['/office/poster', 'poster-qr'],
      ['/office/audit', 'audit'],
      [`/office/candidates/${id}`, 'detail-name'],
    ];
    for (const [address, testId] of pages) {
      await page.goto(office.url + address);
      await page.getByTestId(testId).first().waitFor();
      await page.getByTestId('whoami').waitFor();
      assert.equal(new URL(page.url()).pathname, address.split('?')[0]);
    }
    await page.goto(`${office.url}/office/poster`);
    await page.getByTestId('poster-qr').waitFor();
    await assertAccessible(page, 'poster');
    const query = `${office.url}/office/search?q=${encodeURIComponent(initial[1].name)}`;
    await page.goto(query);
    await page.waitForFunction((expected) => document.querySelector('[data-testid="search-results"] tbody')?.innerText.includes(expected), initial[1].registration_no);
    assert.equal(await page.getByTestId('search-query').inputValue(), initial[1].name);

    const second = await office.context.newPage();
    await second.goto(`${office.url}/office/audit`);
    await second.getByTestId('audit').waitFor();
    assert.match(await second.getByTestId('whoami').innerText(), /office\.admin/);
    await second.getByTestId('logout').click();
    await second.getByTestId('username').waitFor();
    // Logging out in one tab logs out the others.
    await page.getByTestId('username').waitFor();
    await second.close();
    await page.getByTestId('username').fill('office.admin');
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('whoami').waitFor();
  });

  test('audit log: 报名号 and name, one entry per opened file however many images, filters', async () => {
    const candidate = initial[3];
    const id = await office.sql(`SELECT id FROM candidates WHERE phone = '${candidate.phone}'`);
    const before = Number(await office.sql(`SELECT count(*) FROM audit_log WHERE candidate_id = ${id}`));
    await page.goto(`${office.url}/office/candidates/${id}`);
    await page.getByTestId('attempts').locator('img').first().waitFor();
    await page.locator('.images img').first().waitFor();
    const rows = await office.sql(`SELECT action FROM audit_log WHERE candidate_id = ${id} ORDER BY id`);
    assert.deepEqual(rows.split('\n').slice(before), ['view_candidate']);

    await page.goto(`${office.url}/office/search`);
    await page.getByTestId('search-query').fill(candidate.id_number);
    await page.getByTestId('search-submit').click();
    await page.waitForFunction((expected) => document.querySelector('[data-testid="search-results"] tbody')?.innerText.includes(expected), candidate.registration_no);

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-actor').fill('office.admin');
    await page.getByTestId('audit-action').click();
    await page.getByRole('option', { name: '查看考生档案' }).click();
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    // The calendar that opens is a dialog with a name (axe runs while it is open).
    await page.getByPlaceholder('开始日期').click();
    await page.getByRole('dialog', { name: '选择日期范围' }).waitFor();
    await assertAccessible(page, 'audit with the calendar open');
    await page.getByPlaceholder('开始日期').fill(today);
    await page.getByPlaceholder('结束日期').fill(today);
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-search').click();
    await page.getByRole('dialog', { name: '选择日期范围' }).waitFor({ state: 'hidden' });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('action') === 'view_candidate');
    const table = page.getByTestId('audit').locator('tbody tr');
    await table.first().waitFor();
    const lines = await table.allInnerTexts();
    assert.ok(lines.every((l) => l.includes('查看考生档案')), lines.join('\n'));
    assert.ok(lines[0].includes(candidate.registration_no) && lines[0].includes(candidate.name), lines[0]);
    assert.match(page.url(), new RegExp(`from=${today}&to=${today}|to=${today}`));
    await assertAccessible(page, 'audit');
    // The search with the full ID number is there too.
    await page.goto(`${office.url}/office/audit?action=search_candidates`);
    await page.getByTestId('audit').locator('tbody tr').first().waitFor();
    assert.match(await page.getByTestId('audit').locator('tbody tr').first().innerText(), new RegExp(`查询“${candidate.id_number}”`));
    await office.shot('10-audit');
  });
});
