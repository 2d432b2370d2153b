// Security finding F15: HEAD on a streamed export sent a chunked body and ran and audited the
// whole export. HEAD now answers the headers only: no export is made, nothing is audited.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { rawRequest } from './lib/raw.mjs';
import { useServer } from './lib/server.mjs';

const server = useServer({ staff: [['office.admin', 'admin']] });

async function auditCount(token, action) {
  const response = await server.get(`/api/v1/office/audit?action=${action}`, { token });
  assert.equal(response.status, 200, response.text);
  return response.body.items.length;
}

for (const [pathname, type, action] of [
  ['/api/v1/office/exports/photos.zip', /application\/zip/, 'export_photos'],
  ['/api/v1/office/exports/report.csv', /text\/csv/, 'export_report'],
  ['/api/v1/office/exports/report.xlsx', /spreadsheetml/, 'export_report'],
]) {
  test(`HEAD ${pathname} answers headers only and audits nothing`, async () => {
    await server.ready;
    const token = await server.staffLogin('office.admin');
    const before = await auditCount(token, action);
    const response = await rawRequest(
      server.port,
      `HEAD ${pathname} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(response.status, 200, response.raw.slice(0, 300));
    assert.match(response.headers['content-type'], type);
    assert.match(response.headers['content-disposition'], /attachment; filename="/);
    assert.equal(response.headers['transfer-encoding'], undefined);
    assert.equal(response.raw.slice(response.raw.indexOf('\r\n\r\n') + 4), '', 'HEAD sent a body');
    assert.equal(await auditCount(token, action), before, 'HEAD was audited as an export');
    // GET still exports and audits.
    const get = await server.get(pathname, { token });
    assert.equal(get.status, 200);
    assert.equal(await auditCount(token, action), before + 1);
  });
}

test('HEAD on an export still needs a session', async () => {
  await server.ready;
  const response = await rawRequest(server.port, 'HEAD /api/v1/office/exports/photos.zip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(response.status, 401);
});
