// Roster import through the office API: encodings, every row check, all-or-nothing,
// re-import and update, dry run.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { candidates, idNumber, toCsv, toGbk, withWrongCheck } from './lib/roster.mjs';
import { assertError, useServer } from './lib/server.mjs';
import { snapshot } from './lib/snapshot.mjs';

const server = useServer({ staff: [['office.admin', 'admin']] });
let staffToken;

before(async () => {
  await server.ready;
  staffToken = await server.staffLogin('office.admin');
});

function upload(body, query = '') {
  return server.request('POST', `/api/v1/office/roster/import${query}`, {
    body,
    token: staffToken,
    headers: { 'content-type': 'text/csv' },
  });
}

async function stored(prefix) {
  return server.query(
    `SELECT registration_no, name, id_number, phone, exam_session FROM candidates WHERE registration_no LIKE '${prefix}%' ORDER BY registration_no`,
  );
}

// Asserts a 422 rejection listing exactly `expected` [row, column, code] problems and that
// nothing stored changed.
async function assertRejected(body, expected) {
  const beforeState = await snapshot(server, { except: ['rate_limits'] });
  const response = await upload(body);
  const error = assertError(response, 422, 'roster.rejected');
  assert.ok(error.message.includes(String(response.body.problems.length)), error.message);
  assert.equal(response.body.applied, false);
  assert.deepEqual(
    response.body.problems.map((p) => [p.row, p.column, p.code]),
    expected,
    JSON.stringify(response.body.problems),
  );
  for (const p of response.body.problems) assert.match(p.message, /[\u4e00-\u9fff]/);
  assert.deepEqual(await snapshot(server, { except: ['rate_limits'] }), beforeState, 'a rejected import changed data');
  return response.body;
}

describe('encodings and formats', () => {
  test('UTF-8 with BOM imports every row, Chinese names intact', async () => {
    const rows = candidates(5, { seed: 10 });
    const response = await upload(toCsv(rows, { bom: true }));
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(
      { applied: response.body.applied, total: response.body.total_rows, inserted: response.body.inserted, problems: response.body.problems },
      { applied: true, total: 5, inserted: 5, problems: [] },
    );
    assert.deepEqual(await stored('E2E00100'), rows);
  });

  test('GBK (what Excel saves in China) imports with the names decoded', async () => {
    const rows = candidates(4, { seed: 11 });
    rows[0].name = '欧阳晓雯';
    rows[1].name = '司马懿';
    const bytes = toGbk(toCsv(rows));
    assert.ok(!bytes.equals(Buffer.from(toCsv(rows))), 'iconv produced UTF-8');
    const response = await upload(bytes);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.inserted, 4);
    assert.deepEqual(await stored('E2E00110'), rows);
  });

  test("Excel's =\"...\" cells, quoted cells, LF line ends, blank lines and English headers", async () => {
    const rows = candidates(3, { seed: 12 });
    const text = [
      'registration_no,name,id_number,phone,exam_session',
      `${rows[0].registration_no},${rows[0].name},="${rows[0].id_number}",${rows[0].phone},"${rows[0].exam_session}"`,
      '',
      `"${rows[1].registration_no}", ${rows[1].name} ,${rows[1].id_number},${rows[1].phone},${rows[1].exam_session}`,
      `${rows[2].registration_no},${rows[2].name},${rows[2].id_number.toLowerCase()},${rows[2].phone},${rows[2].exam_session}`,
      '',
    ].join('\n');
    const response = await upload(text);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.inserted, 3);
    assert.deepEqual(await stored('E2E00120'), rows);
  });

  test('columns in another order are found by their header', async () => {
    const [row] = candidates(1, { seed: 13 });
    const text = `手机号,考试批次,姓名,报名号,身份证号\r\n${row.phone},${row.exam_session},${row.name},${row.registration_no},${row.id_number}\r\n`;
    const response = await upload(text);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(await stored('E2E00130'), [row]);
  });

  test('a missing column is 400 roster.header naming it', async () => {
    const error = assertError(await upload('报名号,姓名,手机号\r\nA1,张三,13900000000\r\n'), 400, 'roster.header');
    assert.ok(error.message.includes('身份证号') && error.message.includes('考试批次'), error.message);
  });
});

