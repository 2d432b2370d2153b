// `examphoto roster import` against the running server's database: exit codes 0/1/2, the
// row-by-row report, --dry-run and --json; what it imports is live for login at once.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { candidates, toCsv, toGbk, withWrongCheck } from './lib/roster.mjs';
import { useServer } from './lib/server.mjs';
import { snapshot } from './lib/snapshot.mjs';

const server = useServer();

async function count() {
  return (await server.query('SELECT COUNT(*) AS n FROM candidates'))[0].n;
}

test('a good file exits 0 with a summary, and the candidates can log in right away', async () => {
  const rows = candidates(3, { seed: 40 });
  const result = await server.importRoster(toCsv(rows, { bom: true }));
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /导入完成：共3行，新增3，更新0，未变0/);
  await server.login(rows[2].phone);
});

test('GBK from the CLI: exit 0 and the names stored as UTF-8', async () => {
  const rows = candidates(2, { seed: 41 });
  rows[0].name = '欧阳晓雯';
  const result = await server.importRoster(toGbk(toCsv(rows)));
  assert.equal(result.code, 0, result.stderr);
  const names = await server.query(`SELECT name FROM candidates WHERE registration_no = '${rows[0].registration_no}'`);
  assert.deepEqual(names, [{ name: '欧阳晓雯' }]);
});

test('re-importing the same file exits 0 with everything unchanged', async () => {
  const rows = candidates(3, { seed: 40 });
  const result = await server.importRoster(toCsv(rows));
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /新增0，更新0，未变3/);
});

test('bad rows exit 1 with a row-by-row report and change nothing', async () => {
  const rows = candidates(4, { seed: 42 });
  rows[1].id_number = withWrongCheck(rows[1].id_number);
  rows[3].phone = '1234';
  const beforeState = await snapshot(server);
  const result = await server.importRoster(toCsv(rows));
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /名单有 2 处错误，本次导入未做任何更改/);
  assert.match(result.stdout, /第3行 \[id_number\]: 身份证号码校验位不正确/);
  assert.match(result.stdout, /第5行 \[phone\]: 手机号码格式不正确/);
  assert.ok(result.stdout.indexOf('第3行') < result.stdout.indexOf('第5行'));
  assert.deepEqual(await snapshot(server), beforeState);
});

test('--json prints the report as JSON with the same exit codes', async () => {
  const rows = candidates(2, { seed: 43 });
  rows[1].name = '';
  const rejected = await server.importRoster(toCsv(rows), ['--json']);
  assert.equal(rejected.code, 1);
  const report = JSON.parse(rejected.stdout);
  assert.equal(report.applied, false);
  assert.deepEqual(report.problems.map((p) => [p.row, p.column, p.code]), [[3, 'name', 'roster.row.name']]);
  rows[1].name = '张伟';
  const accepted = await server.importRoster(toCsv(rows), ['--json']);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.deepEqual(JSON.parse(accepted.stdout).inserted, 2);
});

test('--dry-run checks without writing', async () => {
  const rows = candidates(3, { seed: 44 });
  const before = await count();
  const result = await server.importRoster(toCsv(rows), ['--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /检查通过（未写入）：共3行，新增3/);
  assert.equal(await count(), before);
  const bad = await server.importRoster(toCsv([{ ...rows[0], phone: 'x' }]), ['--dry-run']);
  assert.equal(bad.code, 1);
  assert.equal(await count(), before);
});

test('an unusable file exits 2 with a Chinese reason', async () => {
  const before = await count();
  for (const [content, pattern] of [
    ['', /名单文件为空/],
    ['姓名,手机号\r\n张三,13900000000\r\n', /名单表头不正确/],
    [Buffer.from([0xff, 0xff, 0x80, 0x81, 0xfe]), /编码无法识别/],
  ]) {
    const result = await server.importRoster(content);
    assert.equal(result.code, 2, `${content}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr + result.stdout, pattern);
  }
  const missing = await server.cli(['roster', 'import', path.join(server.dataDir, 'no-such-file.csv')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /无法打开名单文件/);
  assert.equal(await count(), before);
});

test('a directory or an unreadable path exits 2', async () => {
  const result = await server.cli(['roster', 'import', server.dataDir]);
  assert.equal(result.code, 2, result.stdout + result.stderr);
});

test('the CLI and the API see the same records: an updated file via CLI shows in /me', async () => {
  const rows = candidates(1, { seed: 45 });
  assert.equal((await server.importRoster(toCsv(rows))).code, 0);
  const token = await server.login(rows[0].phone);
  const renamed = [{ ...rows[0], name: '李新名' }];
  const file = path.join(server.dataDir, 'renamed.csv');
  await writeFile(file, toCsv(renamed));
  const result = await server.cli(['roster', 'import', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /更新1/);
  const me = await server.get('/api/v1/me', { token });
  assert.equal(me.body.candidate.name, '李新名');
});

test('roster import --help lists the file argument and flags', async () => {
  const result = await server.cli(['roster', 'import', '--help']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /--dry-run/);
  assert.match(result.stdout, /FILE/);
});
