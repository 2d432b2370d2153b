// Fails when the JavaScript a phone must download before the first screen shows exceeds
// the budget (150 KB gzipped): the entry script of dist/index.html, every module it
// preloads, and the chunks of the screen a first visit opens (the home page). Run after
// `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 150 * 1024;
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');

const entry = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]);
const preloaded = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]);

// The home screen's chunk and its static imports, found through the import graph.
function staticImports(file) {
  const source = fs.readFileSync(path.join(dist, file), 'utf8');
  const imports = [...source.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)].map((m) => 'assets/' + m[1]);
  return imports;
}
const firstScreen = new Set([...entry, ...preloaded]);
const homeChunk = fs.readdirSync(path.join(dist, 'assets')).find((name) => /^HomeView-.*\.js$/.test(name));
const queue = homeChunk ? ['assets/' + homeChunk] : [];
while (queue.length) {
  const file = queue.pop();
  if (firstScreen.has(file)) continue;
  firstScreen.add(file);
  queue.push(...staticImports(file));
}
for (const file of entry) queue.push(...staticImports(file));
while (queue.length) {
  const file = queue.pop();
  if (firstScreen.has(file)) continue;
  firstScreen.add(file);
  queue.push(...staticImports(file));
}

let total = 0;
const rows = [];
for (const file of firstScreen) {
  const gzipped = zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  total += gzipped;
  rows.push([file, gzipped]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [file, size] of rows) console.log(`${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`);
console.log(`first-screen JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
if (total > BUDGET_BYTES) {
  console.error('over budget: import Vant components on demand and keep screens as lazy routes');
  process.exit(1);
}
