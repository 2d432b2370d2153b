// Prepares the identity pool of the load test (bench/load/run.sh): specimen ID card captures
// written by tools/idcard_generator, each printed with a random identity (the generator's
// ground-truth JSON becomes the roster row) and carrying the face of one of the two real
// portraits the browser tests use (test-artifacts/e2e-fixtures/portrait-{first,second}.jpg,
// cut from the face-api demo photos). The candidate later uploads that same portrait, so the
// `local` verification (face vs card portrait) passes, as in web/tests/e2e.
//
// Only cards that `examphoto idcard read` reads back exactly (name and number on the
// portrait side, a readable emblem side) are kept: this is a load test of the service, not of
// the reader's accuracy (bench/idcard has that), and a misread would stop the flow at 确认无误.
//
// The pool is cached in --out (pool.json + images) and reused while its settings match.
//
// Usage: node bench/load/prepare.mjs --bin EXAMPHOTO --generator IDCARD_GENERATOR
//          --out DIR [--count 80] [--seed 11]
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(REPO, 'test-artifacts', 'e2e-fixtures');
const FACES = ['first', 'second'];

function parseArguments(argv) {
  const options = { count: 80, seed: 11 };
  for (let i = 0; i < argv.length; i += 2) options[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const required of ['bin', 'generator', 'out']) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  options.count = Number(options.count);
  options.seed = Number(options.seed);
  return options;
}

// The browser tests' portraits; made with their own code (Chromium crops the demo photo,
// `examphoto photo check --out` puts it before a plain wall) when this checkout lacks them.
async function portraitFiles(bin) {
  const files = Object.fromEntries(FACES.map((face) => [face, path.join(FIXTURES, `portrait-${face}.jpg`)]));
  if (FACES.every((face) => fs.existsSync(files[face]))) return files;
  process.env.EXAMPHOTO_BIN = bin;
  const harness = await import(path.join(REPO, 'web', 'tests', 'e2e', 'harness.mjs'));
  const phone = await harness.launchPhone();
  try {
    for (const face of FACES) await harness.portraitFile(phone.page, face);
  } finally {
    await phone.close();
  }
  return files;
}

async function readCard(bin, file) {
  try {
    const { stdout } = await execFileAsync(bin, ['idcard', 'read', file], { cwd: REPO, encoding: 'utf8' });
    return JSON.parse(stdout);
  } catch (error) {
    return null; // exit code 1: the reader rejected the capture
  }
}

// Runs `work` over `items` with at most `parallel` at a time (the machine has two cores).
async function eachLimited(items, parallel, work) {
  let next = 0;
  const runners = Array.from({ length: parallel }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index], index);
    }
  });
  await Promise.all(runners);
}

// One batch: `perFace` identities per portrait, generated with seeds of batch `batch`, then
// read back; returns the identities kept and the ones not read back exactly.
async function generateBatch(options, portraits, batch, perFace) {
  const generated = [];
  FACES.forEach((face, faceIndex) => {
    const faceDir = path.join(options.out, `faces-${face}`);
    fs.mkdirSync(faceDir, { recursive: true });
    // The generator takes its card portraits from sample1..6.jpg of a folder.
    fs.copyFileSync(portraits[face], path.join(faceDir, 'sample1.jpg'));
    const photo = path.join(options.out, `portrait-${face}.jpg`);
    fs.copyFileSync(portraits[face], photo);
    const cardDir = path.join(options.out, `cards-${face}-${batch}`);
    const seed = options.seed + 100 * batch + faceIndex;
    const output = execFileSync(
      options.generator,
      ['--out', cardDir, '--count', String(perFace), '--clean', '--faces', faceDir, '--seed', String(seed)],
      { encoding: 'utf8', cwd: REPO },
    );
    const images = output.split('\n').filter(Boolean);
    for (const portraitImage of images.filter((file) => file.endsWith('_portrait.jpg'))) {
      const truth = JSON.parse(fs.readFileSync(portraitImage.replace(/\.jpg$/, '.json'), 'utf8'));
      generated.push({
        face,
        name: truth.fields.name,
        id_number: truth.fields.id_number,
        portrait_card: portraitImage,
        emblem_card: portraitImage.replace(/_portrait\.jpg$/, '_emblem.jpg'),
        photo,
      });
    }
  });
  const kept = [];
  const rejected = [];
  await eachLimited(generated, 2, async (identity) => {
    const portrait = await readCard(options.bin, identity.portrait_card);
    const emblem = await readCard(options.bin, identity.emblem_card);
    const exact = portrait && emblem && portrait.fields.name === identity.name && portrait.fields.id_number === identity.id_number;
    if (exact) kept.push(identity);
    else rejected.push({ name: identity.name, read: portrait ? `${portrait.fields.name} ${portrait.fields.id_number}` : 'rejected (issues)' });
  });
  return { kept, rejected };
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const settings = { seed: options.seed, generator_version: 2 };
  const manifestPath = path.join(options.out, 'pool.json');
  let manifest = { settings, batches: 0, seconds_to_prepare: 0, rejected: [], identities: [] };
  if (fs.existsSync(manifestPath)) {
    const cached = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    if (JSON.stringify(cached.settings) === JSON.stringify(settings)) manifest = cached;
  }
  if (manifest.identities.length >= options.count) {
    console.error(`identity pool: ${manifest.identities.length} identities cached in ${options.out}`);
    return;
  }
  if (manifest.batches === 0) {
    fs.rmSync(options.out, { recursive: true, force: true });
    fs.mkdirSync(options.out, { recursive: true });
  }
  const portraits = await portraitFiles(options.bin);
  // About two cards in three are read back exactly (docs/performance/idcard.md): batches
  // until there are enough.
  while (manifest.identities.length < options.count) {
    const started = Date.now();
    const missing = options.count - manifest.identities.length;
    const perFace = Math.max(4, Math.ceil((missing * 1.5) / FACES.length));
    const { kept, rejected } = await generateBatch(options, portraits, manifest.batches, perFace);
    const numbers = new Set(manifest.identities.map((identity) => identity.id_number));
    for (const identity of kept.sort((a, b) => a.portrait_card.localeCompare(b.portrait_card))) {
      if (numbers.has(identity.id_number)) continue;
      numbers.add(identity.id_number);
      const index = manifest.identities.length + 1;
      identity.phone = `137${String(index).padStart(8, '0')}`;
      identity.registration_no = `LOAD${String(index).padStart(8, '0')}`;
      manifest.identities.push(identity);
    }
    manifest.rejected.push(...rejected);
    manifest.batches += 1;
    manifest.seconds_to_prepare += (Date.now() - started) / 1000;
    console.error(`identity pool: batch ${manifest.batches}: ${kept.length} of ${kept.length + rejected.length} read back exactly; ${manifest.identities.length} in the pool`);
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  }
  const average = (key) => Math.round(manifest.identities.reduce((sum, identity) => sum + fs.statSync(identity[key]).size, 0) / manifest.identities.length);
  manifest.average_bytes = { portrait_card: average('portrait_card'), emblem_card: average('emblem_card'), photo: average('photo') };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
