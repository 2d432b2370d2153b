// Security findings F7 and F11: every response carries the browser security headers (a
// strict Content-Security-Policy, no framing, no referrer, only the camera), the apps a
// policy that lets them run from this origin only; each route answers one spelling of its
// path, so a proxy rule for "/metrics" cannot be walked around with a slash.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { rawRequest } from './lib/raw.mjs';
import { useServer } from './lib/server.mjs';

const outside = mkdtempSync(path.join(os.tmpdir(), 'examphoto-web-'));
const webRoot = path.join(outside, 'web');
mkdirSync(webRoot);
writeFileSync(path.join(webRoot, 'index.html'), '<html>candidate app</html>');
after(() => rmSync(outside, { recursive: true, force: true }));

const server = useServer({ env: { EXAMPHOTO_WEB_ROOT: webRoot } });

function assertCommonHeaders(headers, what) {
  assert.equal(headers.get('x-frame-options'), 'DENY', what);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
  assert.match(headers.get('permissions-policy') || '', /camera=\(self\)/, what);
  assert.match(headers.get('permissions-policy') || '', /microphone=\(\)/, what);
  assert.match(headers.get('content-security-policy') || '', /frame-ancestors 'none'/, what);
}

test('API answers, errors included, carry the strictest policy', async () => {
  for (const [method, pathname] of [['GET', '/api/v1/app-config'], ['GET', '/healthz'], ['GET', '/api/v1/me'], ['GET', '/api/v1/nope'], ['PUT', '/healthz']]) {
    const response = await server.request(method, pathname);
    assertCommonHeaders(response.headers, `${method} ${pathname}`);
    assert.match(response.headers.get('content-security-policy'), /default-src 'none'/, pathname);
  }
});

test('an early answer (body too large) carries them too', async () => {
  await server.ready;
  const response = await rawRequest(
    server.port,
    'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n',
  );
  assert.equal(response.status, 413);
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.match(response.headers['content-security-policy'], /default-src 'none'/);
});

test('the apps get a policy that runs only this origin\'s scripts', async () => {
  const response = await server.get('/');
  assert.equal(response.status, 200);
  assertCommonHeaders(response.headers, '/');
  const policy = response.headers.get('content-security-policy');
  assert.match(policy, /default-src 'self'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(policy, /'unsafe-eval'|script-src[^;]*'unsafe-inline'|\*/);
  assert.match(policy, /object-src 'none'/);
  assert.match(policy, /base-uri 'none'/);
});

test('each route answers only its canonical path', async () => {
  assert.equal((await server.get('/metrics')).status, 200);
  for (const spelling of ['/metrics/', '//metrics', '/metrics//', '/healthz/', '/api/v1//app-config', '/api/v1/app-config/']) {
    const response = await server.get(spelling);
    assert.equal(response.status, 404, `${spelling} answered ${response.status}`);
    assert.ok(!response.text.includes('examphoto_http_requests_total'), spelling);
  }
});
