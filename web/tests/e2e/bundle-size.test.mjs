// The JavaScript a phone downloads before the first screen stays under 150 KB gzipped
// (scripts/check-bundle-size.mjs reads the built dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { WEB_DIR } from './harness.mjs';

test('the first screen loads at most 150 KB of gzipped JavaScript', () => {
  const run = spawnSync(process.execPath, [path.join(WEB_DIR, 'scripts/check-bundle-size.mjs')], { encoding: 'utf8' });
  process.stdout.write(run.stdout.split('\n').map((line) => '# ' + line).join('\n') + '\n');
  assert.equal(run.status, 0, run.stderr + run.stdout);
});
