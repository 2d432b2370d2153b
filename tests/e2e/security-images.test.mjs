// Security finding F13: a 1,000,000 x 1 PNG gave 500 internal.error (an OpenCV assertion).
// Images of shapes no camera makes are refused from their header with the image message,
// by the real image cores behind the upload endpoints.
// needs: models
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { greyPng } from './lib/png.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { assertError, useServer } from './lib/server.mjs';

const [person] = candidates(1, { seed: 313 });
const server = useServer({ roster: toCsv([person]), env: { EXAMPHOTO_MODELS_PRELOAD: 'true' } });

test('impossible image shapes get 400 image.bad_dimensions, never a 500', async () => {
  await server.ready;
  const token = await server.login(person.phone);
  for (const [width, height] of [[1000000, 1], [1, 1000000], [4000, 10], [8, 8]]) {
    const response = await server.request('PUT', '/api/v1/me/id-card/portrait', {
      body: greyPng(width, height),
      token,
      headers: { 'content-type': 'image/png' },
    });
    const error = assertError(response, 400, 'image.bad_dimensions');
    assert.match(error.hint, /照片/);
  }
  assert.equal((await server.get('/healthz')).status, 200);
});
