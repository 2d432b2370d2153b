// Shared set-up of the browser tests: starts the real examphoto server (SQLite in a fresh
// data folder, log SMS gateway, --dev for the SMS outbox), drives Debian's Chromium with
// playwright-core at a 360×640 phone size, and keeps a screenshot of every screen under
// test-artifacts/screens/ at the repository root.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = path.resolve(WEB_DIR, '..');
export const SCREENS_DIR = path.join(REPO_DIR, 'test-artifacts', 'screens');
export const FIXTURES_DIR = path.join(REPO_DIR, 'test-artifacts', 'e2e-fixtures');
export const FACE_DEMO_DIR = path.join(REPO_DIR, 'deps/models/node_modules/@vladmandic/face-api/demo');
// The binaries come from the project's build folder (EXAMPHOTO_BUILD_DIR, default build/),
// or each from its own variable.
function built(relative) {
  const folders = [process.env.EXAMPHOTO_BUILD_DIR, path.join(REPO_DIR, 'build'), path.join(REPO_DIR, 'build-web')].filter(Boolean);
  const found = folders.map((folder) => path.join(folder, relative)).find((file) => fs.existsSync(file));
  return found || path.join(folders[0], relative);
}
const SERVER_BINARY = process.env.EXAMPHOTO_BIN || built('src/app/examphoto');
const GENERATOR_BINARY = process.env.IDCARD_GENERATOR || built('tools/idcard_generator/idcard_generator');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// EXAMPHOTO_E2E_MOCK=1 runs the same scenarios against web/scripts/mock-api.mjs, for work
// on the front end alone; the real checks need the real server.
export const USING_MOCK = process.env.EXAMPHOTO_E2E_MOCK === '1';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Ready means /readyz says so: the database answers and the image models are loaded.
async function waitForServer(baseUrl, child, output) {
  const deadline = Date.now() + 180000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('server exited early:\n' + output());
    try {
      const response = await fetch(baseUrl + '/readyz');
      if (response.ok) return;
    } catch (e) {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server not ready within 180 s:\n' + output());
}

// Starts a server with its own data folder. `roster` rows are imported before it starts:
// { registration_no, name, id_number, phone, session }.
export async function startServer({ roster = [] } = {}) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'examphoto-e2e-'));
  const env = { ...process.env, EXAMPHOTO_DATA_DIR: dataDir, EXAMPHOTO_WEB_ROOT: path.join(WEB_DIR, 'dist') };
  if (!USING_MOCK && roster.length) {
    const csv = path.join(dataDir, 'roster.csv');
    const lines = ['报名号,姓名,身份证号,手机号,考试批次'].concat(
      roster.map((r) => [r.registration_no, r.name, r.id_number, r.phone, r.session || '2026-10'].join(',')),
    );
    fs.writeFileSync(csv, lines.join('\n') + '\n');
    execFileSync(SERVER_BINARY, ['roster', 'import', csv], { env, stdio: 'pipe' });
  }
  const command = USING_MOCK ? process.execPath : SERVER_BINARY;
  const args = USING_MOCK
    ? [path.join(WEB_DIR, 'scripts/mock-api.mjs'), String(port)]
    : ['serve', '--listen', '127.0.0.1:' + port, '--dev'];
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const baseUrl = 'http://127.0.0.1:' + port;
  try {
    await waitForServer(baseUrl, child, () => log);
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return {
    baseUrl,
    dataDir,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchPhone() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'examphoto-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    userAgent:
      'Mozilla/5.0 (Linux; Android 12; V2118A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/111.0 Mobile Safari/537.36 MicroMessenger/8.0.40',
  });
  // Every Content-Security-Policy violation of the app is kept in the page and fails the next
  // accessibility check (assertAccessible), so the browser tests also prove the app runs
  // under the server's policy.
  await context.addInitScript(RECORD_CSP_VIOLATIONS);
  // Generous: every wait is for an event, and a machine busy with other work may be slow.
  context.setDefaultTimeout(60000);
  const page = context.pages()[0] || (await context.newPage());
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return {
    context,
    page,
    consoleErrors,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Saves the whole screen as test-artifacts/screens/<name>.png (the viewport, as a phone
// shows it, plus a full-page copy when the page scrolls).
// Waits until no finite CSS animation or transition runs (Vant's pop-ups slide in).
export async function settled(page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity));
}

