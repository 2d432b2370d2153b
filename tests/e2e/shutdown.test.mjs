// Graceful shutdown: after SIGTERM the server takes no new connections, closes idle ones,
// lets a request in flight (a roster upload streamed slowly) finish and store its data,
// then exits 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { connect } from './lib/raw.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { sleep, withServer } from './lib/server.mjs';

// Waits until the server has read the header of `count` requests besides the /metrics one
// that asks (it counts itself): a request only counts as in flight once its header is in;
// before that the connection is idle and a stop closes it.
async function waitForRequestsInFlight(server, count) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const text = await fetch(`${server.url}/metrics`).then((r) => r.text());
    const match = /^examphoto_http_requests_in_flight (\d+)$/m.exec(text);
    if (match && Number(match[1]) >= count + 1) return;
    assert.ok(Date.now() < deadline, `the server never saw ${count} request(s) in flight:\n${text.slice(0, 500)}`);
    await sleep(20);
  }
}

test('a slow upload in flight at SIGTERM completes, its rows are stored, and the exit is 0', async () => {
  await withServer({ env: { EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '60' } }, async (server) => {
    await server.createStaff('office.admin', 'admin');
    const token = await server.staffLogin('office.admin');
    const rows = candidates(200, { seed: 60 });
    const csv = Buffer.from(toCsv(rows));
    const connection = await connect(server.port);
    await connection.write(
      'POST /api/v1/office/roster/import?file_name=slow.csv HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${token}\r\nContent-Type: text/csv\r\nContent-Length: ${csv.length}\r\n\r\n`,
    );
    const half = Math.floor(csv.length / 2);
    await connection.write(csv.subarray(0, half));
    await waitForRequestsInFlight(server, 1);

    server.process.kill('SIGTERM');
    // Closing the listener is the first thing the server does; wait until it did.
    let refused = false;
    for (let i = 0; i < 100 && !refused; i += 1) {
      refused = await fetch(`${server.url}/healthz`).then(() => false, () => true);
      if (!refused) await sleep(20);
    }
    assert.ok(refused, 'the server still accepts connections after SIGTERM');
    assert.equal(server.exited, null, 'the server exited with a request in flight');

    // The rest of the body arrives in small pieces, slowly.
    for (let offset = half; offset < csv.length; offset += 1024) {
      await connection.write(csv.subarray(offset, Math.min(offset + 1024, csv.length)));
      await sleep(10);
    }
    const response = await connection.response();
    assert.equal(response.status, 200, response.raw.slice(0, 600));
    assert.equal(response.body.inserted, 200);
    assert.equal(response.headers.connection, 'close');

    const { code, signal } = await server.stop();
    assert.equal(signal, null);
    assert.equal(code, 0, server.logs.slice(-3000));
    const stored = await server.query("SELECT COUNT(*) AS n FROM candidates WHERE registration_no LIKE 'E2E0060%'");
    assert.deepEqual(stored, [{ n: 200 }]);
  });
});

test('idle keep-alive connections do not hold the shutdown up', async () => {
  await withServer({ env: { EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '600' } }, async (server) => {
    const connection = await connect(server.port);
    await connection.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    for (let i = 0; i < 100; i += 1) {
      await sleep(10);
      if (connection.socket.bytesRead > 0) break;
    }
    assert.ok(connection.socket.bytesRead > 0, 'no answer on the keep-alive connection');
    // The connection now waits idle for a next request. With a 600 s grace period, an exit
    // within the harness's 20 s means the idle connection was closed, not waited for.
    const { code, signal } = await server.stop();
    assert.equal(signal, null);
    assert.equal(code, 0, server.logs.slice(-3000));
    await connection.response();
    assert.ok(connection.isClosed());
  });
});

test('SIGINT stops the server cleanly too', async () => {
  await withServer({}, async (server) => {
    server.process.kill('SIGINT');
    const { code } = await server.stop();
    assert.equal(code, 0, server.logs.slice(-3000));
  });
});

test('a request in flight past the grace period does not keep the process alive', async () => {
  await withServer({ env: { EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '1' } }, async (server) => {
    const connection = await connect(server.port);
    await connection.write('POST /api/v1/auth/sms-code HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"phone":');
    await waitForRequestsInFlight(server, 1);
    const { code, signal } = await server.stop();
    assert.equal(signal, null);
    assert.equal(code, 0, server.logs.slice(-3000));
    await connection.response();
  });
});

test('SIGTERM while the models load stops the loader and exits 0 (it once crashed in the logger)', async () => {
  await withServer({ env: { EXAMPHOTO_MODELS_PRELOAD: 'true' }, waitForReady: false }, async (server) => {
    // The load starts right after the listener; the signal comes while it runs.
    server.process.kill('SIGTERM');
    const { code, signal } = await server.stop();
    assert.equal(signal, null, server.logs.slice(-3000));
    assert.equal(code, 0, server.logs.slice(-3000));
    assert.match(server.logs, /server\.exit/);
    // Either the loader stopped between two models or it had just finished; never a crash.
    assert.match(server.logs, /models\.(load_stopped|loaded)/);
  });
});

test('a second signal during the drain stops at once, with a log line and exit 0', async () => {
  await withServer({ env: { EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '600' } }, async (server) => {
    await server.createStaff('office.admin', 'admin');
    const token = await server.staffLogin('office.admin');
    const connection = await connect(server.port);
    // A body that never completes: with a 600 s grace, only the second signal ends the drain.
    await connection.write(
      'POST /api/v1/office/roster/import?file_name=never.csv HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${token}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n报名号,`,
    );
    await waitForRequestsInFlight(server, 1);
    server.process.kill('SIGTERM');
    await server.waitForLog('server.signal signal=15 draining');
    assert.equal(server.exited, null, 'the first signal did not wait for the request in flight');
    server.process.kill('SIGINT');
    // stop() sends one more SIGTERM if the process is still there: whichever of the two
    // arrives first is the second signal.
    const { code, signal } = await server.stop();
    assert.equal(signal, null, server.logs.slice(-3000));
    assert.equal(code, 0, server.logs.slice(-3000));
    assert.match(server.logs, /server\.signal_again signal=(2|15) stopping_now/);
    await connection.response();
    assert.ok(connection.isClosed());
  });
});

test('signals during the teardown after a drain are harmless', async () => {
  await withServer({}, async (server) => {
    server.process.kill('SIGTERM');
    await server.waitForLog('server.stopped');
    // The listener and the connections are gone; the process now stops its threads and
    // closes the database. Signals here used to find the default action again.
    for (let i = 0; i < 4; i += 1) if (!server.exited) server.process.kill(i % 2 ? 'SIGINT' : 'SIGTERM');
    const { code, signal } = await server.stop();
    assert.equal(signal, null, server.logs.slice(-3000));
    assert.equal(code, 0, server.logs.slice(-3000));
  });
});

test('a half-sent request header does not hold the shutdown up', async () => {
  await withServer({ env: { EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '600' } }, async (server) => {
    const connection = await connect(server.port);
    await connection.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    // The header is still incomplete: the connection counts as idle and is closed.
    const { code, signal } = await server.stop();
    assert.equal(signal, null);
    assert.equal(code, 0, server.logs.slice(-3000));
    await connection.response();
    assert.ok(connection.isClosed());
  });
});
