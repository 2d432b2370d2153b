// Peer benchmark for issue 3 ("Speed"): face-api 1.7.15 in Node on TensorFlow.js's WASM
// backend, one thread, on the same two photos as bench/imaging/photo_bench (written by
// make-photos.sh). Per run it times: JPEG decode in pure JS (jpeg-js; tfjs-node is not used,
// so there is no native decoder) + tensor creation, then SSD MobileNet v1 face detection,
// 68 landmarks and the 128-d descriptor. That is less than our core does per photo (it also
// measures, composes the ID photo, judges it and encodes the finished JPEG).
// Run: taskset -c 1 node face-api-wasm.mjs PHOTO_DIR [runs] [out.json]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const jpeg = require('jpeg-js');

const photoDir = process.argv[2] ?? '/tmp/peer-photos';
const runs = Math.max(3, Number(process.argv[3] ?? 15));
const outFile = process.argv[4];
const modelDir = path.resolve(here, '../../deps/models/node_modules/@vladmandic/face-api/model');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

// The .wasm files ship inside the npm package: load them from disk, never from a CDN.
wasm.setWasmPaths(path.join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
// One core like our bench: no WASM threads (the plain SIMD binary is chosen).
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
wasm.setThreadsCount(1);
await tf.setBackend('wasm');
await tf.ready();

await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 10 });

async function once(bytes) {
  const t0 = performance.now();
  const c0 = cpuMs();
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048 });
  const tensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const t1 = performance.now();
  const c1 = cpuMs();
  const faces = await faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors();
  const t2 = performance.now();
  const c2 = cpuMs();
  tf.dispose(tensor);
  return {
    total: t2 - t0, decode: t1 - t0, face: t2 - t1,
    cpuTotal: c2 - c0, cpuDecode: c1 - c0, cpuFace: c2 - c1,
    faces: faces.length, width: image.width, height: image.height,
    score: faces[0]?.detection.score,
  };
}

async function measure(name) {
  const file = path.join(photoDir, `${name}.jpg`);
  const bytes = fs.readFileSync(file);
  await once(bytes); // warm-up: WASM kernels and model weights are initialised on first use
  const samples = [];
  for (let i = 0; i < runs; i += 1) samples.push(await once(bytes));
  const pick = (key) => samples.map((s) => s[key]);
  return {
    file, bytes: bytes.length, width: samples[0].width, height: samples[0].height, runs,
    faces_found: samples[0].faces, detection_score: samples[0].score,
    median_ms: median(pick('total')), min_ms: Math.min(...pick('total')),
    median_cpu_ms: median(pick('cpuTotal')),
    stages_median_ms: { decode: median(pick('decode')), detect_landmarks_descriptor: median(pick('face')) },
    stages_median_cpu_ms: { decode: median(pick('cpuDecode')), detect_landmarks_descriptor: median(pick('cpuFace')) },
  };
}

const result = {
  peer: `@vladmandic/face-api ${faceapi.version} (dist/face-api.node-wasm.js), @tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, threads ${wasm.getThreadsCount()}, jpeg-js decode`,
  wasm_simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  wasm_multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  node: process.version,
  pipeline: 'jpeg-js decode + ssdMobilenetv1 (minConfidence 0.5) + faceLandmark68Net + faceRecognitionNet descriptor',
  photo_12mp: await measure('photo_12mp'),
  photo_1mp: await measure('photo_1mp'),
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
};
const text = JSON.stringify(result, null, 1);
console.log(text);
if (outFile) fs.writeFileSync(outFile, `${text}\n`);
