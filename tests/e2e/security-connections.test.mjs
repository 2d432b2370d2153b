// Security finding F10: running out of file descriptors made the accept loop spin (550,955
// log lines in 4 s, most of a core, normal requests timing out). Now the server backs off
// and logs once per interval, and one address cannot hold more than its share of
// connections.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';

import { sleep, withServer } from './lib/server.mjs';

function open(port, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closedByServer(socket) {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readyState === 'closed') return resolve(true);
    socket.on('close', () => resolve(true));
    socket.on('error', () => {});
  });
}

async function waitFor(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('out of file descriptors', () => {
  test('the accept loop backs off, logs a few lines, and serves again once descriptors free up', async () => {
    await withServer({ openFiles: 64 }, async (server) => {
      const sockets = [];
      // Far more connections than 64 descriptors: the kernel queues them, the server cannot
      // take them all.
      for (let i = 0; i < 120; i += 1) sockets.push(await open(server.port));
      await server.waitForLog('server.accept_failed');
      const before = server.logs.length;
      // While the descriptors are short, keep the connections open for a while and count
      // the log lines the server writes about it.
      await sleep(1500);
      const failureLines = (server.logs.match(/server\.accept_failed/g) || []).length;
      assert.ok(failureLines <= 3, `${failureLines} accept_failed lines: the loop spins`);
      assert.ok(server.logs.length - before < 2000, 'the log grows while nothing happens');
      assert.match(server.logs, /out of file descriptors/);
      for (const socket of sockets) socket.destroy();
      // Once descriptors are free again, a normal request is served.
      await waitFor(async () => (await fetch(`${server.url}/healthz`).catch(() => null))?.status === 200, 30000, 'a normal request to be served again');
      const { code, signal } = await server.stop();
      assert.equal(signal, null);
      assert.equal(code, 0, server.logs.slice(-2000));
    });
  });

  test('the soft limit is raised to the hard one at start', async () => {
    await withServer({}, async (server) => {
      await server.waitForLog(/server\.open_files_limit limit=\d+/);
      await server.stop();
    });
  });
});

describe('connections per client', () => {
  test('one address gets its share; another address is still served', async () => {
    await withServer({ env: { EXAMPHOTO_HTTP_MAX_CONNECTIONS_PER_CLIENT: '5' } }, async (server) => {
      const mine = [];
      for (let i = 0; i < 5; i += 1) mine.push(await open(server.port));
      // The server accepts in arrival order, so it has counted those five when the sixth comes.
      const extra = await open(server.port);
      assert.equal(await closedByServer(extra), true);
      await server.waitForLog('server.connection_refused ip=127.0.0.1');
      // Another client (all of 127.0.0.0/8 is loopback) is not affected.
      const other = await open(server.port, '127.0.0.2');
      other.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const answer = await new Promise((resolve) => {
        let text = '';
        other.on('data', (chunk) => { text += chunk; });
        other.on('close', () => resolve(text));
      });
      assert.match(answer, /^HTTP\/1\.1 200/);
      for (const socket of mine) socket.destroy();
      // Once they are gone, the first address is served again.
      await waitFor(async () => (await fetch(`${server.url}/healthz`).catch(() => null))?.status === 200, 30000, 'the address to be served again');
      await server.stop();
    });
  });
});
