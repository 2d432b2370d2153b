// A stand-in for the identity platform (the 「互联网+」可信身份认证平台 gateway) speaking the
// protocol of src/verification/http_identity_verifier.h: it checks the HMAC-SHA256 signature
// and the timestamp (±300 s), then answers by its mode:
//   pass | fail     200 {"result": "pass"|"fail", "score"}
//   error          500
//   slow           answers only after slowMs (beyond the caller's timeout)
//   malformed      200 with a body that is not the protocol's
// A request_id it has already answered is a repeat: the same answer again, nothing checked
// (a repeat that arrives while the first is still being checked gets the first's answer).
// POST /control {"mode": "...", "slowMs": n} switches the mode; GET /requests lists what it got
// (with `repeat`: true for a request_id seen before), GET /checks counts the checks it ran.
// Run alone: node identity-platform.mjs [port] [secret]  — prints "LISTENING <port>".
import crypto from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export async function startIdentityPlatform({ secret = 'platform-secret', mode = 'pass', slowMs = 3000, port = 0 } = {}) {
  const platform = { mode, slowMs, requests: [], checks: 0, url: '' };
  const timers = new Set();
  const answered = new Map(); // request_id → [status, body]
  const waiting = new Map(); // request_id → callbacks of repeats waiting for the first answer
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const send = (status, body) => {
        if (response.destroyed) return;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (request.url === '/control' && request.method === 'POST') {
        Object.assign(platform, JSON.parse(text));
        return send(200, { mode: platform.mode });
      }
      if (request.url === '/requests') {
        return send(200, platform.requests.map(({ request_id, repeat, name, id_number, photo_bytes, signature_ok }) => ({ request_id, repeat, name, id_number, photo_bytes, signature_ok })));
      }
      if (request.url === '/checks') return send(200, { checks: platform.checks });
      const timestamp = request.headers['x-examphoto-timestamp'] ?? '';
      const signature = request.headers['x-examphoto-signature'] ?? '';
      const expected = crypto.createHmac('sha256', secret).update(`${timestamp}\n${text}`).digest('hex');
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
      const signatureOk = signature.length === expected.length &&
        crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) && fresh;
      let body = {};
      try { body = JSON.parse(text); } catch { body = {}; }
      const requestId = typeof body.request_id === 'string' ? body.request_id : '';
      const repeat = requestId !== '' && (answered.has(requestId) || waiting.has(requestId));
      platform.requests.push({
        request_id: requestId, repeat,
        name: body.name, id_number: body.id_number,
        photo_bytes: body.photo ? Buffer.from(body.photo, 'base64').length : 0,
        signature_ok: signatureOk,
      });
      if (!signatureOk) return send(401, { error: 'bad signature' });
      if (!body.name || !body.id_number || !body.photo) return send(400, { error: 'missing fields' });
      if (repeat && answered.has(requestId)) return send(...answered.get(requestId));
      if (repeat) return waiting.get(requestId).push(send);
      if (requestId) waiting.set(requestId, []);
      const answer = () => {
        const repeats = waiting.get(requestId) ?? [];
        waiting.delete(requestId);
        if (platform.mode === 'error' || platform.mode === 'malformed') {
          // Failures are not answers: a repeat is checked afresh.
          const failure = platform.mode === 'error' ? [500, { error: 'platform failure' }] : [200, '{"status":"ok"}'];
          for (const reply of [send, ...repeats]) reply(...failure);
          return;
        }
        platform.checks += 1;
        const pass = platform.mode !== 'fail';
        const result = [200, { result: pass ? 'pass' : 'fail', score: pass ? 0.93 : 0.12 }];
        if (requestId) answered.set(requestId, result);
        for (const reply of [send, ...repeats]) reply(...result);
      };
      if (platform.mode === 'slow') {
        const timer = setTimeout(() => { timers.delete(timer); answer(); }, platform.slowMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  platform.url = `http://127.0.0.1:${server.address().port}/verify`;
  platform.port = server.address().port;
  platform.close = async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  };
  return platform;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const platform = await startIdentityPlatform({ port: Number(process.argv[2] ?? 0), secret: process.argv[3] ?? 'platform-secret' });
  process.stdout.write(`LISTENING ${platform.port}\n`);
  process.on('SIGTERM', async () => { await platform.close(); process.exit(0); });
}
