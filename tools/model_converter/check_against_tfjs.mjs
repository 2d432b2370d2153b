// Checks a conversion by tfjs_to_onnx.py: runs the TF.js graph with TF.js itself (CPU
// backend) and the ONNX file with ONNX Runtime, on the same inputs, and prints the largest
// difference of each output. Inputs: crops of a real photo (the face-api samples) resized
// to the model's input, plus one of uniform noise.
// Run: (cd tools/model_converter && npm ci --ignore-scripts) then
//   node tools/model_converter/check_against_tfjs.mjs MODEL.json MODEL.onnx PHOTO.jpg...
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfconv from '@tensorflow/tfjs-converter';
import jpeg from 'jpeg-js';
import ort from 'onnxruntime-node';

const [modelJson, onnxFile, ...photos] = process.argv.slice(2);
if (!onnxFile) {
  console.error('usage: check_against_tfjs.mjs MODEL.json MODEL.onnx [PHOTO.jpg...]');
  process.exit(2);
}
await tf.setBackend('cpu');

const spec = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
const dir = path.dirname(modelJson);
const shards = spec.weightsManifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
const graph = await tfconv.loadGraphModel(tf.io.fromMemory({
  modelTopology: spec.modelTopology,
  weightSpecs: spec.weightsManifest.flatMap((group) => group.weights),
  weightData,
}));
const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1 });
const [, height, width] = graph.inputs[0].shape;

// A centred square crop of a photo, scaled to the model's input, RGB in 0..1 (NHWC).
function photoInput(file) {
  const image = jpeg.decode(fs.readFileSync(file), { useTArray: true });
  const side = Math.min(image.width, image.height);
  const x0 = (image.width - side) / 2;
  const y0 = (image.height - side) / 2;
  const out = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.floor(x0 + ((x + 0.5) * side) / width);
      const sy = Math.floor(y0 + ((y + 0.5) * side) / height);
      for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = image.data[(sy * image.width + sx) * 4 + c] / 255;
    }
  }
  return out;
}
function noiseInput(seed) {
  const out = new Float32Array(height * width * 3);
  let state = seed;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out[i] = state / 2147483648;
  }
  return out;
}

const inputs = [...photos.map((p) => [path.basename(p), photoInput(p)]), ['noise', noiseInput(7)]];
// TF.js names outputs by node ("Identity_2:0"); the ONNX file by the signature's keys.
const signature = Object.entries(spec.signature.outputs);
const worst = {};
for (const [name, values] of inputs) {
  const tensor = tf.tensor4d(values, [1, height, width, 3]);
  const tfOutputs = graph.execute(tensor, signature.map(([, s]) => s.name));
  const ortOutputs = await session.run({ input: new ort.Tensor('float32', values, [1, height, width, 3]) });
  const line = [];
  for (let i = 0; i < signature.length; i++) {
    const key = signature[i][0].endsWith(':0') ? 'output' : signature[i][0];
    const expected = (Array.isArray(tfOutputs) ? tfOutputs[i] : tfOutputs).dataSync();
    const actual = ortOutputs[key].data;
    if (expected.length !== actual.length) throw new Error(`${key}: ${expected.length} vs ${actual.length} values`);
    let maxDiff = 0;
    let maxValue = 0;
    for (let j = 0; j < expected.length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[j] - actual[j]));
      maxValue = Math.max(maxValue, Math.abs(expected[j]));
    }
    worst[key] = Math.max(worst[key] || 0, maxDiff);
    line.push(`${key} max |Δ| ${maxDiff.toExponential(2)} (values up to ${maxValue.toFixed(2)})`);
  }
  console.log(`${name}: ${line.join('; ')}`);
  tf.dispose([tensor, tfOutputs]);
}
console.log(JSON.stringify({ model: path.basename(modelJson), worst_abs_difference: worst }));
