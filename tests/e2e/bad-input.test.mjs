// Bad input of every kind gets the right 4xx and a JSON error {code, message, hint} — and
// nothing stored changes: each case compares every table before and after.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { connect, rawRequest } from './lib/raw.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { assertError, useServer } from './lib/server.mjs';
import { snapshot } from './lib/snapshot.mjs';

const people = candidates(2, { seed: 6 });
const server = useServer({ roster: toCsv(people), staff: [['office.admin', 'admin']] });

let token;
let staffToken;
let me;

before(async () => {
  await server.ready;
  token = await server.login(people[0].phone);
  staffToken = await server.staffLogin('office.admin');
  me = (await server.get('/api/v1/me', { token })).text;
});

// Runs `action` and checks that no table changed and the candidate still sees the same.
async function unchanged(action) {
  const beforeState = await snapshot(server);
  await action();
  assert.deepEqual(await snapshot(server), beforeState, 'a failed request changed stored data');
  assert.equal((await server.get('/api/v1/me', { token })).text, me);
}

const JSON_ENDPOINTS = ['/api/v1/auth/sms-code', '/api/v1/auth/login', '/api/v1/office/auth/login'];

test('malformed JSON is 400 request.malformed_json', async () => {
  await unchanged(async () => {
    for (const path of JSON_ENDPOINTS) {
      for (const body of ['{', 'not json', '{"phone": "139"', '[]', '"text"', 'null', '42', '', '{"a":1}{"b":2}', 'phone=13900000000']) {
        const response = await server.request('POST', path, { body, headers: { 'content-type': 'application/json' }, token });
        assertError(response, 400, 'request.malformed_json');
      }
    }
  });
});

test('invalid UTF-8 and absurd nesting in JSON are 400, and the server lives on', async () => {
  await unchanged(async () => {
    const invalidUtf8 = Buffer.concat([Buffer.from('{"phone":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    assertError(await server.request('POST', '/api/v1/auth/sms-code', { body: invalidUtf8 }), 400);
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    assertError(await server.request('POST', '/api/v1/auth/sms-code', { body: deep }), 400, 'request.malformed_json');
    const deepObject = `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`;
    assertError(await server.request('POST', '/api/v1/auth/login', { body: deepObject }), 400);
  });
  assert.equal((await server.get('/healthz')).status, 200);
});

test('wrong types and missing fields are 400 request.invalid_field naming the field', async () => {
  const agreements = await server.agreements();
  const phone = people[1].phone;
  const cases = [
    ['/api/v1/auth/sms-code', {}, 'phone'],
    ['/api/v1/auth/sms-code', { phone: Number(phone) }, 'phone'],
    ['/api/v1/auth/sms-code', { phone: null }, 'phone'],
    ['/api/v1/auth/sms-code', { phone: [phone] }, 'phone'],
    ['/api/v1/auth/sms-code', { phone: { number: phone } }, 'phone'],
    ['/api/v1/auth/sms-code', { phone: true }, 'phone'],
    ['/api/v1/auth/sms-code', { phone: '1'.repeat(1000) }, 'phone'],
    ['/api/v1/auth/sms-code', { Phone: phone }, 'phone'],
    ['/api/v1/auth/login', { code: '123456', agreements }, 'phone'],
    ['/api/v1/auth/login', { phone, agreements }, 'code'],
    ['/api/v1/auth/login', { phone, code: 123456, agreements }, 'code'],
    ['/api/v1/auth/login', { phone, code: '1'.repeat(100), agreements }, 'code'],
    ['/api/v1/auth/login', { phone, code: '123456', agreements: 'yes' }, 'agreements'],
    ['/api/v1/auth/login', { phone, code: '123456', agreements: [agreements.user, agreements.privacy] }, 'agreements'],
    ['/api/v1/auth/login', { phone, code: '123456', agreements: { user: 1, privacy: 1 } }, 'agreements'],
    ['/api/v1/office/auth/login', { username: 'office.admin' }, 'password'],
    ['/api/v1/office/auth/login', { username: 5, password: 'x' }, 'username'],
    ['/api/v1/office/auth/login', { username: 'office.admin', password: ['e2e-Password-1234'] }, 'password'],
  ];
  await unchanged(async () => {
    for (const [path, json, field] of cases) {
      const error = assertError(await server.post(path, json), 400, 'request.invalid_field');
      assert.ok(error.message.includes(field), `${path} ${JSON.stringify(json)}: ${error.message}`);
    }
  });
});

test('a code of the wrong shape is refused without a session', async () => {
  await server.sendCode(people[1].phone);
  const agreements = await server.agreements();
  for (const code of ['', 'abcdef', '12345', '1234567', ' 123456']) {
    const response = await server.post('/api/v1/auth/login', { phone: people[1].phone, code, agreements });
    assert.ok(response.status === 400 || response.status === 401, `${code}: ${response.status}`);
    assert.ok(response.body.error.code);
  }
  const id = (await server.query(`SELECT id FROM candidates WHERE phone = '${people[1].phone}'`))[0].id;
  assert.deepEqual(await server.query(`SELECT subject_id FROM sessions WHERE subject_kind = 'candidate' AND subject_id = ${id}`), []);
});

test('unknown routes are JSON 404, under /api/ with any method', async () => {
  await unchanged(async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nothing-here'],
      ['POST', '/api/v1/nothing-here'],
      ['GET', '/api/v2/me'],
      ['GET', '/api/v1/me/extra'],
      ['GET', '/api/v1/agreements/user/extra'],
      ['DELETE', '/api/v1/office/roster'],
      ['GET', '/api/'],
    ]) {
      assertError(await server.request(method, path, { token }), 404, 'request.not_found');
    }
  });
});

