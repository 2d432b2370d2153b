// HTTP over a bare TCP socket, for what fetch cannot do: a body larger than announced or
// sent slowly in parts, an oversized header, garbage instead of HTTP. The response is read
// until the server closes the connection (requests here say Connection: close).
import net from 'node:net';

export function parseResponse(raw) {
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, text: '', body: null, raw: text };
  const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let bodyText = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let out = '';
    let rest = bodyText;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, lineEnd), 16);
      if (!size) break;
      out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 2 + size + 2);
    }
    bodyText = out;
  }
  let body = null;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = null;
  }
  return { status, headers, text: bodyText, body, raw: text };
}

// A connected socket with helpers: write(data), response() resolves once the server closes.
export function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      const chunks = [];
      let closed = false;
      const done = new Promise((resolveDone) => {
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('close', () => {
          closed = true;
          resolveDone();
        });
        // A reset while we still write (the server answered early and closed) is fine:
        // what it sent before is in `chunks`.
        socket.on('error', () => {});
      });
      resolve({
        socket,
        write: (data) =>
          new Promise((res) => {
            if (closed || socket.destroyed) return res(false);
            socket.write(data, (error) => res(!error));
          }),
        end: () => socket.end(),
        isClosed: () => closed,
        response: async () => {
          await done;
          return parseResponse(Buffer.concat(chunks));
        },
      });
    });
    socket.on('error', reject);
  });
}

// Sends `head` and `body` (strings or Buffers) in one go and returns the parsed response.
export async function rawRequest(port, head, body = '') {
  const connection = await connect(port);
  await connection.write(Buffer.concat([Buffer.from(head), Buffer.from(body)]));
  return connection.response();
}