// `settle: false` takes the screen as it is (a progress bar that moves until the upload ends).
export async function screenshot(page, name, { settle = true } = {}) {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  if (settle) await settled(page);
  await page.screenshot({ path: path.join(SCREENS_DIR, name + '.png') });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height > 660) await page.screenshot({ path: path.join(SCREENS_DIR, name + '.full.png'), fullPage: true });
}

export async function latestSmsCode(baseUrl, phone) {
  const response = await fetch(baseUrl + '/api/v1/dev/sms-outbox?phone=' + encodeURIComponent(phone));
  const body = await response.json();
  const messages = body.messages || [];
  if (!messages.length) throw new Error('no SMS for ' + phone);
  return messages[0].code; // the outbox lists the newest first
}

// Specimen ID card captures (both sides) printed with `name` and `id_number`, whose card
// portrait is the largest face of `facePhoto`. Returns { portrait, emblem } file paths.
// These tests are about the app, not the card reader's accuracy (it has its own benchmark):
// of the generator's random variations (seeds), the first that `examphoto idcard read`
// reads back exactly is used, so a reader weakness on one rendering does not stop the flow.
export function generateIdCard({ name, idNumber, facePhoto, outDir }) {
  const chosen = path.join(outDir, 'chosen.json');
  if (fs.existsSync(chosen)) return JSON.parse(fs.readFileSync(chosen, 'utf8'));
  const faceDir = path.join(outDir, 'faces');
  fs.mkdirSync(faceDir, { recursive: true });
  fs.copyFileSync(facePhoto, path.join(faceDir, 'sample1.jpg'));
  let last = null;
  for (let seed = 1; seed <= 6; seed += 1) {
    const seedDir = path.join(outDir, 'seed-' + seed);
    const output = execFileSync(
      GENERATOR_BINARY,
      ['--out', seedDir, '--count', '1', '--clean', '--name', name, '--id-number', idNumber, '--faces', faceDir, '--seed', String(seed)],
      { encoding: 'utf8' },
    );
    const files = output.split('\n').filter(Boolean);
    const card = {
      portrait: files.find((file) => path.basename(file).indexOf('portrait') >= 0),
      emblem: files.find((file) => path.basename(file).indexOf('emblem') >= 0),
    };
    const portrait = readCard(card.portrait);
    const emblem = readCard(card.emblem);
    last = { seed, portrait, emblem };
    if (portrait.ok && emblem.ok && portrait.fields.name === name && portrait.fields.id_number === idNumber) {
      fs.writeFileSync(chosen, JSON.stringify(card));
      return card;
    }
  }
  throw new Error('no generated card was read back correctly: ' + JSON.stringify(last));
}

function readCard(file) {
  const run = spawnSync(SERVER_BINARY, ['idcard', 'read', file], { encoding: 'utf8' });
  try {
    return { ok: run.status === 0, ...JSON.parse(run.stdout) };
  } catch (e) {
    return { ok: false, fields: {}, error: run.stderr };
  }
}

// Cuts a head-and-shoulders portrait of one person out of a face-api demo group photo,
// with Chromium's own canvas (and so without the paint.net EXIF of the original).
export async function cropPortrait(page, sampleNumber, box, outPath) {
  if (fs.existsSync(outPath)) return outPath;
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  const source = fs.readFileSync(path.join(FACE_DEMO_DIR, 'sample' + sampleNumber + '.jpg')).toString('base64');
  const base64 = await page.evaluate(
    async ({ source, box }) => {
      const image = new Image();
      image.src = 'data:image/jpeg;base64,' + source;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = box.width;
      canvas.height = box.height;
      canvas.getContext('2d').drawImage(image, box.x, box.y, box.width, box.height, 0, 0, box.width, box.height);
      return canvas.toDataURL('image/jpeg', 0.95).split(',')[1];
    },
    { source, box },
  );
  fs.writeFileSync(outPath, Buffer.from(base64, 'base64'));
  return outPath;
}