test('a known path with the wrong method is 405', async () => {
  await unchanged(async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/auth/login'],
      ['GET', '/api/v1/auth/sms-code'],
      ['PUT', '/api/v1/auth/sms-code'],
      ['DELETE', '/api/v1/me'],
      ['POST', '/api/v1/me'],
      ['GET', '/api/v1/office/roster/import'],
      ['POST', '/healthz'],
    ]) {
      assertError(await server.request(method, path, { token, json: method === 'GET' ? undefined : {} }), 405, 'request.method_not_allowed');
    }
  });
});

// The server answers 413 without reading the rest of the body. These raw tests send
// nothing beyond the point where the server decides; the next one sends it all anyway.
test('an announced body over the limit is 413 before the body is sent', async () => {
  await unchanged(async () => {
    const response = await rawRequest(
      server.port,
      `POST /api/v1/auth/sms-code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${65 * 1024}\r\n\r\n`,
    );
    assert.equal(response.status, 413, response.raw.slice(0, 500));
    assert.equal(response.body.error.code, 'request.body_too_large');
    assert.match(response.body.error.message, /[\u4e00-\u9fff]/);
    assert.equal(response.headers.connection, 'close');
  });
});

test('a chunked body that grows over the limit is 413', async () => {
  await unchanged(async () => {
    const connection = await connect(server.port);
    await connection.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n`);
    const chunk = 'x'.repeat(8192);
    for (let i = 0; i < 8; i += 1) await connection.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    // Exactly the 64 KiB limit so far; one more byte is too much.
    await connection.write('1\r\nx\r\n0\r\n\r\n');
    const response = await connection.response();
    assert.equal(response.status, 413, response.raw.slice(0, 500));
    assert.equal(response.body.error.code, 'request.body_too_large');
  });
});

test('a client still sending a body over the limit gets the 413 message, not a reset', async () => {
  await unchanged(async () => {
    for (let i = 0; i < 5; i += 1) {
      const response = await server.request('POST', '/api/v1/auth/sms-code', { body: 'x'.repeat(2 * 1024 * 1024) });
      assertError(response, 413, 'request.body_too_large');
    }
    // A phone photo far over the upload limit: the candidate must read why.
    const photo = await server.request('PUT', '/api/v1/me/id-card/portrait', {
      body: Buffer.alloc(20 * 1024 * 1024, 0xff),
      token,
      headers: { 'content-type': 'image/jpeg' },
    });
    assertError(photo, 413, 'request.body_too_large');
  });
});

test('oversized headers are 431', async () => {
  const response = await rawRequest(server.port, `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20000)}\r\n\r\n`);
  assert.equal(response.status, 431, response.raw.slice(0, 300));
  assert.ok(response.body?.error?.code);
});

test('garbage instead of HTTP is dropped and the server keeps serving', async () => {
  await unchanged(async () => {
    const response = await rawRequest(server.port, 'HELLO THERE\r\n\r\n\r\n');
    assert.ok(response.status === 0 || response.status === 400, response.raw);
    const binary = await rawRequest(server.port, Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]));
    assert.ok(binary.status === 0 || binary.status === 400);
  });
  assert.equal((await server.get('/healthz')).status, 200);
});

test('a body on a roster import that is not a roster is 400 with a Chinese reason', async () => {
  await unchanged(async () => {
    const cases = [
      ['', 'roster.file_empty'],
      ['\r\n\r\n   \r\n', 'roster.file_empty'],
      ['{"phone":"13900000000"}', 'roster.header'],
      [Buffer.from([0xff, 0xff, 0xff, 0x80, 0x81]), 'roster.encoding'],
    ];
    for (const [body, code] of cases) {
      const response = await server.request('POST', '/api/v1/office/roster/import', { body, token: staffToken });
      assertError(response, 400, code);
    }
  });
});
