// One candidate can never read or change another's data: with A's token, every candidate
// endpoint (the documented ones from the served OpenAPI file plus the known ones), asked
// about B in every way a client could (path, query, body, headers), shows only A and leaves
// B's stored rows untouched.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { operations } from './lib/openapi.mjs';
import { candidates, toCsv } from './lib/roster.mjs';
import { useServer } from './lib/server.mjs';

const people = candidates(3, { seed: 5 });
const [alice, bob] = people;
const server = useServer({ roster: toCsv(people) });

const KNOWN = [
  { method: 'GET', path: '/api/v1/me' },
  { method: 'GET', path: '/api/v1/app-config' },
  { method: 'GET', path: '/api/v1/agreements/{name}' },
  // The collection routes (404 until they exist; covered as soon as they do).
  { method: 'PUT', path: '/api/v1/me/id-card/portrait' },
  { method: 'PUT', path: '/api/v1/me/id-card/emblem' },
  { method: 'POST', path: '/api/v1/me/id-card/confirm' },
  { method: 'POST', path: '/api/v1/me/id-card/reenter' },
  { method: 'POST', path: '/api/v1/me/photos' },
  { method: 'GET', path: '/api/v1/me/photos/{id}/image' },
  { method: 'POST', path: '/api/v1/me/photo/retake' },
  { method: 'POST', path: '/api/v1/me/photo/submit' },
  { method: 'POST', path: '/api/v1/me/verification' },
];

let aliceToken;
let bobToken;
let bobId;

before(async () => {
  await server.ready;
  aliceToken = await server.login(alice.phone);
  bobToken = await server.login(bob.phone);
  bobId = (await server.query(`SELECT id FROM candidates WHERE phone = '${bob.phone}'`))[0].id;
});

const masked = (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

function bobTraces(text) {
  return [bob.name, bob.registration_no, bob.id_number, bob.phone, masked(bob.phone)].filter((v) => text.includes(v));
}

async function bobRows() {
  const rows = {};
  for (const [table, column] of [['candidates', 'id'], ['collections', 'candidate_id'], ['collection_events', 'candidate_id'], ['consents', 'candidate_id']]) {
    rows[table] = await server.query(`SELECT * FROM ${table} WHERE ${column} = ${bobId} ORDER BY 1`);
  }
  rows.sessions = await server.query(`SELECT * FROM sessions WHERE subject_kind = 'candidate' AND subject_id = ${bobId} ORDER BY 1`);
  return rows;
}

test("A's token shows A and B's token shows B", async () => {
  const a = await server.get('/api/v1/me', { token: aliceToken });
  const b = await server.get('/api/v1/me', { token: bobToken });
  assert.equal(a.body.candidate.registration_no, alice.registration_no);
  assert.equal(b.body.candidate.registration_no, bob.registration_no);
  assert.deepEqual(bobTraces(a.text), []);
});

test("naming B in the query or headers still shows A", async () => {
  const query = `candidate_id=${bobId}&id=${bobId}&phone=${bob.phone}&registration_no=${bob.registration_no}`;
  const response = await server.get(`/api/v1/me?${query}`, {
    token: aliceToken,
    headers: { 'x-candidate-id': String(bobId), 'x-phone': bob.phone, cookie: `token=${bobToken}` },
  });
  assert.equal(response.status, 200);
  assert.equal(response.body.candidate.registration_no, alice.registration_no);
  assert.deepEqual(bobTraces(response.text), []);
});

test("no candidate endpoint lets A's token read or change B's data", async (t) => {
  const documented = operations((await server.get('/api/v1/openapi.yaml')).text);
  const all = new Map();
  for (const op of [...KNOWN, ...documented]) all.set(`${op.method} ${op.path}`, op);
  const candidateOps = [...all.values()].filter(
    (op) => op.path.startsWith('/api/') && !/^\/api\/v1\/(office|dev|auth)\//.test(op.path),
  );
  t.diagnostic(`${candidateOps.length} candidate operations (${documented.length} documented in total)`);
  const before = await bobRows();
  const bobValues = [String(bobId), bob.registration_no, bob.phone, bob.id_number];
  const bobBody = { candidate_id: bobId, id: bobId, phone: bob.phone, registration_no: bob.registration_no, id_number: bob.id_number };
  for (const op of candidateOps) {
    const variants = op.path.includes('{') ? bobValues.map((v) => op.path.replace(/\{[^}]+\}/g, encodeURIComponent(v))) : [op.path];
    for (const path of variants) {
      for (const suffix of ['', `?candidate_id=${bobId}&phone=${bob.phone}`]) {
        const response = await server.request(op.method, path + suffix, {
          token: aliceToken,
          json: op.method === 'GET' || op.method === 'DELETE' ? undefined : bobBody,
        });
        // 503 is allowed (a model or outside service not configured here), a crash is not.
        assert.ok(response.status < 500 || response.status === 503, `${op.method} ${path}${suffix}: ${response.status} ${response.text}`);
        assert.deepEqual(bobTraces(response.text), [], `${op.method} ${path}${suffix} shows B's data: ${response.text}`);
      }
    }
  }
  assert.deepEqual(await bobRows(), before, "B's stored rows changed");
  assert.equal((await server.get('/api/v1/me', { token: bobToken })).status, 200);
});

test("A's logout leaves B's session alone", async () => {
  assert.equal((await server.post('/api/v1/auth/logout', {}, { token: aliceToken })).status, 204);
  assert.equal((await server.get('/api/v1/me', { token: bobToken })).status, 200);
  assert.equal((await server.get('/api/v1/me', { token: aliceToken })).status, 401);
});
