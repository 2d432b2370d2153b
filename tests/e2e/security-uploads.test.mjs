// Security finding F12: one logged-in candidate could upload 15 MiB again and again, each
// upload stored and taking an image worker. Uploads are now limited per candidate per hour
// and day (429 upload.too_many with Retry-After and a Chinese message), and of each slot
// only the newest uploads keep their raw bytes.
// needs: models
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { assertError, repoRoot, useServer } from './lib/server.mjs';

const people = candidates(2, { seed: 412 });
const server = useServer({
  roster: toCsv(people),
  env: { EXAMPHOTO_MODELS_PRELOAD: 'true', EXAMPHOTO_UPLOAD_PER_HOUR: '3', EXAMPHOTO_UPLOAD_KEPT_PER_SLOT: '2' },
});
// A real photo that is not an ID card: read, refused with its issues, and stored.
const photo = readFileSync(path.join(repoRoot, 'deps/models/node_modules/@vladmandic/face-api/demo/sample1.jpg'));

function upload(token) {
  return server.request('PUT', '/api/v1/me/id-card/portrait', { body: photo, token, headers: { 'content-type': 'image/jpeg' } });
}

test('the fourth upload in an hour is 429 with Retry-After; another candidate is not affected', async () => {
  await server.ready;
  const token = await server.login(people[0].phone);
  for (let i = 0; i < 3; i += 1) {
    const response = await upload(token);
    assert.notEqual(response.status, 429, response.text);
    assert.ok(response.status < 500, response.text);
  }
  const limited = await upload(token);
  const error = assertError(limited, 429, 'upload.too_many');
  assert.match(error.hint, /\d+ 分钟后/);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);

  const other = await server.login(people[1].phone);
  assert.notEqual((await upload(other)).status, 429);
});

test('only the newest uploads of a slot keep their bytes', async () => {
  const rows = await server.query(
    `SELECT image_key FROM id_card_uploads u JOIN candidates c ON c.id = u.candidate_id WHERE c.phone = '${people[0].phone}' ORDER BY u.id`,
  );
  assert.equal(rows.length, 3);
  assert.match(rows[0].image_key, /^purged\//, 'the oldest upload kept its bytes');
  assert.doesNotMatch(rows[1].image_key, /^purged\//);
  assert.doesNotMatch(rows[2].image_key, /^purged\//);
  // The data check finds nothing wrong with a purged upload.
  const check = await server.cli(['check-data']);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});
