// The two image URLs that take a value from the path — `/api/v1/me/id-card/{side}/image` and
// `/api/v1/me/photos/{id}/image` — answer only for the exact forms they name: `portrait` or
// `emblem`, and an attempt number in plain digits. Traversal, encodings, NUL, CR/LF, signs,
// spaces, hex and overflow are 404 `request.not_found`, never a file, a header or a 500.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { candidateId, exec, setState } from './lib/seed.mjs';
import { assertError, withServer } from './lib/server.mjs';

const hostileSides = [
  '..',
  '%2e%2e',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2Fetc%2Fpasswd',
  '%2F%2Fetc%2Fpasswd',
  '..%5C..%5Csecret.key',
  'portrait%00',
  'portrait%00.jpg',
  'portrait%0d%0aX-Injected:%201',
  'portrait%0aX-Injected:%201',
  'PORTRAIT',
  'portrait%20',
  '%20emblem',
  'emblem.jpg',
  'portrait%2F..%2Femblem',
  '%E2%80%AEportrait',
];

function hostileIds(attempt) {
  return [
    `${attempt}abc`,
    `+${attempt}`,
    `%20${attempt}`,
    `${attempt}%20`,
    `${attempt}%00`,
    `${attempt}%2F..%2F..%2Fetc%2Fpasswd`,
    `${attempt}%0d%0aX-Injected:%201`,
    '-1',
    '0x1',
    '1e3',
    '99999999999999999999999',
    '..%2F..%2Fetc%2Fpasswd',
    '%2Fetc%2Fpasswd',
  ];
}

function assertRefused(response, target) {
  assert.equal(response.status, 404, `${target} answered ${response.status}: ${response.text.slice(0, 200)}`);
  assert.equal(response.body?.error?.code, 'request.not_found', `${target}: ${response.text.slice(0, 200)}`);
  assert.equal(response.headers.get('x-injected'), null, `${target} set a header`);
  assert.ok(!response.text.includes('root:'), `${target} leaked /etc/passwd`);
}

test('image URLs answer only for the exact side names and attempt numbers', async () => {
  const people = candidates(1, { seed: 515 });
  await withServer({}, async (server) => {
    await server.importRoster(toCsv(people));
    const id = await candidateId(server, people[0]);
    // A photo attempt and an accepted card side with an image, sealed like every blob the
    // service writes.
    await mkdir(path.join(server.dataDir, 'blobs', 'photo'), { recursive: true });
    await writeFile(path.join(server.dataDir, 'blobs', 'photo', 'url-test'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    const sealed = await server.cli(['blobs', 'rotate-key']);
    assert.equal(sealed.code, 0, sealed.stdout + sealed.stderr);
    await exec(server, `INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key) VALUES (${id}, 0, 1, '[]', 'photo/url-test', 'photo/url-test')`);
    await exec(server, `INSERT INTO id_card_uploads (candidate_id, side, created_at, accepted, reading, image_key, card_key) VALUES (${id}, 'portrait', 0, 1, '{}', 'photo/url-test', 'photo/url-test')`);
    await setState(server, id, 'photo_passed', ', photo_attempt_id = (SELECT max(id) FROM photo_attempts)');
    const [{ attempt }] = await server.query(`SELECT max(id) AS attempt FROM photo_attempts WHERE candidate_id = ${id}`);
    const token = await server.login(people[0].phone);

    // The exact forms work; a side without an accepted upload is a 404 of its own kind.
    for (const target of [`/api/v1/me/photos/${attempt}/image`, '/api/v1/me/id-card/portrait/image']) {
      const image = await server.get(target, { token });
      assert.equal(image.status, 200, `${target}: ${image.text.slice(0, 200)}`);
      assert.equal(image.headers.get('content-type'), 'image/jpeg');
    }
    assert.equal((await server.get('/api/v1/me/id-card/emblem/image', { token })).status, 404);

    for (const side of hostileSides) {
      const target = `/api/v1/me/id-card/${side}/image`;
      assertRefused(await server.get(target, { token }), target);
    }
    for (const value of hostileIds(attempt)) {
      const target = `/api/v1/me/photos/${value}/image`;
      assertRefused(await server.get(target, { token }), target);
    }
    // Without a session nothing is looked up at all.
    assertError(await server.get(`/api/v1/me/photos/${attempt}/image`), 401, 'auth.session_required');
    await server.stop();
  });
});