// Two different people from the face-api demo photos (group photos at parties), each cut
// out head and shoulders around the face's centre (crop 3:4 of `width`, the face 2/5 down),
// each clear of the people beside them.
export const PORTRAITS = {
  first: { sample: 3, centre: [670, 480], width: 700 }, // curly blonde on the left of sample3
  second: { sample: 6, centre: [800, 350], width: 560 }, // dark hair, red dress, second from the left of sample6
};

function portraitName(which) {
  const spec = PORTRAITS[which];
  return [which, spec.sample, ...spec.centre, spec.width].join('-');
}

// A candidate's own portrait as a phone takes it: the person before whatever was behind
// them (here a party), which the server's portrait core cuts out and puts on the profile's
// background.
export async function portraitFile(page, which) {
  const spec = PORTRAITS[which];
  const height = Math.round((spec.width * 4) / 3);
  const box = { x: spec.centre[0] - spec.width / 2, y: Math.max(0, spec.centre[1] - Math.round((height * 2) / 5)), width: spec.width, height };
  return cropPortrait(page, spec.sample, box, path.join(FIXTURES_DIR, 'crop-' + portraitName(which) + '.jpg'));
}

// The photo printed on the person's ID card: their portrait before a plain wall, made by the
// server's own ID photo composer (`examphoto photo check --out` with a 720×960 light-grey
// "studio" profile), as the card's photo was taken in a studio.
export async function cardFace(page, which) {
  const crop = await portraitFile(page, which);
  if (USING_MOCK) return crop;
  const out = path.join(FIXTURES_DIR, 'card-face-' + portraitName(which) + '.jpg');
  if (fs.existsSync(out)) return out;
  const profiles = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'config/profiles.json'), 'utf8'));
  profiles.profiles.studio = {
    title: 'studio wall (tests)',
    width: 720,
    height: 960,
    dpi: 300,
    background_rgb: [226, 224, 218],
    head_top_px: [60, 180],
    eye_line_px: [300, 450],
    face_width_px: [220, 330],
    target_head_top_px: 130,
    target_eye_line_px: 390,
    jpeg_min_quality: 60,
    file_kb: [20, 2000],
  };
  const profilesFile = path.join(FIXTURES_DIR, 'studio-profiles.json');
  fs.writeFileSync(profilesFile, JSON.stringify(profiles));
  // The check itself may fail (the crop is smaller than the studio profile wants); the
  // composed photo is what we want.
  spawnSync(SERVER_BINARY, ['photo', 'check', '--profiles', profilesFile, '--profile', 'studio', '--out', out, crop], { stdio: 'ignore' });
  if (!fs.existsSync(out)) throw new Error('could not compose the card photo of ' + which);
  return out;
}

export function groupPhoto(n = 2) {
  return path.join(FACE_DEMO_DIR, 'sample' + n + '.jpg');
}

// Runs axe-core (npm) on the screen as it is and fails on any serious or critical violation,
// naming the rule, the elements and why. Each call adds a line to test-artifacts/axe.jsonl.
const AXE_SOURCE = fs.readFileSync(path.join(WEB_DIR, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const RECORD_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});`;
export async function assertAccessible(page, name) {
  await settled(page);
  const violations = await page.evaluate(() => window.__cspViolations || []);
  if (violations.length) throw new Error(`Content-Security-Policy violations on ${name}:\n${violations.join('\n')}`);
  // Evaluated through the DevTools protocol, which the page's policy does not govern (an
  // inline <script> would be refused by it, rightly).
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const run = await window.axe.run(document, { resultTypes: ['violations'] });
    return {
      rules: run.violations.length,
      serious: run.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join(' | ')}`),
    };
  });
  fs.mkdirSync(path.join(REPO_DIR, 'test-artifacts'), { recursive: true });
  fs.appendFileSync(path.join(REPO_DIR, 'test-artifacts', 'axe.jsonl'), JSON.stringify({ app: 'candidate', page: name, serious_or_critical: result.serious.length }) + '\n');
  if (result.serious.length) throw new Error(`axe on ${name}:\n${result.serious.join('\n')}`);
}
