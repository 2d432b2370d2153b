// One examphoto server per test file: the real binary (EXAMPHOTO_BIN, default
// build/src/app/examphoto) on 127.0.0.1 with a port the kernel picks, a fresh temp data
// folder, its own database (lib/database.mjs) and --dev for the SMS outbox. useServer()
// wires it into node:test: started before the file's tests, stopped with SIGTERM after
// them, and the test fails unless the process exits 0.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { newDatabase } from './database.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const binary = path.resolve(repoRoot, process.env.EXAMPHOTO_BIN || 'build/src/app/examphoto');

export const STAFF_PASSWORD = 'e2e-Password-1234';

// Fast, independent tests: no resend wait, limits high enough never to trip by accident.
// A test about a limit starts its own server with that limit tightened.
const TEST_DEFAULTS = {
  EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '0',
  EXAMPHOTO_LOGIN_CODES_PER_PHONE_PER_DAY: '1000',
  EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR: '100000',
  EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE: '100000',
  EXAMPHOTO_HTTP_SHUTDOWN_GRACE_SECONDS: '10',
  // The face and card models take many seconds to load and these tests never need them;
  // with preload on, /readyz waits for them. A test that needs them sets this to 'true'.
  EXAMPHOTO_MODELS_PRELOAD: 'false',
};

function baseEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Configuration from the developer's shell must not leak into the servers under test.
    if (key.startsWith('EXAMPHOTO_')) continue;
    env[key] = value;
  }
  return env;
}

// Servers still running when this test process ends for any reason (a failed hook, a
// timeout, Ctrl-C) are killed, so that none is left behind holding a port and a folder.
const running = new Map();  // child process -> its data folder
function killRunning() {
  for (const [child, dataDir] of running) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  running.clear();
}
process.on('exit', killRunning);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killRunning();
    process.exit(130);
  });
}

