// A stand-in SMS provider: a real local HTTP server that records every request and answers
// according to its mode — 'ok' (200), 'fail' (500) or 'slow' (answers 200 only after
// `slowMs`, beyond the gateway's timeout). Tests switch the mode between requests.
//
//   import { startSmsProvider } from './standins/sms-provider.mjs';
//   const provider = await startSmsProvider();   // provider.url, provider.requests
//   provider.mode = 'fail';
//
// Run alone (`node standins/sms-provider.mjs [port] [mode]`) it prints what it receives.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export async function startSmsProvider({ mode = 'ok', slowMs = 3000, port = 0 } = {}) {
  const provider = { mode, slowMs, requests: [], url: '' };
  const pending = new Set();
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      const record = { method: request.method, path: request.url, headers: request.headers, text, json, mode: provider.mode };
      provider.requests.push(record);
      provider.onRequest?.(record);
      const answer = () => {
        if (response.destroyed) return;
        if (provider.mode === 'fail') {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end('{"error":"provider down"}');
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(`{"ok":true,"id":"msg-${provider.requests.length}"}`);
        }
      };
      if (provider.mode === 'slow') {
        const timer = setTimeout(() => {
          pending.delete(timer);
          answer();
        }, provider.slowMs);
        pending.add(timer);
      } else {
        answer();
      }
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${server.address().port}`;
  provider.close = async () => {
    for (const timer of pending) clearTimeout(timer);
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  };
  return provider;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const provider = await startSmsProvider({ port: Number(process.argv[2] || 0), mode: process.argv[3] || 'ok' });
  provider.onRequest = (r) => console.log(`${r.method} ${r.path} ${r.text}`);
  console.log(`sms provider stand-in on ${provider.url} (mode ${provider.mode})`);
}