describe('large files', () => {
  test('a roster over 1 MB (20,000 rows) is read whole', async () => {
    const csv = toCsv(candidates(20000, { seed: 14 }));
    assert.ok(Buffer.byteLength(csv) > 1024 * 1024);
    const response = await upload(csv, '?dry_run=1');
    assert.equal(response.status, 200, response.text.slice(0, 500));
    assert.deepEqual([response.body.total_rows, response.body.inserted, response.body.problems.length], [20000, 20000, 0]);
  });
});

describe('row checks', () => {
  test('an ID number with a wrong check digit is reported by row and column', async () => {
    const rows = candidates(3, { seed: 20 });
    rows[1].id_number = withWrongCheck(rows[1].id_number);
    await assertRejected(toCsv(rows), [[3, 'id_number', 'idnumber.check_digit']]);
  });

  test('impossible and future birth dates are reported', async () => {
    const rows = candidates(4, { seed: 21 });
    rows[0].id_number = idNumber({ birth: '19900230' });
    rows[1].id_number = idNumber({ birth: '19901301' });
    rows[2].id_number = idNumber({ birth: `${new Date().getUTCFullYear() + 1}0101` });
    await assertRejected(toCsv(rows), [
      [2, 'id_number', 'idnumber.birth_date'],
      [3, 'id_number', 'idnumber.birth_date'],
      [4, 'id_number', 'idnumber.birth_date'],
    ]);
  });

  test('a malformed ID number, an unknown region, a bad phone, empty cells', async () => {
    const rows = candidates(6, { seed: 22 });
    rows[0].id_number = '11010519900307123';
    rows[1].id_number = idNumber({ region: '990101' });
    rows[2].phone = '1390000000';
    rows[3].phone = '12900000000';
    rows[4].name = '';
    rows[5].registration_no = '';
    await assertRejected(toCsv(rows), [
      [2, 'id_number', 'idnumber.format'],
      [3, 'id_number', 'idnumber.region'],
      [4, 'phone', 'phone.format'],
      [5, 'phone', 'phone.format'],
      [6, 'name', 'roster.row.name'],
      [7, 'registration_no', 'roster.row.registration_no'],
    ]);
  });

  test('control characters, NUL and bidi overrides in names and sessions are row errors (F14)', async () => {
    const rows = candidates(5, { seed: 28 });
    rows[0].name = '张\u0000三';
    rows[1].name = '\u202e三张';
    rows[2].name = '李\u2066四';
    rows[3].exam_session = '2026-10\u202e';
    await assertRejected(toCsv(rows), [
      [2, 'name', 'roster.row.name_characters'],
      [3, 'name', 'roster.row.name_characters'],
      [4, 'name', 'roster.row.name_characters'],
      [5, 'exam_session', 'roster.row.session_characters'],
    ]);
  });

  test('a row with too few cells is reported', async () => {
    const rows = candidates(2, { seed: 23 });
    const text = `${toCsv(rows)}E2E9999,张三,${idNumber()}\r\n`;
    await assertRejected(text, [[4, '', 'roster.row.column_count']]);
  });

  test('duplicates inside the file point at the first occurrence', async () => {
    const rows = candidates(4, { seed: 24 });
    rows[2].phone = rows[0].phone;
    rows[3].id_number = rows[1].id_number;
    const body = await assertRejected(toCsv(rows), [
      [4, 'phone', 'roster.row.duplicate_in_file'],
      [5, 'id_number', 'roster.row.duplicate_in_file'],
    ]);
    assert.match(body.problems[0].message, /第2行/);
    assert.match(body.problems[1].message, /第3行/);
  });

  test('a duplicated registration number inside the file is reported', async () => {
    const rows = candidates(2, { seed: 25 });
    const copy = { ...candidates(1, { seed: 26 })[0], registration_no: rows[0].registration_no };
    await assertRejected(toCsv([...rows, copy]), [[4, 'registration_no', 'roster.row.duplicate_in_file']]);
  });

  test('all or nothing: one bad row among many leaves every good row out', async () => {
    const rows = candidates(50, { seed: 27 });
    rows[37].phone = 'not a phone';
    await assertRejected(toCsv(rows), [[39, 'phone', 'phone.format']]);
    assert.deepEqual(await stored('E2E00270'), []);
  });
});

