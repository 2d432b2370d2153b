// The office console's API: every endpoint for each role (admin, operator, viewer) and with a
// candidate token; search and keyset paging; the dashboard; candidate detail (audited); every
// action (correct a record so a mismatched candidate goes on, reset, accept/reject a photo by
// hand) with its reason, audit row and history; exports (ZIP names and count, CSV, XLSX);
// the audit log is append-only; the QR code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';

import { operations } from './lib/openapi.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { candidateId, exec, seedPhoto, setState } from './lib/seed.mjs';
import { zipNames } from './lib/zip.mjs';
import { assertError, useServer } from './lib/server.mjs';

const run = promisify(execFile);
const people = candidates(30, { seed: 71 });
const roster = toCsv(people);
const STAFF = [['o.admin', 'admin'], ['o.operator', 'operator'], ['o.viewer', 'viewer']];



describe('office console API', () => {
  const server = useServer({ roster, staff: STAFF });
  const tokens = {};

  test('staff of every role log in; who am I', async () => {
    for (const [username, role] of STAFF) {
      tokens[role] = await server.staffLogin(username);
      const me = await server.get('/api/v1/office/auth/me', { token: tokens[role] });
      assert.equal(me.status, 200, me.text);
      assert.deepEqual(me.body, { username, role });
    }
    tokens.candidate = await server.login(people[29].phone);
  });

  test('permissions: each endpoint for each role and a candidate token', async () => {
    const id = await candidateId(server, people[0]);
    // [method, path, body, least role]
    const endpoints = [
      ['GET', '/api/v1/office/auth/me', undefined, 'viewer'],
      ['GET', '/api/v1/office/candidates', undefined, 'viewer'],
      ['GET', '/api/v1/office/dashboard', undefined, 'viewer'],
      ['GET', `/api/v1/office/candidates/${id}`, undefined, 'viewer'],
      ['GET', '/api/v1/office/poster/qr.svg?url=http%3A%2F%2Fexample.cn%2F', undefined, 'viewer'],
      ['GET', '/api/v1/office/poster/poster.svg?url=http%3A%2F%2Fexample.cn%2F', undefined, 'viewer'],
      // Invalid bodies: a role allowed gets 400, not 403, and nothing changes.
      ['POST', `/api/v1/office/candidates/${id}/correction`, { reason: '' }, 'operator'],
      ['POST', `/api/v1/office/candidates/${id}/reset`, { to: 'verified', reason: '测试权限' }, 'operator'],
      ['POST', `/api/v1/office/candidates/${id}/photo-decision`, { attempt_id: 1, decision: 'maybe', reason: '测试权限' }, 'operator'],
      ['GET', '/api/v1/office/exports/photos.zip', undefined, 'operator'],
      ['GET', '/api/v1/office/exports/report.csv', undefined, 'operator'],
      ['GET', '/api/v1/office/exports/report.xlsx', undefined, 'operator'],
      ['GET', '/api/v1/office/audit', undefined, 'admin'],
    ];
    const rank = { viewer: 0, operator: 1, admin: 2 };
    for (const [method, pathname, json, least] of endpoints) {
      assertError(await server.request(method, pathname, { json }), 401, 'staff.session_required');
      const asCandidate = await server.request(method, pathname, { json, token: tokens.candidate });
      assert.equal(asCandidate.status, 403, `${method} ${pathname} with a candidate token: ${asCandidate.text}`);
      for (const role of ['viewer', 'operator', 'admin']) {
        const response = await server.request(method, pathname, { json, token: tokens[role] });
        if (rank[role] < rank[least]) {
          assertError(response, 403, 'staff.role_insufficient');
        } else {
          assert.ok([200, 400].includes(response.status), `${role} ${method} ${pathname}: ${response.status} ${response.text}`);
        }
      }
    }
  });

  test('a candidate token gets 403 on every documented office endpoint', async () => {
    const documented = operations((await server.get('/api/v1/openapi.yaml')).text).filter(
      (op) => op.path.startsWith('/api/v1/office/') && op.path !== '/api/v1/office/auth/login',
    );
    assert.ok(documented.length >= 15, `only ${documented.length} office operations documented`);
    for (const op of documented) {
      const pathname = op.path.replace('{id}', '1').replace('{kind}', 'photo').replace('{ref}', '1');
      const response = await server.request(op.method, pathname, { json: op.method === 'GET' ? undefined : {}, token: tokens.candidate });
      assert.equal(response.status, 403, `${op.method} ${pathname}: ${response.text}`);
    }
  });

  test('search by name prefix, phone, ID number, registration number and state, with keyset paging', async () => {
    const get = (query) => server.get(`/api/v1/office/candidates?${query}`, { token: tokens.viewer });
    const byPhone = await get(`q=${people[3].phone}`);
    assert.equal(byPhone.status, 200, byPhone.text);
    assert.deepEqual(byPhone.body.items.map((c) => c.registration_no), [people[3].registration_no]);
    assert.equal(byPhone.body.items[0].state, 'not_started');
    const byId = await get(`q=${people[4].id_number.toLowerCase()}`);
    assert.deepEqual(byId.body.items.map((c) => c.phone), [people[4].phone]);
    const byRegistration = await get(`q=${people[5].registration_no}`);
    assert.deepEqual(byRegistration.body.items.map((c) => c.phone), [people[5].phone]);
    const surname = people[0].name.slice(0, 1);
    const expected = people.filter((p) => p.name.startsWith(surname)).map((p) => p.registration_no).sort();
    const byName = await get(`q=${encodeURIComponent(surname)}&limit=100`);
    assert.deepEqual(byName.body.items.map((c) => c.registration_no).sort(), expected);

    // Pages of 7 walk the whole roster once, in order, without repeats.
    const seen = [];
    let after = '';
    for (let page = 0; page < 10; page += 1) {
      const response = await get(`limit=7${after ? `&after=${after}` : ''}`);
      assert.equal(response.status, 200, response.text);
      seen.push(...response.body.items.map((c) => c.id));
      if (!response.body.next) break;
      after = response.body.next;
    }
    assert.equal(seen.length, people.length);
    assert.deepEqual([...seen].sort((a, b) => a - b), seen);
    // Name pages of 1 also walk every match.
    const names = [];
    after = '';
    for (;;) {
      const response = await get(`q=${encodeURIComponent(surname)}&limit=1${after ? `&after=${after}` : ''}`);
      names.push(...response.body.items.map((c) => c.registration_no));
      if (!response.body.next) break;
      after = response.body.next;
    }
    assert.deepEqual(names.sort(), expected);

    assertError(await get('state=flying'), 400, 'office.invalid_state');
    assertError(await get('after=zz'), 400, 'office.invalid_cursor');
    const notStarted = await get('state=not_started&limit=200');
    assert.ok(notStarted.body.items.length >= people.length - 1);
  });

  test('correction unblocks a mismatched candidate: 确认无误 again passes', async () => {
    const person = people[10];
    const id = await candidateId(server, person);
    const token = await server.login(person.phone);
    assert.equal((await server.get('/api/v1/me', { token })).status, 200);
    const cardName = '欧阳娜娜';
    const side = JSON.stringify({ uploaded: true, fields: { name: cardName, id_number: person.id_number }, confidence: {}, issues: [] });
    await setState(server, id, 'id_card_uploaded', `, portrait_side = '${side}', emblem_side = '{"uploaded":true,"fields":{},"confidence":{},"issues":[]}'`);
    const mismatch = await server.post('/api/v1/me/id-card/confirm', {}, { token });
    assert.equal(mismatch.body?.state ?? mismatch.body?.collection?.state ?? (await server.get('/api/v1/me', { token })).body.state, 'identity_mismatch', mismatch.text);

    const url = `/api/v1/office/candidates/${id}/correction`;
    assertError(await server.post(url, { name: cardName }, { token: tokens.operator }), 400, 'office.reason_required');
    assertError(await server.post(url, { name: '', reason: '与身份证一致' }, { token: tokens.operator }), 400, 'office.name');
    for (const hidden of ['张\u0000三', '\u202e娜娜阳欧', '欧阳\u200b娜娜', '欧阳\n娜娜']) {
      assertError(await server.post(url, { name: hidden, reason: '与身份证一致' }, { token: tokens.operator }), 400, 'office.name_characters');
    }
    assertError(await server.post(url, { phone: '123', reason: '与身份证一致' }, { token: tokens.operator }), 400, 'phone.format');
    assertError(await server.post(url, { phone: people[11].phone, reason: '与身份证一致' }, { token: tokens.operator }), 409, 'office.phone_taken');
    assertError(await server.post(url, { id_number: people[11].id_number, reason: '与身份证一致' }, { token: tokens.operator }), 409, 'office.id_number_taken');
    const corrected = await server.post(url, { name: cardName, reason: '考生持身份证到现场核对，报名姓名有误' }, { token: tokens.operator });
    assert.equal(corrected.status, 200, corrected.text);
    assert.equal(corrected.body.candidate.name, cardName);
    assert.equal(corrected.body.state, 'identity_mismatch');

    // The candidate's next load shows the corrected registration data, compared again.
    const reloaded = (await server.get('/api/v1/me', { token })).body;
    assert.equal(reloaded.mismatch.registration.name, cardName);
    assert.deepEqual(reloaded.mismatch.fields, []);
    assert.equal(reloaded.mismatch.resolved, true);

    const confirmed = await server.post('/api/v1/me/id-card/confirm', {}, { token });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal((await server.get('/api/v1/me', { token })).body.state, 'identity_confirmed');

    const audit = await server.get(`/api/v1/office/audit?candidate_id=${id}&action=correct_record`, { token: tokens.admin });
    assert.equal(audit.body.items.length, 1);
    assert.equal(audit.body.items[0].actor, 'o.operator');
    assert.equal(audit.body.items[0].reason, '考生持身份证到现场核对，报名姓名有误');
    assert.deepEqual(audit.body.items[0].detail.changes.name, { from: person.name, to: cardName });
    const events = await server.query(`SELECT event, actor FROM collection_events WHERE candidate_id = ${id} ORDER BY id`);
    assert.ok(events.some((e) => e.event === 'office_correct_record' && e.actor === 'staff:o.operator'));
  });

  test('detail shows record, uploads, attempts and history, and writes an audit row', async () => {
    const id = await candidateId(server, people[10]);
    await seedPhoto(server, id, { passed: false });
    const detail = await server.get(`/api/v1/office/candidates/${id}`, { token: tokens.viewer });
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body.candidate.id, id);
    assert.equal(detail.body.collection.state, 'identity_confirmed');
    assert.equal(detail.body.photo_attempts.length, 1);
    assert.equal(detail.body.photo_attempts[0].report.issues[0].code, 'photo.too_dark');
    const image = await server.get(detail.body.photo_attempts[0].photo_url, { token: tokens.viewer });
    assert.equal(image.status, 200);
    assert.equal(image.text, `JPEG-${id}`);
    assert.ok(detail.body.history.length >= 2);
    const views = await server.get(`/api/v1/office/audit?candidate_id=${id}&action=view_candidate`, { token: tokens.admin });
    assert.ok(views.body.items.some((e) => e.actor === 'o.viewer' && e.role === 'viewer' && e.client_ip));
    // Another candidate's attempt is not reachable through this candidate's path.
    const other = await candidateId(server, people[12]);
    assertError(await server.get(`/api/v1/office/candidates/${other}/images/photo/${detail.body.photo_attempts[0].id}`, { token: tokens.viewer }), 404, 'office.image_not_found');
    assertError(await server.get('/api/v1/office/candidates/999999', { token: tokens.viewer }), 404, 'office.candidate_not_found');
  });

  // Security finding F9: reads of personal data are in the audit log, one entry per opened
  // dossier however many images it shows, with the candidate's 报名号 and name.
  test('audit: searches, dossier opens and images outside a dossier are recorded', async () => {
    const person = people[16];
    const id = await candidateId(server, person);
    await seedPhoto(server, id, { passed: true });
    await seedPhoto(server, id, { passed: false });
    const since = Date.now() - 1;
    const search = await server.get(`/api/v1/office/candidates?q=${person.id_number}`, { token: tokens.viewer });
    assert.equal(search.body.items[0].id, id);
    const searches = await server.get(`/api/v1/office/audit?action=search_candidates&actor=o.viewer&from=${since}`, { token: tokens.admin });
    assert.equal(searches.body.items.length, 1, searches.text);
    assert.equal(searches.body.items[0].detail.query, person.id_number);

    const detail = await server.get(`/api/v1/office/candidates/${id}`, { token: tokens.viewer });
    const urls = detail.body.photo_attempts.flatMap((a) => [a.photo_url, a.upload_url]);
    assert.equal(urls.length, 4);
    for (const url of [...urls, ...urls]) assert.equal((await server.get(url, { token: tokens.viewer })).status, 200);
    const reads = async () => (await server.get(`/api/v1/office/audit?candidate_id=${id}&actor=o.viewer&from=${since}`, { token: tokens.admin })).body.items;
    const afterDossier = await reads();
    assert.deepEqual(afterDossier.map((e) => e.action), ['view_candidate']);
    assert.equal(afterDossier[0].registration_no, person.registration_no);
    assert.equal(afterDossier[0].candidate_name, person.name);

    // The same image without the dossier's view id is a read of its own.
    const bare = urls[0].split('?')[0];
    assert.equal((await server.get(bare, { token: tokens.viewer })).status, 200);
    assert.deepEqual((await reads()).map((e) => e.action), ['view_photo', 'view_candidate']);
    const until = await server.get(`/api/v1/office/audit?candidate_id=${id}&until=${since}`, { token: tokens.admin });
    assert.ok(until.body.items.every((e) => e.happened_at < since));
    assertError(await server.get('/api/v1/office/audit?from=yesterday', { token: tokens.admin }), 400, 'request.invalid_field');
  });

  test('reset to a chosen step; refuses other targets and missing reasons', async () => {
    const id = await candidateId(server, people[10]);
    const url = `/api/v1/office/candidates/${id}/reset`;
    assertError(await server.post(url, { to: 'verified', reason: '重新采集' }, { token: tokens.operator }), 400, 'office.reset_target');
    assertError(await server.post(url, { to: 'id_card_pending', reason: ' ' }, { token: tokens.operator }), 400, 'office.reason_required');
    const toPhoto = await server.post(url, { to: 'identity_confirmed', reason: '考生要求重新拍照' }, { token: tokens.operator });
    assert.equal(toPhoto.status, 200, toPhoto.text);
    const toCard = await server.post(url, { to: 'id_card_pending', reason: '身份证换新，重新上传' }, { token: tokens.operator });
    assert.equal(toCard.body.state, 'id_card_pending');
    const token = await server.login(people[10].phone);
    assert.equal((await server.get('/api/v1/me', { token })).body.state, 'id_card_pending');
    assertError(await server.post(url, { to: 'identity_confirmed', reason: '考生要求重新拍照' }, { token: tokens.operator }), 409, 'office.reset_needs_identity');
    const events = await server.query(`SELECT from_state, to_state FROM collection_events WHERE candidate_id = ${id} AND event = 'office_reset' ORDER BY id`);
    assert.deepEqual(events.map((e) => e.to_state), ['identity_confirmed', 'id_card_pending']);
  });

  test('accept and reject a photo by hand', async () => {
    const person = people[13];
    const id = await candidateId(server, person);
    const token = await server.login(person.phone);
    await server.get('/api/v1/me', { token });
    const url = `/api/v1/office/candidates/${id}/photo-decision`;
    const attempt = await seedPhoto(server, id, { passed: false });
    assertError(await server.post(url, { attempt_id: attempt, decision: 'accept', reason: '光线问题已人工核对' }, { token: tokens.operator }), 409, 'office.photo_decision_state');
    await setState(server, id, 'photo_rejected');
    const blank = await seedPhoto(server, id, { passed: false, withPhoto: false });
    assertError(await server.post(url, { attempt_id: blank, decision: 'accept', reason: '人工审核' }, { token: tokens.operator }), 409, 'office.attempt_has_no_photo');
    assertError(await server.post(url, { attempt_id: 999999, decision: 'accept', reason: '人工审核' }, { token: tokens.operator }), 404, 'office.attempt_not_found');
    const accepted = await server.post(url, { attempt_id: attempt, decision: 'accept', reason: '多次因光线被拒，人工核对合格' }, { token: tokens.operator });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.state, 'verified');
    const me = await server.get('/api/v1/me', { token });
    assert.equal(me.body.state, 'verified');
    const rejected = await server.post(url, { attempt_id: attempt, decision: 'reject', reason: '照片戴帽子，不合格' }, { token: tokens.operator });
    assert.equal(rejected.body.state, 'verification_failed');
    const after = await server.get('/api/v1/me', { token });
    assert.equal(after.body.verification.code, 'office.photo_rejected');
    // The candidate may retake after a rejection.
    assert.equal((await server.post('/api/v1/me/photo/retake', {}, { token })).status, 200);
    const audit = await server.get(`/api/v1/office/audit?candidate_id=${id}`, { token: tokens.admin });
    assert.deepEqual(audit.body.items.filter((e) => e.action.endsWith('_photo')).map((e) => e.action), ['reject_photo', 'accept_photo']);
  });

  test('export: ZIP of verified photos named by ID or registration number; CSV and XLSX; audited', async () => {
    const chosen = [people[20], people[21], people[22]];
    for (const person of chosen) {
      const token = await server.login(person.phone);
      await server.get('/api/v1/me', { token });
      const id = await candidateId(server, person);
      const attempt = await seedPhoto(server, id);
      await setState(server, id, 'verified', `, photo_attempt_id = ${attempt}`);
    }
    const zip = await fetch(`${server.url}/api/v1/office/exports/photos.zip?key=id_number`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    const names = zipNames(Buffer.from(await zip.arrayBuffer())).sort();
    assert.deepEqual(names, chosen.map((p) => `${p.id_number}.jpg`).sort());
    const byRegistration = await fetch(`${server.url}/api/v1/office/exports/photos.zip?key=registration_no`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    const buffer = Buffer.from(await byRegistration.arrayBuffer());
    assert.deepEqual(zipNames(buffer).sort(), chosen.map((p) => `${p.registration_no}.jpg`).sort());
    // unzip agrees and the CRCs hold.
    const file = path.join(server.dataDir, 'export.zip');
    await writeFile(file, buffer);
    const { stdout } = await run('unzip', ['-t', file]);
    assert.match(stdout, /No errors detected/);
    assertError(await server.get('/api/v1/office/exports/photos.zip?key=name', { token: tokens.operator }), 400, 'office.export_key');

    const csv = await server.get('/api/v1/office/exports/report.csv', { token: tokens.operator });
    assert.equal(csv.status, 200);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines.length, people.length + 1);
    // fetch's text() drops the BOM; the bytes keep it for Excel.
    assert.ok(lines[0].startsWith('"报名号"'));
    const raw = Buffer.from(await (await fetch(`${server.url}/api/v1/office/exports/report.csv`, { headers: { authorization: `Bearer ${tokens.operator}` } })).arrayBuffer());
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(lines.some((l) => l.includes(chosen[0].id_number) && l.includes('"采集完成","是"')));
    const xlsx = await fetch(`${server.url}/api/v1/office/exports/report.xlsx`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    assert.equal(xlsx.status, 200);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    assert.ok(zipNames(bytes).includes('xl/worksheets/sheet1.xml'));

    const exports = await server.get('/api/v1/office/audit?action=export_photos', { token: tokens.admin });
    assert.ok(exports.body.items.length >= 2);
    assert.equal(exports.body.items[0].detail.key, 'registration_no');
  });

  test('dashboard counts states, days and ranks rejection reasons', async () => {
    const dashboard = await server.get('/api/v1/office/dashboard?days=7', { token: tokens.viewer });
    assert.equal(dashboard.status, 200, dashboard.text);
    assert.equal(dashboard.body.total, people.length);
    assert.equal(dashboard.body.states.verified, 3);
    const sum = Object.values(dashboard.body.states).reduce((a, b) => a + b, 0);
    assert.equal(sum, people.length);
    assert.equal(dashboard.body.days.length, 7);
    assert.ok(dashboard.body.today.photos >= 5);
    const codes = dashboard.body.rejection_reasons.map((r) => r.code);
    assert.deepEqual(codes.slice(0, 2).sort(), ['photo.blurred', 'photo.too_dark']);
    assert.ok(dashboard.body.rejection_reasons[0].message.length > 0);
    assertError(await server.get('/api/v1/office/dashboard?days=0', { token: tokens.viewer }), 400, 'request.invalid_field');
  });

  test('the audit log refuses updates and deletes in the database itself', async () => {
    await assert.rejects(exec(server, 'UPDATE audit_log SET reason = \'x\''), /append-only/);
    await assert.rejects(exec(server, 'DELETE FROM audit_log'), /append-only/);
    const rows = await server.query('SELECT count(*) AS n FROM audit_log');
    assert.ok(Number(rows[0].n) > 5);
  });

  test('QR code and poster for the candidate app address', async () => {
    const qr = await server.get('/api/v1/office/poster/qr.svg?url=https%3A%2F%2Fzk.example.cn%2F', { token: tokens.viewer });
    assert.equal(qr.status, 200);
    assert.match(qr.headers.get('content-type'), /image\/svg\+xml/);
    assert.match(qr.text, /^<svg[^>]+viewBox="0 0 (\d+) \1"/);
    const poster = await server.get('/api/v1/office/poster/poster.svg?url=https%3A%2F%2Fzk.example.cn%2F', { token: tokens.viewer });
    assert.match(poster.text, /北京市自学考试照片采集/);
    assert.match(poster.text, /zk\.example\.cn/);
    assertError(await server.get('/api/v1/office/poster/qr.svg?url=javascript%3Aalert(1)', { token: tokens.viewer }), 400, 'office.qr_url');
  });
});
