// The scale-out test's moving parts: examphoto instances on the fixed loopback ports that
// tests/scaleout/run.sh wrote into nginx's upstream, all on one PostgreSQL database with
// blobs in the database and the same secrets; HTTP(S) requests from a chosen loopback
// source address (127.0.0.0/8 is all loopback on Linux), so that nginx and the instances
// see distinct clients and the per-address limits can be exercised per test.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';

import { binary, sleep } from '../../e2e/lib/server.mjs';

const run = promisify(execFile);

export const settings = {
  work: process.env.SCALEOUT_WORK,
  databaseUrl: process.env.SCALEOUT_DATABASE_URL,
  ports: (process.env.SCALEOUT_PORTS || '').split(',').map(Number),
  nginxUrl: process.env.SCALEOUT_NGINX_URL,
  nginxHttpUrl: process.env.SCALEOUT_NGINX_HTTP_URL,
  nginxAccessLog: process.env.SCALEOUT_NGINX_ACCESS_LOG,
  ca: process.env.SCALEOUT_NGINX_CA ? readFileSync(process.env.SCALEOUT_NGINX_CA) : undefined,
};
if (!settings.work || !settings.databaseUrl || settings.ports.length !== 2) {
  throw new Error('run this file through tests/scaleout/run.sh (it starts PostgreSQL and nginx)');
}

// Every test takes fresh client addresses, so one test's per-address counts never reach
// another's.
let nextHost = 2;
export function newAddress() {
  nextHost += 1;
  return `127.0.${Math.floor(nextHost / 250) + 10}.${(nextHost % 250) + 2}`;
}

// One request on its own connection (no pooling: an instance killed with -9 must not leave
// a dead keep-alive socket behind). Returns { status, headers (Headers), body, text, bytes }.
export function request(base, method, pathname, { json, body, headers = {}, token, from } = {}) {
  const url = new URL(base);
  const options = {
    // The path is sent exactly as given ("//metrics" stays that, never a host name).
    path: pathname,
    method,
    headers: { ...headers },
    agent: false,
    localAddress: from,
    ca: url.protocol === 'https:' ? settings.ca : undefined,
  };
  if (token) options.headers.authorization = `Bearer ${token}`;
  let payload;
  if (json !== undefined) {
    payload = Buffer.from(JSON.stringify(json));
    options.headers['content-type'] = 'application/json';
  } else if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  }
  if (payload) options.headers['content-length'] = String(payload.length);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          responseHeaders.set(key, Array.isArray(value) ? value.join(', ') : String(value));
        }
        let parsed = null;
        if (text && (res.headers['content-type'] || '').includes('json')) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = null;
          }
        }
        resolve({ status: res.statusCode, headers: responseHeaders, body: parsed, text, bytes });
      });
    });
    req.on('error', reject);
    req.setTimeout(120000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.end(payload);
  });
}

// The instance (port) that answered through nginx: the last address nginx tried.
export function upstreamPort(response) {
  const value = response.headers.get('x-examphoto-upstream') || '';
  const last = value.split(',').pop().trim();
  const port = Number(last.split(':').pop());
  return Number.isFinite(port) ? port : null;
}

export async function psql(sql, url = settings.databaseUrl) {
  const { stdout } = await run('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

// Rows as objects.
export async function query(sql) {
  const out = await psql(`SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t`);
  return JSON.parse(out.trim());
}

export async function count(sql) {
  return Number((await query(sql))[0].count);
}

export function sharedEnvironment(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('EXAMPHOTO_') && !key.startsWith('SCALEOUT_')) env[key] = value;
  }
  return {
    ...env,
    EXAMPHOTO_DATABASE_URL: settings.databaseUrl,
    EXAMPHOTO_BLOBS_STORE: 'database',
    EXAMPHOTO_MODELS_PRELOAD: 'false',
    ...extra,
  };
}

export class Instance {
  constructor(name, port, env) {
    this.name = name;
    this.port = port;
    this.env = env;
    this.dataDir = path.join(settings.work, `data-${name}`);
    this.logs = '';
    this.process = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid() {
    return this.process?.pid;
  }

  get running() {
    return Boolean(this.process) && this.exited === null;
  }

  async start() {
    await mkdir(this.dataDir, { recursive: true });
    this.exited = null;
    // From the work folder: the installed binary finds its web apps beside itself.
    const child = spawn(binary, ['serve', '--dev', '--listen', `127.0.0.1:${this.port}`], {
      cwd: settings.work,
      env: { ...this.env, EXAMPHOTO_DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    writeFileSync(this.pidFile, String(child.pid));
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        rmSync(this.pidFile, { force: true });
        resolve(this.exited);
      });
    });
    // Also to a file, kept with SCALEOUT_KEEP=1.
    const logFile = path.join(settings.work, `instance-${this.name}.log`);
    const append = (chunk) => {
      this.logs += chunk.toString();
      appendFileSync(logFile, chunk);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const deadline = Date.now() + 30000;
    for (;;) {
      if (this.exited) throw new Error(`${this.name} exited early ${JSON.stringify(this.exited)}:\n${this.logs}`);
      const ready = await request(this.url, 'GET', '/readyz').catch(() => null);
      if (ready?.status === 200) return this;
      if (Date.now() > deadline) throw new Error(`${this.name} never became ready:\n${this.logs}`);
      await sleep(100);
    }
  }

  get pidFile() {
    return path.join(settings.work, `instance-${this.name}.pid`);
  }

  async kill(signal = 'SIGKILL') {
    if (!this.running) return this.exited;
    this.process.kill(signal);
    return this.exitPromise;
  }

  // Log lines of this instance matching a pattern.
  lines(pattern) {
    return this.logs.split('\n').filter((line) => pattern.test(line));
  }
}

export function killAll(instances) {
  for (const instance of instances) {
    if (instance.running) instance.process.kill('SIGKILL');
  }
}

// The newest SMS code for `phone` in any instance's development outbox (each instance keeps
// its own outbox in memory; the code itself is stored in the shared database).
export async function latestCode(instances, phone) {
  let best = null;
  for (const instance of instances) {
    if (!instance.running) continue;
    const outbox = await request(instance.url, 'GET', `/api/v1/dev/sms-outbox?phone=${phone}`);
    assert.equal(outbox.status, 200, outbox.text);
    for (const message of outbox.body.messages) {
      if (!best || message.sent_at > best.sent_at) best = message;
    }
  }
  assert.ok(best, `no SMS for ${phone}`);
  return best.code;
}

export function runCli(args, env) {
  return new Promise((resolve) => {
    execFile(binary, args, { env, cwd: settings.work, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

export { sleep };
