import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatChinaTime, formatDate, formatValidity } from '../../src/lib/format.js';

test('dates are written as the card writes them', () => {
  assert.equal(formatDate('20190213'), '2019.02.13');
  assert.equal(formatDate('2019-02-13'), '2019.02.13');
  assert.equal(formatDate('2019年2月3日'), '2019.02.03');
  assert.equal(formatDate('长期'), '长期');
  assert.equal(formatValidity('20190213', '20290213'), '2019.02.13–2029.02.13');
  assert.equal(formatValidity('2019.02.13', '长期'), '2019.02.13–长期');
});

test('times are China time whatever the phone says', () => {
  assert.equal(formatChinaTime(Date.UTC(2026, 9, 8, 6, 5)), '2026.10.08 14:05');
  assert.equal(formatChinaTime(Date.UTC(2026, 9, 8, 17, 0)), '2026.10.09 01:00');
});
