// Security finding F8: with no key configured, ID card images and portraits were plain JPEG
// files, the SQLite file was created 0644 and secret.key was briefly world-readable. Now
// images are sealed by default with a key generated into the data folder on first start
// (0600 from creation), everything examphoto writes is private to its user, a data folder
// from before is sealed on that first start, and turning encryption off warns at every start.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { candidateId, exec, setState } from './lib/seed.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { runBinary, withServer } from './lib/server.mjs';

function mode(file) {
  return (statSync(file).mode & 0o777).toString(8);
}

function filesUnder(folder) {
  const out = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

test('a new data folder and every key and database file in it are private, even with umask 022', async () => {
  await withServer({}, async (server) => {
    const fresh = path.join(server.dataDir, 'fresh');
    const previous = process.umask(0o022);
    try {
      const result = await runBinary(['check-data', '--data-dir', fresh, '--database', `sqlite:${fresh}/examphoto.db`], {
        env: { PATH: process.env.PATH },
      });
      assert.equal(result.code, 0, result.stdout + result.stderr);
    } finally {
      process.umask(previous);
    }
    assert.equal(mode(fresh), '700');
    for (const name of ['secret.key', 'blob.key', 'examphoto.db']) assert.equal(mode(path.join(fresh, name)), '600', name);
    assert.match(readFileSync(path.join(fresh, 'blob.key'), 'utf8'), /^local:[0-9a-f]{64}\n$/);
    await server.stop();
  });
});

test('images written by the service are sealed on disk, not JPEG files', async () => {
  const people = candidates(1, { seed: 808 });
  await withServer({}, async (server) => {
    await server.importRoster(toCsv(people));
    const id = await candidateId(server, people[0]);
    await mkdir(path.join(server.dataDir, 'blobs', 'photo'), { recursive: true });
    // A blob written in clear behind the service's back is not served as it is (a clear blob
    // could be a forged one) ...
    await writeFile(path.join(server.dataDir, 'blobs', 'photo', 'old'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await exec(server, `INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key) VALUES (${id}, 0, 1, '[]', 'photo/old', 'photo/old')`);
    await setState(server, id, 'photo_passed', ", photo_attempt_id = (SELECT max(id) FROM photo_attempts)");
    const token = await server.login(people[0].phone);
    const [{ attempt }] = await server.query(`SELECT max(id) AS attempt FROM photo_attempts WHERE candidate_id = ${id}`);
    const image = await server.get(`/api/v1/me/photos/${attempt}/image`, { token });
    assert.notEqual(image.status, 200, 'a blob in clear was served');
    // ... until the key rotation seals it; then no file in the store is in clear.
    const sealed = await server.cli(['blobs', 'rotate-key']);
    assert.equal(sealed.code, 0, sealed.stdout + sealed.stderr);
    for (const file of filesUnder(path.join(server.dataDir, 'blobs'))) {
      const head = readFileSync(file).subarray(0, 4).toString('latin1');
      assert.equal(head, 'EPB1', `${file} is not sealed`);
    }
    await server.stop();
  });
});

test('a data folder from before encryption was the default is sealed on the first start', async () => {
  await withServer({}, async (server) => {
    await server.stop();
    // Back to a folder of an earlier version: no blob.key, an image in clear.
    await rm(path.join(server.dataDir, 'blob.key'));
    await mkdir(path.join(server.dataDir, 'blobs', 'upload'), { recursive: true });
    await writeFile(path.join(server.dataDir, 'blobs', 'upload', 'legacy'), 'JPEG-BYTES-IN-CLEAR');
    // Any start opens the store the same way (the service's, or a command's as here).
    const started = await server.cli(['check-data']);
    assert.match(started.stderr + started.stdout, /blobs\.sealed count=1/);
    assert.equal(readFileSync(path.join(server.dataDir, 'blobs', 'upload', 'legacy')).subarray(0, 4).toString(), 'EPB1');
    assert.equal(mode(path.join(server.dataDir, 'blob.key')), '600');
  });
});

test('blobs.encryption = off warns at start', async () => {
  await withServer({ env: { EXAMPHOTO_BLOBS_ENCRYPTION: 'off' } }, async (server) => {
    assert.match(server.logs, /blobs\.encryption_off/);
    await server.stop();
  });
});
