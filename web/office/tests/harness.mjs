// Set-up of the console's browser tests: the real examphoto server (SQLite in a fresh data
// folder, models not preloaded — the console needs none, --dev for the SMS outbox) serving
// web/office/dist at /office/, and Debian's Chromium driven by playwright-core with a fresh
// profile. Screenshots of each step go to test-artifacts/office/ at the repository root.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
export const OFFICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(OFFICE_DIR, '../..');
export const SHOTS_DIR = path.join(REPO_DIR, 'test-artifacts', 'office');
export const PASSWORD = 'office-Password-42';

function findBinary() {
  if (process.env.EXAMPHOTO_BIN) return process.env.EXAMPHOTO_BIN;
  const folders = [process.env.EXAMPHOTO_BUILD_DIR, 'build', 'build-office'].filter(Boolean);
  for (const folder of folders) {
    const file = path.resolve(REPO_DIR, folder, 'src/app/examphoto');
    if (fs.existsSync(file)) return file;
  }
  throw new Error('examphoto binary not found (set EXAMPHOTO_BIN or build into build/)');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// GB 11643 check character, for valid test ID numbers.
export function idNumber(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export function person(i) {
  const surnames = ['王', '李', '张', '刘', '陈', '杨'];
  return {
    registration_no: `OFC${String(i).padStart(6, '0')}`,
    name: surnames[i % surnames.length] + '小' + '一二三四五六七八九十'[i % 10],
    id_number: idNumber(`1101051990${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`),
    phone: `139${String(10000000 + i).slice(-8)}`,
    exam_session: '2026-10',
  };
}

export function csv(rows) {
  return ['报名号,姓名,身份证号,手机号,考试批次', ...rows.map((r) => [r.registration_no, r.name, r.id_number, r.phone, r.exam_session].join(','))].join('\r\n') + '\r\n';
}

export class Office {
  async start({ roster = [] } = {}) {
    this.binary = findBinary();
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'examphoto-office-'));
    this.env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EXAMPHOTO_'))),
      EXAMPHOTO_DATA_DIR: this.dataDir,
      EXAMPHOTO_WEB_OFFICE_ROOT: path.join(OFFICE_DIR, 'dist'),
      EXAMPHOTO_WEB_ROOT: path.join(this.dataDir, 'no-web'),
      EXAMPHOTO_MODELS_PRELOAD: 'false',
      EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS: '0',
    };
    this.db = path.join(this.dataDir, 'examphoto.db');
    if (roster.length) {
      const file = path.join(this.dataDir, 'roster.csv');
      fs.writeFileSync(file, csv(roster));
      await run(this.binary, ['roster', 'import', file], { env: this.env });
    }
    await run(this.binary, ['admin', 'create', '--username', 'office.admin', '--role', 'admin'], {
      env: { ...this.env, EXAMPHOTO_ADMIN_PASSWORD: PASSWORD },
    });
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.server = spawn(this.binary, ['serve', '--listen', `127.0.0.1:${this.port}`, '--dev'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.log = '';
    this.server.stdout.on('data', (chunk) => (this.log += chunk));
    this.server.stderr.on('data', (chunk) => (this.log += chunk));
    const deadline = Date.now() + 30000;
    for (;;) {
      if (this.server.exitCode !== null) throw new Error(`server exited:\n${this.log}`);
      const ok = await fetch(`${this.url}/readyz`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`server not ready:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'examphoto-office-chromium-'));
    this.downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'examphoto-office-downloads-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      acceptDownloads: true,
      downloadsPath: this.downloads,
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    // Content-Security-Policy violations of the console fail the next accessibility check.
    await this.context.addInitScript(RECORD_CSP_VIOLATIONS);
    // Generous: every wait is for an event, and a machine busy with other work may be slow.
    this.context.setDefaultTimeout(60000);
    this.page = this.context.pages()[0] || (await this.context.newPage());
    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    return this;
  }

  // Seals blobs a test wrote into the data folder in clear, as the service stores every image
  // sealed (examphoto blobs rotate-key, with the folder's own key).
  async sealBlobs() {
    await run(this.binary, ['blobs', 'rotate-key'], { env: this.env });
  }

  async stop() {
    await this.context?.close().catch(() => {});
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server.on('exit', resolve));
      this.server.kill('SIGTERM');
      await exited;
    }
    for (const dir of [this.dataDir, this.profile, this.downloads]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }

  shot(name) {
    return this.page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: true });
  }

  sql(statement) {
    return run('sqlite3', ['-bail', this.db, statement]).then(({ stdout }) => stdout.trim());
  }

  // A candidate's session through the SMS login (code from the dev outbox).
  async candidateLogin(phone) {
    await fetch(`${this.url}/api/v1/auth/sms-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone }) });
    const outbox = await (await fetch(`${this.url}/api/v1/dev/sms-outbox?phone=${phone}`)).json();
    const config = await (await fetch(`${this.url}/api/v1/app-config`)).json();
    const response = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, code: outbox.messages[0].code, agreements: { user: config.agreements.user.version, privacy: config.agreements.privacy.version } }),
    });
    const { token } = await response.json();
    return token;
  }

  async candidate(token, method, pathname) {
    const response = await fetch(`${this.url}${pathname}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    return response.json();
  }
}

// Entry names of a ZIP, from its central directory.
export function zipNames(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i += 1) {
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extra = buffer.readUInt16LE(offset + 30);
    const comment = buffer.readUInt16LE(offset + 32);
    names.push(buffer.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
}

// Runs axe-core (npm) on the page as it is and fails on any serious or critical violation,
// naming the rule and the elements; each check adds a line to test-artifacts/axe.jsonl.
const AXE_SOURCE = fs.readFileSync(path.join(OFFICE_DIR, 'node_modules/axe-core/axe.min.js'), 'utf8');
const RECORD_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});`;
export async function assertAccessible(page, name) {
  const csp = await page.evaluate(() => window.__cspViolations || []);
  if (csp.length) throw new Error(`Content-Security-Policy violations on ${name}:\n${csp.join('\n')}`);
  // Through the DevTools protocol, which the page's policy does not govern.
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE_SOURCE);
  // Colours half-way through a transition are not the page's colours: wait for the finite
  // animations and transitions to end.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join(' | ')}`);
  });
  fs.mkdirSync(path.join(REPO_DIR, 'test-artifacts'), { recursive: true });
  fs.appendFileSync(path.join(REPO_DIR, 'test-artifacts', 'axe.jsonl'), JSON.stringify({ app: 'office', page: name, serious_or_critical: violations.length }) + '\n');
  if (violations.length) throw new Error(`axe on ${name}:\n${violations.join('\n')}`);
}
