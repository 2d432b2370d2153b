// A client that starts a photo export and then stops reading (a dead mobile link, or on
// purpose) must not hold a worker thread for ever: after http.write_timeout_seconds with no
// progress the server gives up that stream, logs it, and serves the next export. The server
// here has a single worker thread, so a stuck stream would block every later export.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { candidateId, seedPhoto, setState } from './lib/seed.mjs';
import { useServer } from './lib/server.mjs';
import { zipNames } from './lib/zip.mjs';

const people = candidates(4, { seed: 93 });
// 4 × 12 MB: far more than the loopback socket buffers hold, so the server must wait on
// the client.
const PHOTO_BYTES = 12 * 1024 * 1024;

async function waitFor(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('a stalled export', () => {
  const server = useServer({
    roster: toCsv(people),
    staff: [['x.operator', 'operator']],
    env: { EXAMPHOTO_HTTP_WRITE_TIMEOUT_SECONDS: '2', EXAMPHOTO_HTTP_WORKER_THREADS: '1' },
  });

  test('is dropped after the write timeout and the worker serves the next export', async () => {
    for (const person of people) {
      const candidateToken = await server.login(person.phone);
      await server.get('/api/v1/me', { token: candidateToken });
      const id = await candidateId(server, person);
      const attempt = await seedPhoto(server, id, { content: randomBytes(PHOTO_BYTES) });
      await setState(server, id, 'verified', `, photo_attempt_id = ${attempt}`);
    }
    const token = await server.staffLogin('x.operator');

    // Ask for the export on a raw socket, take the response head, then read nothing more.
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let received = '';
    const head = new Promise((resolve) => {
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n\r\n')) {
          socket.pause();
          socket.removeAllListeners('data');
          resolve();
        }
      });
    });
    socket.write(
      `GET /api/v1/office/exports/photos.zip?key=id_number HTTP/1.1\r\nHost: x\r\n` +
        `Authorization: Bearer ${token}\r\n\r\n`,
    );
    await head;
    assert.match(received, /^HTTP\/1\.1 200/);
    assert.match(received, /transfer-encoding: chunked/i);

    await waitFor(() => server.logs.includes('http.stream_stopped'), 30000, 'the server to give up the stalled stream');
    assert.match(server.logs, /http\.stream_stopped route=\S*exports\S* .*read nothing for 2 s/);

    // The only worker thread is free again: a second export goes through whole.
    const response = await fetch(`${server.url}/api/v1/office/exports/photos.zip?key=registration_no`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    const names = zipNames(Buffer.from(await response.arrayBuffer())).sort();
    assert.deepEqual(names, people.map((p) => `${p.registration_no}.jpg`).sort());
    socket.destroy();
  });
});
