// Configuration as the server applies it: a key = value file, EXAMPHOTO_* environment
// overrides (the environment wins), --demo, and refusals of a broken configuration.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { spawn } from 'node:child_process';

import { binary, runBinary, Server } from './lib/server.mjs';

async function withServer(options, body) {
  const server = new Server(options);
  try {
    await server.start();
    await body(server);
    const { code } = await server.stop();
    assert.equal(code, 0, server.logs.slice(-2000));
  } finally {
    await server.cleanUp();
  }
}

async function withTempDir(body) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'examphoto-e2e-config-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a config file sets values and the environment overrides it', async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'examphoto.conf');
    await writeFile(
      file,
      '# test configuration\noffice.phone = "010-12345678"\nagreements.user_version = 2030-01\nlogin.resend_interval_seconds = 45\n',
    );
    await withServer(
      { args: ['--config', file], env: { EXAMPHOTO_AGREEMENTS_USER_VERSION: '2031-02', EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: undefined } },
      async (server) => {
        const config = await server.appConfig();
        assert.equal(config.office_phone, '010-12345678');
        assert.equal(config.agreements.user.version, '2031-02');
        assert.equal(config.sms.resend_seconds, 45);
        const text = (await server.get('/api/v1/agreements/user')).body.text;
        assert.ok(text.includes('010-12345678') || !text.includes('{office_phone}'));
      },
    );
  });
});

test('--demo loads the marked demo roster, and a demo phone can log in', async () => {
  await withServer({ args: ['--demo'] }, async (server) => {
    assert.match(server.logs, /DEMO/);
    const token = await server.login('13900000001');
    const me = await server.get('/api/v1/me', { token });
    assert.equal(me.body.candidate.name, '张三');
    assert.match(me.body.candidate.exam_session, /DEMO/);
  });
});

test('dev mode is off by default: no SMS outbox', async () => {
  await withServer({ dev: false }, async (server) => {
    assert.equal((await server.get('/api/v1/dev/sms-outbox?phone=13900000001')).status, 404);
  });
});

test('an unknown key in the config file stops the server with exit 2 and a Chinese message', async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'bad.conf');
    await writeFile(file, 'office.phone = 1\nno.such.key = 3\n');
    const result = await runBinary(['serve', '--config', file, '--data-dir', dir, '--listen', '127.0.0.1:0'], { cwd: dir });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /未知的配置项/);
    assert.match(result.stderr, /no\.such\.key/);
  });
});

test('a line without = and a missing file are refused with exit 2', async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'bad.conf');
    await writeFile(file, 'office.phone\n');
    const syntax = await runBinary(['serve', '--config', file, '--data-dir', dir, '--listen', '127.0.0.1:0'], { cwd: dir });
    assert.equal(syntax.code, 2, syntax.stdout + syntax.stderr);
    const missing = await runBinary(['serve', '--config', path.join(dir, 'none.conf'), '--data-dir', dir], { cwd: dir });
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
  });
});

test('a bad listen address or an unknown SMS gateway exits 2 instead of serving', async () => {
  await withTempDir(async (dir) => {
    const env = { ...process.env, EXAMPHOTO_SMS_GATEWAY: 'pigeon' };
    const gateway = await runBinary(['serve', '--data-dir', dir, '--listen', '127.0.0.1:0'], { cwd: dir, env });
    assert.equal(gateway.code, 2, gateway.stdout + gateway.stderr);
    const listen = await runBinary(['serve', '--data-dir', dir, '--listen', 'nonsense'], { cwd: dir });
    assert.equal(listen.code, 2, listen.stdout + listen.stderr);
  });
});

test('EXAMPHOTO_LISTEN sets the address when --listen is absent', async () => {
  // The harness always passes --listen, so this runs the binary by hand.
  await withTempDir(async (dir) => {
    const child = spawn(binary, ['serve', '--data-dir', dir], {
      cwd: dir,
      env: { ...process.env, EXAMPHOTO_LISTEN: '127.0.0.1:0', EXAMPHOTO_WEB_ROOT: dir, EXAMPHOTO_MODELS_PRELOAD: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    const port = await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        logs += chunk;
        const match = /server\.listening address=http:\/\/127\.0\.0\.1:(\d+)/.exec(logs);
        if (match) resolve(Number(match[1]));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => reject(new Error(logs)));
    });
    assert.ok(port > 0);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

test('started from any other folder, the server finds its web apps beside its binary', async () => {
  // As a new user would: cd "$(mktemp -d)" && /path/to/examphoto serve (issue 15).
  await withTempDir(async (dir) => {
    const env = { ...process.env, EXAMPHOTO_LISTEN: '127.0.0.1:0', EXAMPHOTO_MODELS_PRELOAD: 'false' };
    delete env.EXAMPHOTO_WEB_ROOT;
    delete env.EXAMPHOTO_WEB_OFFICE_ROOT;
    const child = spawn(binary, ['serve', '--data-dir', dir], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    const port = await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        logs += chunk;
        const match = /server\.listening address=http:\/\/127\.0\.0\.1:(\d+)/.exec(logs);
        if (match) resolve(Number(match[1]));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => reject(new Error(logs)));
    });
    try {
      for (const page of ['/', '/office/']) {
        const response = await fetch(`http://127.0.0.1:${port}${page}`);
        assert.equal(response.status, 200, `${page}: ${logs.slice(-1000)}`);
        assert.match(response.headers.get('content-type'), /text\/html/);
      }
      assert.doesNotMatch(logs, /web\.missing/);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});

test('config show prints every key in force, secrets masked, and refuses a bad value', async () => {
  await withTempDir(async (dir) => {
    const env = { ...process.env, EXAMPHOTO_SECRET_KEY: 'x'.repeat(64), EXAMPHOTO_LOGIN_CODE_TTL_SECONDS: '120' };
    const shown = await runBinary(['config', 'show', '--data-dir', dir], { cwd: dir, env });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^login\.code_ttl_seconds = 120$/m);
    assert.match(shown.stdout, /^secret_key = \(set\)$/m);
    assert.doesNotMatch(shown.stdout, /xxxxxxxx/);
    const bad = await runBinary(['config', 'show', '--data-dir', dir], { cwd: dir, env: { ...env, EXAMPHOTO_HTTP_IO_THREADS: 'two' } });
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /http\.io_threads/);
  });
});

