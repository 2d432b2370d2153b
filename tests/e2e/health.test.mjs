// Liveness, readiness, Prometheus metrics and the served API description.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { operations } from './lib/openapi.mjs';
import { assertError, useServer } from './lib/server.mjs';

const server = useServer();

test('healthz answers ok', async () => {
  const response = await server.get('/healthz');
  assert.equal(response.status, 200);
  assert.equal(response.body.status, 'ok');
});

test('readyz reports the database reachable', async () => {
  const response = await server.get('/readyz');
  assert.equal(response.status, 200);
  assert.equal(response.body.status, 'ready');
  assert.equal(response.body.database, 'ok');
});

function metricValue(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] || '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return undefined;
}

test('metrics count requests by route and status in Prometheus text', async () => {
  for (let i = 0; i < 3; i += 1) await server.get('/healthz');
  await server.get('/api/v1/no-such-route');
  await server.request('PUT', '/healthz');
  const response = await server.get('/metrics');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = response.text;
  assert.match(text, /# TYPE examphoto_http_requests_total counter/);
  assert.ok(metricValue(text, 'examphoto_http_requests_total', { route: '/healthz', status: '200' }) >= 3);
  assert.ok(metricValue(text, 'examphoto_http_requests_total', { route: 'not_found', status: '404' }) >= 1, text);
  assert.ok(metricValue(text, 'examphoto_http_requests_total', { route: 'method_not_allowed', status: '405' }) >= 1, text);
});

test('metrics have a latency histogram whose buckets are cumulative', async () => {
  await server.get('/healthz');
  const text = (await server.get('/metrics')).text;
  assert.match(text, /# TYPE examphoto_http_request_duration_seconds histogram/);
  const buckets = [...text.matchAll(/^examphoto_http_request_duration_seconds_bucket\{route="\/healthz",le="([^"]+)"\} (\d+)$/gm)];
  assert.ok(buckets.length >= 2, text);
  const counts = buckets.map((m) => Number(m[2]));
  for (let i = 1; i < counts.length; i += 1) assert.ok(counts[i] >= counts[i - 1], `bucket ${buckets[i][1]} decreases`);
  assert.equal(buckets.at(-1)[1], '+Inf');
  const count = metricValue(text, 'examphoto_http_request_duration_seconds_count', { route: '/healthz' });
  assert.equal(counts.at(-1), count);
  assert.ok(metricValue(text, 'examphoto_http_request_duration_seconds_sum', { route: '/healthz' }) >= 0);
});

test('metrics show the in-flight gauge, counting the scrape itself', async () => {
  const text = (await server.get('/metrics')).text;
  assert.match(text, /# TYPE examphoto_http_requests_in_flight gauge/);
  assert.equal(metricValue(text, 'examphoto_http_requests_in_flight'), 1);
});

test('metrics never show personal data from the requests', async () => {
  await server.post('/api/v1/auth/sms-code', { phone: '13912345678' });
  const text = (await server.get('/metrics')).text;
  assert.doesNotMatch(text, /13912345678/);
});

test('the OpenAPI description is served as YAML', async () => {
  const response = await server.get('/api/v1/openapi.yaml');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /yaml/);
  assert.match(response.text, /^openapi: 3\./m);
  assert.match(response.text, /^paths:/m);
});

test('HEAD on healthz answers without a body', async () => {
  const response = await server.request('HEAD', '/healthz');
  assert.equal(response.status, 200);
  assert.equal(response.text, '');
});

test('an unknown API route is a JSON 404', async () => {
  assertError(await server.get('/api/v1/does-not-exist'), 404, 'request.not_found');
});

test('every operation openapi.yaml documents exists on the server', async () => {
  const documented = operations((await server.get('/api/v1/openapi.yaml')).text);
  assert.ok(documented.length > 0, 'openapi.yaml documents no operations');
  for (const op of documented) {
    // A parameter value that exists where one is known (the agreement names).
    const path = op.path.replace('{name}', 'user').replace(/\{[^}]+\}/g, '1');
    const response = await server.request(op.method, path, { json: op.method === 'GET' ? undefined : {} });
    const missing = response.status === 405 || (response.status === 404 && response.body?.error?.code === 'request.not_found');
    assert.ok(!missing, `${op.method} ${op.path} is documented but the server answers ${response.status} ${response.text}`);
  }
});
