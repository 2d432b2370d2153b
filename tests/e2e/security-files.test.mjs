// Security finding F1: no request may read a file outside the web roots. The probe read
// /etc/passwd, the process environment and the database through "//"-prefixed paths; every
// form it tried, and the encoded, backslash and symlink variants, must answer 404 and carry
// nothing of the file. Requests go over a raw socket so that no client normalises the path.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { rawRequest } from './lib/raw.mjs';
import { useServer } from './lib/server.mjs';

const outside = mkdtempSync(path.join(os.tmpdir(), 'examphoto-web-'));
const webRoot = path.join(outside, 'web');
const officeRoot = path.join(outside, 'office');
const secretFile = path.join(outside, 'secret.key');
mkdirSync(path.join(webRoot, 'assets'), { recursive: true });
mkdirSync(officeRoot);
writeFileSync(path.join(webRoot, 'index.html'), '<html>candidate app</html>');
writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log("app")');
writeFileSync(path.join(officeRoot, 'index.html'), '<html>office console</html>');
writeFileSync(secretFile, 'SECRET-KEY-MATERIAL');
symlinkSync(secretFile, path.join(webRoot, 'leak.txt'));
symlinkSync(outside, path.join(webRoot, 'up'));
after(() => rmSync(outside, { recursive: true, force: true }));

const server = useServer({ env: { EXAMPHOTO_WEB_ROOT: webRoot, EXAMPHOTO_WEB_OFFICE_ROOT: officeRoot } });

async function get(target) {
  await server.ready;
  return rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
}

test('the web apps are still served, client routes included', async () => {
  assert.match((await get('/')).text, /candidate app/);
  assert.match((await get('/assets/app.js')).text, /console\.log/);
  assert.match((await get('/photo/result')).text, /candidate app/);
  assert.match((await get('/office/')).text, /office console/);
  assert.match((await get('/office/candidates')).text, /office console/);
});

test('no path form reads a file outside the web roots', async () => {
  const database = path.join(server.dataDir, 'examphoto.db');
  const targets = [
    '//etc/passwd',
    '///etc/passwd',
    '/office//etc/hostname',
    '/office///etc/passwd',
    '//proc/self/environ',
    '//proc/self/cwd/README.md',
    `/${database}`,
    `/${secretFile}`,
    `/office/${secretFile}`,
    `/${path.join(server.dataDir, 'secret.key')}`,
    '/%2F%2Fetc%2Fpasswd',
    '/%2f%2fetc/passwd',
    '/office/%2F%2Fetc/hostname',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2F..%2Fetc%2Fpasswd',
    '/../../etc/passwd',
    '/assets/../../secret.key',
    '/\\etc\\passwd',
    '/..\\..\\etc\\passwd',
    '/office/..\\secret.key',
    '/leak.txt',
    '/up/secret.key',
    '/./index.html',
    '/assets//app.js',
    '/index.html%00.js',
  ];
  for (const target of targets) {
    const response = await get(target);
    assert.equal(response.status, 404, `${target} answered ${response.status}: ${response.text.slice(0, 200)}`);
    for (const leak of ['root:', 'SECRET-KEY', 'EXAMPHOTO_', 'SQLite format', 'examphoto']) {
      if (leak === 'examphoto' && !target.includes('README')) continue;
      assert.ok(!response.text.includes(leak), `${target} leaked ${leak}`);
    }
  }
});

test('an absolute-form request target reads nothing either', async () => {
  const response = await get('http://127.0.0.1//etc/passwd');
  assert.notEqual(response.status, 200, response.text.slice(0, 200));
  assert.ok(!response.text.includes('root:'));
});
