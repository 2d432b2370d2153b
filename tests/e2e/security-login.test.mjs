// Security finding F2: the login endpoint told roster phones (401) from others (404) without
// sending an SMS, 30 times a minute per address, and IPv6 had a bucket per /128. Now login
// answers both alike, the per-address limits count an IPv6 /64 as one address, and a global
// limit brakes enumeration from many addresses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { candidates, toCsv } from './lib/roster.mjs';
import { assertError, useServer } from './lib/server.mjs';
import { avoidWindowEdge } from './lib/time.mjs';

const people = candidates(3, { seed: 212 });
const roster = toCsv(people);
const FORWARDED = { EXAMPHOTO_HTTP_TRUST_FORWARDED_FOR: 'true', EXAMPHOTO_HTTP_TRUSTED_PROXIES: '127.0.0.1,::1' };

describe('login does not tell who is on the roster', () => {
  const server = useServer({ roster });

  test('a roster phone and a stranger get the same answer, with or without a code sent', async () => {
    const agreements = await server.agreements();
    const stranger = '13799990123';
    const attempt = (phone) => server.post('/api/v1/auth/login', { phone, code: '000000', agreements });
    const member = await attempt(people[0].phone);
    const other = await attempt(stranger);
    assert.equal(member.status, other.status);
    assert.deepEqual(member.body, other.body);
    assertError(other, 401, 'sms.code_expired');
    // The code request keeps its helpful message, as the guide asks.
    assertError(await server.post('/api/v1/auth/sms-code', { phone: stranger }), 404, 'auth.phone_not_registered');
  });
});

describe('an IPv6 /64 is one address for the limits', () => {
  const server = useServer({ roster, env: { ...FORWARDED, EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE: '3', EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR: '2' } });

  test('login attempts from many addresses of one /64 share one budget', async () => {
    await avoidWindowEdge(60 * 1000, 0, 10000);
    const agreements = await server.agreements();
    const from = (address) => ({ headers: { 'x-forwarded-for': address } });
    const codes = [];
    for (let i = 1; i <= 4; i += 1) {
      const response = await server.post('/api/v1/auth/login', { phone: people[1].phone, code: '000000', agreements }, from(`2001:db8:5:6::${i.toString(16)}`));
      codes.push(response.body.error.code);
    }
    assert.deepEqual(codes, ['sms.code_expired', 'sms.code_expired', 'sms.code_expired', 'sms.login_ip_limit']);
    // The next /64 is another subscriber.
    const next = await server.post('/api/v1/auth/login', { phone: people[1].phone, code: '000000', agreements }, from('2001:db8:5:7::1'));
    assertError(next, 401, 'sms.code_expired');
  });

  test('code requests from one /64 share one budget', async () => {
    await avoidWindowEdge(3600 * 1000, 0, 10000);
    const send = (phone, address) => server.post('/api/v1/auth/sms-code', { phone }, { headers: { 'x-forwarded-for': address } });
    assert.equal((await send(people[0].phone, '2001:db8:9:9::a')).status, 200);
    assert.equal((await send(people[1].phone, '2001:db8:9:9::b')).status, 200);
    assertError(await send(people[2].phone, '2001:db8:9:9:ffff::c'), 429, 'sms.ip_limit');
    assert.equal((await send(people[2].phone, '2001:db8:9:a::c')).status, 200);
  });
});

describe('a global limit over all addresses', () => {
  const server = useServer({ roster, env: { ...FORWARDED, EXAMPHOTO_LOGIN_LOGINS_PER_MINUTE: '5' } });

  test('many addresses together stop at the service-wide limit, with Retry-After', async () => {
    await avoidWindowEdge(60 * 1000, 0, 10000);
    const agreements = await server.agreements();
    const statuses = [];
    let limited;
    for (let i = 1; i <= 6; i += 1) {
      const response = await server.post('/api/v1/auth/login', { phone: `137999900${10 + i}`, code: '000000', agreements }, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assertError(limited, 429, 'sms.global_limit');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });
});
