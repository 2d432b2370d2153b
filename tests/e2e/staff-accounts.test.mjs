// Staff accounts can be disabled, enabled and removed (security F17): by an administrator in
// the office API and with the CLI. A disabled or removed account's sessions end at once and
// it cannot log in; nobody but an administrator may do it, and not to their own account.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { assertError, STAFF_PASSWORD, useServer } from './lib/server.mjs';

const server = useServer({
  staff: [['boss', 'admin'], ['clerk', 'operator'], ['reader', 'viewer'], ['leaver', 'operator'], ['cli.user', 'viewer']],
});
let admin;

before(async () => {
  await server.ready;
  admin = await server.staffLogin('boss');
});

const loginStatus = async (username) =>
  (await server.post('/api/v1/office/auth/login', { username, password: STAFF_PASSWORD })).status;

test('an administrator lists the accounts with their roles and states', async () => {
  const list = await server.get('/api/v1/office/staff', { token: admin });
  assert.equal(list.status, 200, list.text);
  const clerk = list.body.items.find((a) => a.username === 'clerk');
  assert.deepEqual({ role: clerk.role, disabled: clerk.disabled }, { role: 'operator', disabled: false });
  assert.equal(typeof clerk.created_at, 'number');
  assert.ok(!list.body.items.some((a) => 'password_hash' in a));
});

test('only an administrator manages accounts', async () => {
  const operator = await server.staffLogin('clerk');
  const viewer = await server.staffLogin('reader');
  for (const token of [operator, viewer]) {
    assertError(await server.get('/api/v1/office/staff', { token }), 403, 'staff.role_insufficient');
    assertError(await server.post('/api/v1/office/staff/leaver/disable', {}, { token }), 403, 'staff.role_insufficient');
    assertError(await server.request('DELETE', '/api/v1/office/staff/leaver', { token }), 403, 'staff.role_insufficient');
  }
  assert.equal(await loginStatus('leaver'), 200);
});

test('disabling ends the sessions and refuses logins until enabled again', async () => {
  const token = await server.staffLogin('clerk');
  assert.equal((await server.get('/api/v1/office/auth/me', { token })).status, 200);
  const disabled = await server.post('/api/v1/office/staff/clerk/disable', {}, { token: admin });
  assert.equal(disabled.status, 200, disabled.text);
  assert.equal(disabled.body.disabled, true);
  assertError(await server.get('/api/v1/office/auth/me', { token }), 401, 'staff.session_required');
  assert.equal(await loginStatus('clerk'), 401);
  const enabled = await server.post('/api/v1/office/staff/clerk/enable', {}, { token: admin });
  assert.equal(enabled.status, 200, enabled.text);
  assert.equal(enabled.body.disabled, false);
  assert.equal(await loginStatus('clerk'), 200);
  const audit = await server.get('/api/v1/office/audit?actor=boss', { token: admin });
  const actions = audit.body.items.map((e) => e.action);
  assert.ok(actions.includes('disable_staff') && actions.includes('enable_staff'), actions.join());
});

test('removing ends the sessions for good and keeps the name taken', async () => {
  const token = await server.staffLogin('leaver');
  const removed = await server.request('DELETE', '/api/v1/office/staff/leaver', { token: admin });
  assert.equal(removed.status, 204, removed.text);
  assertError(await server.get('/api/v1/office/auth/me', { token }), 401, 'staff.session_required');
  assert.equal(await loginStatus('leaver'), 401);
  const list = await server.get('/api/v1/office/staff', { token: admin });
  assert.ok(!list.body.items.some((a) => a.username === 'leaver'));
  assertError(await server.post('/api/v1/office/staff/leaver/enable', {}, { token: admin }), 404, 'staff.not_found');
  // The audit log names people by username: a removed name is never given to someone else.
  const again = await server.cli(['admin', 'create', '--username', 'leaver', '--role', 'viewer'], {
    env: { EXAMPHOTO_ADMIN_PASSWORD: STAFF_PASSWORD },
  });
  assert.equal(again.code, 1, again.stdout + again.stderr);
});

test('an administrator cannot disable or remove their own account, nor an unknown one', async () => {
  assertError(await server.post('/api/v1/office/staff/boss/disable', {}, { token: admin }), 409, 'staff.cannot_change_self');
  assertError(await server.request('DELETE', '/api/v1/office/staff/boss', { token: admin }), 409, 'staff.cannot_change_self');
  assertError(await server.post('/api/v1/office/staff/nobody/disable', {}, { token: admin }), 404, 'staff.not_found');
  assert.equal((await server.get('/api/v1/office/auth/me', { token: admin })).status, 200);
});

test('the CLI disables, enables, lists and removes accounts', async () => {
  const token = await server.staffLogin('cli.user');
  const disabled = await server.cli(['admin', 'disable', '--username', 'cli.user']);
  assert.equal(disabled.code, 0, disabled.stderr);
  assertError(await server.get('/api/v1/office/auth/me', { token }), 401, 'staff.session_required');
  assert.equal(await loginStatus('cli.user'), 401);
  const listed = await server.cli(['admin', 'list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /cli\.user\s+viewer\s+disabled/);
  assert.equal((await server.cli(['admin', 'enable', '--username', 'cli.user'])).code, 0);
  assert.equal(await loginStatus('cli.user'), 200);
  assert.equal((await server.cli(['admin', 'remove', '--username', 'cli.user'])).code, 0);
  assert.equal(await loginStatus('cli.user'), 401);
  const unknown = await server.cli(['admin', 'disable', '--username', 'nobody']);
  assert.equal(unknown.code, 1);
});