export class Server {
  // waitForReady: false returns once the server listens, before /readyz says ready (a test
  // of what happens while the models load).
  // openFiles: a hard and soft limit on descriptors for the server (started through
  // util-linux's prlimit), for the tests of running out of them.
  constructor({ env = {}, args = [], dev = true, waitForReady = true, openFiles } = {}) {
    this.options = { env, args, dev, waitForReady, openFiles };
    this.logs = '';
    this.exited = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  // Environment for the server and for CLI commands on the same data.
  get env() {
    return {
      ...baseEnvironment(),
      ...TEST_DEFAULTS,
      EXAMPHOTO_DATA_DIR: this.dataDir,
      EXAMPHOTO_WEB_ROOT: path.join(this.dataDir, 'no-web'),
      ...this.options.env,
    };
  }

  async start() {
    this.dataDir = await mkdtemp(path.join(os.tmpdir(), 'examphoto-e2e-'));
    this.database = newDatabase(this.dataDir);
    await this.database.create();
    const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', this.dataDir, '--database', this.database.url];
    if (this.options.dev) args.push('--dev');
    args.push(...this.options.args);
    if (!existsSync(binary)) {
      throw new Error(`no server binary at ${binary}: build it, or set EXAMPHOTO_BIN`);
    }
    // From the repository, so that default relative paths (deps/models, ...) resolve; all
    // data goes to the temp folder given explicitly.
    const [command, commandArgs] = this.options.openFiles
      ? ['prlimit', [`--nofile=${this.options.openFiles}:${this.options.openFiles}`, binary, ...args]]
      : [binary, args];
    this.process = spawn(command, commandArgs, { cwd: repoRoot, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const child = this.process;
    running.set(child, this.dataDir);
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        this.exited = { code, signal };
        resolve(this.exited);
      });
    });
    const listening = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.logs += chunk.toString();
        // The log line is one write; the banner on stdout may be split by log lines.
        const match =
          /server\.listening address=http:\/\/[^:\s]+:(\d+)/.exec(this.logs) ||
          /examphoto is serving on http:\/\/[^:]+:(\d+)\//.exec(this.logs);
        if (match && !this.port) {
          this.port = Number(match[1]);
          resolve();
        }
      };
      this.process.stdout.on('data', onData);
      this.process.stderr.on('data', onData);
      this.exitPromise.then(({ code, signal }) =>
        reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${this.logs}`)),
      );
      this.process.on('error', reject);
    });
    await withTimeout(listening, 20000, () => `server did not start:\n${this.logs}`);
    if (!this.options.waitForReady) return this;
    // Ready means the database answers (and the models are loaded, when they preload), not
    // only that the socket is bound. Loading the models takes seconds of CPU, many more on a
    // busy machine: the wait is generous, and a failed load ends it at once.
    const deadline = Date.now() + 180000;
    for (;;) {
      const response = await fetch(`${this.url}/readyz`).catch(() => null);
      if (response?.status === 200) break;
      if (Date.now() > deadline || this.logs.includes('models.load_failed')) {
        throw new Error(`/readyz never answered 200:\n${this.logs}`);
      }
      await sleep(50);
    }
    return this;
  }

  // Resolves once the server's log matches `pattern` (a RegExp or a string); rejects after
  // `ms` with the log tail. For waiting on an event the server logs, never on a fixed time.
  async waitForLog(pattern, ms = 30000) {
    const matches = () => (typeof pattern === 'string' ? this.logs.includes(pattern) : pattern.test(this.logs));
    const deadline = Date.now() + ms;
    while (!matches()) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in the server log after ${ms} ms:\n${this.logs.slice(-3000)}`);
      await sleep(20);
    }
  }

  // SIGTERM and wait; resolves with { code, signal }.
  async stop() {
    if (!this.process) return { code: null, signal: null };
    if (!this.exited) this.process.kill('SIGTERM');
    const result = await withTimeout(this.exitPromise, 20000, () => `server ignored SIGTERM:\n${this.logs}`);
    return result;
  }

  async cleanUp() {
    if (this.process && !this.exited) {
      this.process.kill('SIGKILL');
      await this.exitPromise;
    }
    await this.database?.drop().catch(() => {});
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  // Runs an examphoto subcommand on this server's data: { code, stdout, stderr }.
  cli(args, { env = {}, input } = {}) {
    const fullArgs = [...args, '--data-dir', this.dataDir, '--database', this.database.url];
    return runBinary(fullArgs, { env: { ...this.env, ...env }, cwd: this.dataDir, input });
  }

  query(sql) {
    return this.database.query(sql);
  }

  // fetch with JSON conveniences. Returns { status, headers, body (parsed JSON or null), text }.
  async request(method, pathname, { json, body, headers = {}, token } = {}) {
    const init = { method, headers: { ...headers } };
    if (token) init.headers.authorization = `Bearer ${token}`;
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers['content-type'] = 'application/json';
    } else if (body !== undefined) {
      init.body = body;
    }
    const response = await fetch(this.url + pathname, init);
    const text = await response.text();
    let parsed = null;
    if (text && (response.headers.get('content-type') || '').includes('json')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(pathname, options) {
    return this.request('GET', pathname, options);
  }

  post(pathname, json, options = {}) {
    return this.request('POST', pathname, { ...options, json });
  }

  async appConfig() {
    if (!this.cachedAppConfig) this.cachedAppConfig = (await this.get('/api/v1/app-config')).body;
    return this.cachedAppConfig;
  }

  async agreements() {
    const config = await this.appConfig();
    return { user: config.agreements.user.version, privacy: config.agreements.privacy.version };
  }

  // The newest code the dev outbox holds for `phone`.
  async latestCode(phone) {
    const outbox = await this.get(`/api/v1/dev/sms-outbox?phone=${phone}`);
    assert.equal(outbox.status, 200, outbox.text);
    assert.ok(outbox.body.messages.length > 0, `no SMS for ${phone}`);
    return outbox.body.messages[0].code;
  }

  async sendCode(phone) {
    const sent = await this.post('/api/v1/auth/sms-code', { phone });
    assert.equal(sent.status, 200, sent.text);
    return this.latestCode(phone);
  }

  // Full candidate login; returns the session token.
  async login(phone) {
    const code = await this.sendCode(phone);
    const response = await this.post('/api/v1/auth/login', { phone, code, agreements: await this.agreements() });
    assert.equal(response.status, 200, response.text);
    return response.body.token;
  }

  async createStaff(username, role = 'admin', password = STAFF_PASSWORD) {
    const result = await this.cli(['admin', 'create', '--username', username, '--role', role], {
      env: { EXAMPHOTO_ADMIN_PASSWORD: password },
    });
    assert.equal(result.code, 0, result.stderr + result.stdout);
  }

  async staffLogin(username, password = STAFF_PASSWORD) {
    const response = await this.post('/api/v1/office/auth/login', { username, password });
    assert.equal(response.status, 200, response.text);
    return response.body.token;
  }

  // Imports roster text or bytes with the CLI; returns the CLI result.
  async importRoster(content, extraArgs = []) {
    const file = path.join(this.dataDir, `roster-${Date.now()}-${Math.random().toString(16).slice(2)}.csv`);
    await writeFile(file, content);
    return this.cli(['roster', 'import', file, ...extraArgs]);
  }
}

// A server of its own for one test (started, handed to `body`, always cleaned up); the test
// stops it itself when its exit status matters.
export async function withServer(options, body) {
  const server = new Server(options);
  try {
    await server.start();
    await body(server);
  } finally {
    await server.cleanUp();
  }
}

export function runBinary(args, { env = process.env, cwd, input } = {}) {
  return new Promise((resolve) => {
    const child = execFile(binary, args, { env, cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

// Registers a server for the enclosing test file (or describe block). Options:
//   env: extra EXAMPHOTO_* settings; roster: CSV text imported before the tests;
//   staff: [[username, role], ...] accounts created before the tests.
export function useServer({ roster, staff = [], ...options } = {}) {
  const server = new Server(options);
  let markReady;
  // Resolves once the server runs with its roster and staff; a test file's own before()
  // hooks await it (Node 20 does not order top-level hooks after one another).
  server.ready = new Promise((resolve, reject) => {
    markReady = { resolve, reject };
  });
  server.ready.catch(() => {});
  before(async () => {
    try {
      await server.start();
      if (roster !== undefined) {
        const imported = await server.importRoster(roster);
        assert.equal(imported.code, 0, imported.stdout + imported.stderr);
      }
      for (const [username, role] of staff) await server.createStaff(username, role);
      markReady.resolve(server);
    } catch (error) {
      markReady.reject(error);
      throw error;
    }
  });
  after(async () => {
    try {
      const { code, signal } = await server.stop();
      assert.equal(signal, null, `server killed by ${signal}:\n${server.logs.slice(-4000)}`);
      assert.equal(code, 0, `server exit code ${code}:\n${server.logs.slice(-4000)}`);
    } finally {
      await server.cleanUp();
    }
  });
  return server;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Asserts the JSON error shape every failure must have: { error: { code, message, hint } }
// with a Chinese message for the candidate.
export function assertError(response, status, code) {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status}: ${response.text}`);
  assert.match(response.headers.get('content-type') || '', /application\/json/);
  const error = response.body?.error;
  assert.ok(error, `no error object in ${response.text}`);
  if (code) assert.equal(error.code, code, response.text);
  assert.equal(typeof error.message, 'string');
  assert.match(error.message, /[\u4e00-\u9fff]/, `message is not Chinese: ${error.message}`);
  assert.equal(typeof error.hint, 'string');
  return error;
}