describe('against stored records', () => {
  const rows = candidates(4, { seed: 30 });

  before(async () => {
    await server.ready;
    const response = await upload(toCsv(rows));
    assert.equal(response.status, 200, response.text);
  });

  test('re-importing the same file changes nothing', async () => {
    const beforeState = await snapshot(server, { except: ['rate_limits', 'sessions'] });
    const response = await upload(toCsv(rows, { bom: true }));
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(
      [response.body.inserted, response.body.updated, response.body.unchanged],
      [0, 0, 4],
    );
    assert.deepEqual(await snapshot(server, { except: ['rate_limits', 'sessions'] }), beforeState);
  });

  test('the same file in GBK is also unchanged', async () => {
    const response = await upload(toGbk(toCsv(rows)));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.unchanged, 4);
  });

  test('a new candidate using a stored phone or ID number is a conflict', async () => {
    const [fresh, other] = candidates(2, { seed: 31 });
    fresh.phone = rows[0].phone;
    other.id_number = rows[1].id_number;
    const body = await assertRejected(toCsv([fresh, other]), [
      [2, 'phone', 'roster.row.conflict_in_database'],
      [3, 'id_number', 'roster.row.conflict_in_database'],
    ]);
    assert.ok(body.problems[0].message.includes(rows[0].registration_no), body.problems[0].message);
  });

  test('dry run reports what would change and changes nothing', async () => {
    const [fresh] = candidates(1, { seed: 32 });
    const changed = { ...rows[0], name: '改名字' };
    const beforeState = await snapshot(server, { except: ['rate_limits', 'sessions'] });
    const response = await upload(toCsv([changed, rows[1], fresh]), '?dry_run=1');
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(
      [response.body.applied, response.body.inserted, response.body.updated, response.body.unchanged],
      [false, 1, 1, 1],
    );
    assert.deepEqual(await snapshot(server, { except: ['rate_limits', 'sessions'] }), beforeState);
  });

  test('an updated file updates records; the new phone logs in, the old one no longer does', async () => {
    const updated = rows.map((r) => ({ ...r }));
    updated[2].phone = '13688880000';
    updated[3].exam_session = '2027-04';
    const response = await upload(toCsv(updated));
    assert.equal(response.status, 200, response.text);
    assert.deepEqual([response.body.inserted, response.body.updated, response.body.unchanged], [0, 2, 2]);
    assert.deepEqual(await stored('E2E00300'), updated);
    const imports = await server.query('SELECT actor, total_rows, inserted, updated, unchanged FROM roster_imports ORDER BY id DESC LIMIT 1');
    assert.deepEqual(imports, [{ actor: 'staff:office.admin', total_rows: 4, inserted: 0, updated: 2, unchanged: 2 }]);
    assertError(await server.post('/api/v1/auth/sms-code', { phone: rows[2].phone }), 404, 'auth.phone_not_registered');
    await server.login('13688880000');
    rows.splice(0, rows.length, ...updated);
  });

  test('two candidates exchanging phones in one file is an update, not a conflict', async () => {
    const swapped = rows.map((r) => ({ ...r }));
    [swapped[0].phone, swapped[1].phone] = [rows[1].phone, rows[0].phone];
    const response = await upload(toCsv(swapped));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.updated, 2);
    assert.deepEqual(await stored('E2E00300'), swapped);
  });
});
