// The guidance's face detector, in a worker so the camera screen stays responsive: face-api's
// tiny face detector and its 68-point tiny landmark net (npm @vladmandic/face-api, weights in
// the package) on TF.js's WebAssembly backend (CPU kernels where WebAssembly is missing).
// Everything it loads is bundled by Vite and served by examphoto itself.
//
// Messages in: {type: 'frame', id, width, height, pixels (RGBA ArrayBuffer)}.
// Messages out: {type: 'ready', backend} once, or {type: 'failed', reason}; then per frame
// {type: 'result', id, faces: [measurements], ms}.
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import detectorManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json';
import detectorWeights from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url';
import landmarkManifest from '@vladmandic/face-api/model/face_landmark_68_tiny_model-weights_manifest.json';
import landmarkWeights from '@vladmandic/face-api/model/face_landmark_68_tiny_model.bin?url';
import { measureGeometry, measureLight } from './framing.js';

// The detector's input side: 224 px finds a face down to about a tenth of the frame's width,
// below the closest the checks allow (min_face_width_fraction 0.16).
const DETECTOR_INPUT = 224;
const detectorOptions = new faceapi.TinyFaceDetectorOptions({ inputSize: DETECTOR_INPUT, scoreThreshold: 0.4 });

// face-api looks for a page (window, document) or Node to know how to make canvases; a
// worker is neither. It only ever gets tensors here, so its environment needs no more than
// the worker's own classes.
class Unavailable {}
faceapi.env.setEnv({
  Canvas: typeof OffscreenCanvas === 'undefined' ? Unavailable : OffscreenCanvas,
  CanvasRenderingContext2D: typeof OffscreenCanvasRenderingContext2D === 'undefined' ? Unavailable : OffscreenCanvasRenderingContext2D,
  Image: Unavailable,
  ImageData,
  Video: Unavailable,
  createCanvasElement: () => new OffscreenCanvas(1, 1),
  createImageElement: () => {
    throw new Error('no images in the worker');
  },
  createVideoElement: () => {
    throw new Error('no video in the worker');
  },
  fetch: (...args) => fetch(...args),
  readFile: () => Promise.reject(new Error('no files in the worker')),
});

async function loadNet(net, manifest, url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error('model ' + response.status);
  const buffer = await response.arrayBuffer();
  const specs = manifest.reduce((all, group) => all.concat(group.weights), []);
  net.loadFromWeightMap(tf.io.decodeWeights(buffer, specs));
}

async function start() {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  let backend = 'wasm';
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm');
  } catch (e) {
    backend = 'cpu';
    await tf.setBackend('cpu');
  }
  await tf.ready();
  await Promise.all([
    loadNet(faceapi.nets.tinyFaceDetector, detectorManifest, detectorWeights),
    loadNet(faceapi.nets.faceLandmark68TinyNet, landmarkManifest, landmarkWeights),
  ]);
  return backend;
}

// Tracking: the detector runs on every DETECT_EVERY-th frame (and whenever the face is
// lost); the frames between run the landmark net alone on the box around the last frame's
// landmarks, as a phone's face SDK does. On this machine under 4× CPU throttling a detection
// costs four to five landmark passes (docs/performance/web.md).
const DETECT_EVERY = 10;
let tracked = null; // {x, y, width, height} in frame pixels, or null
let sinceDetection = 0;

function boundsOf(points) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY, width: maxX - minX, height: maxY - minY };
}

// The box the detector would give for these landmarks: the tiny detector's boxes reach from
// above the brows to below the chin and a little past the jaw's ends.
function boxAround(points, width, height) {
  const b = boundsOf(points);
  const x0 = Math.max(0, Math.floor(b.minX - 0.12 * b.width));
  const y0 = Math.max(0, Math.floor(b.minY - 0.25 * b.height));
  const x1 = Math.min(width, Math.ceil(b.maxX + 0.12 * b.width));
  const y1 = Math.min(height, Math.ceil(b.maxY + 0.08 * b.height));
  if (x1 - x0 < 16 || y1 - y0 < 16) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

// RGB tensor of a region of the RGBA frame (the whole frame by default).
function rgbTensor(rgba, frameWidth, box) {
  const rgb = new Int32Array(box.width * box.height * 3);
  let j = 0;
  for (let y = box.y; y < box.y + box.height; y += 1) {
    for (let i = (y * frameWidth + box.x) * 4, end = i + box.width * 4; i < end; i += 4) {
      rgb[j] = rgba[i];
      rgb[j + 1] = rgba[i + 1];
      rgb[j + 2] = rgba[i + 2];
      j += 3;
    }
  }
  return tf.tensor3d(rgb, [box.height, box.width, 3], 'int32');
}

async function detect(rgba, width, height) {
  const input = rgbTensor(rgba, width, { x: 0, y: 0, width, height });
  try {
    const found = await faceapi.detectAllFaces(input, detectorOptions).withFaceLandmarks(true);
    return found.map((d) => d.landmarks.positions.map((p) => ({ x: p.x, y: p.y })));
  } finally {
    input.dispose();
  }
}

async function follow(rgba, width, box) {
  const crop = rgbTensor(rgba, width, box);
  try {
    const landmarks = await faceapi.nets.faceLandmark68TinyNet.detectLandmarks(crop);
    return landmarks.positions.map((p) => ({ x: p.x + box.x, y: p.y + box.y }));
  } finally {
    crop.dispose();
  }
}

// Whether landmarks followed in `box` still sit on a face where the box expected one: a face
// that jumped or left leaves the landmark net guessing, with a different size or place.
function stillOnTrack(points, box) {
  const b = boundsOf(points);
  const expectedWidth = box.width / 1.24;
  const centreShift = Math.abs(b.minX + b.width / 2 - (box.x + box.width / 2)) / box.width;
  return centreShift < 0.15 && b.width > 0.75 * expectedWidth && b.width < 1.3 * expectedWidth;
}

async function analyse(message) {
  const { width, height } = message;
  const rgba = new Uint8ClampedArray(message.pixels);
  const started = performance.now();
  let faces = null;
  let detected = false;
  if (tracked && sinceDetection < DETECT_EVERY - 1) {
    const points = await follow(rgba, width, tracked);
    if (stillOnTrack(points, tracked)) {
      faces = [points];
      sinceDetection += 1;
    }
  }
  if (!faces) {
    faces = await detect(rgba, width, height);
    detected = true;
    sinceDetection = 0;
  }
  // The landmark net always answers with a face, so a candidate who stepped out of the frame
  // is noticed by stillOnTrack or, at the latest, at the next detection.
  tracked = faces.length === 1 ? boxAround(faces[0], width, height) : null;
  const measured = faces.map((points) => Object.assign(measureGeometry(points, width, height), measureLight(rgba, width, height, points)));
  return { faces: measured, detected, ms: performance.now() - started };
}

const ready = start().then(
  (backend) => {
    self.postMessage({ type: 'ready', backend });
    return true;
  },
  (error) => {
    self.postMessage({ type: 'failed', reason: String((error && error.message) || error) });
    return false;
  },
);

self.onmessage = async (event) => {
  const message = event.data;
  if (!message || message.type !== 'frame' || !(await ready)) return;
  try {
    const result = await analyse(message);
    self.postMessage({ type: 'result', id: message.id, faces: result.faces, detected: result.detected, ms: result.ms });
  } catch (error) {
    self.postMessage({ type: 'result', id: message.id, faces: null, error: String(error) });
  }
};
