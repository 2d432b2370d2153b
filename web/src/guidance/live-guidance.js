// Live framing guidance for the portrait camera: takes frames from the <video>, has the face
// worker measure them (one frame in flight; the next is taken as soon as the answer comes)
// and turns the measurements into the hint to show and whether the oval is green.
// Loaded only when the camera opens (a dynamic import), so the first screen never pays for
// it; and anything that goes wrong — no Worker, no WebAssembly, a model that does not load —
// only switches the guidance off: the shutter never waits for it.

import { FramingTracker, judgeFraming } from './framing.js';

// Frames are analysed at this long side: the detector's input is 224 px anyway.
const ANALYSIS_LONG_SIDE = 320;
// A model that has not loaded by then is given up on (a weak network, an old phone).
const LOAD_TIMEOUT_MS = 20000;

export function startGuidance(video, thresholds, onUpdate) {
  let worker;
  let stopped = false;
  let busy = false;
  let frameId = 0;
  let canvas = null;
  let context = null;
  const tracker = new FramingTracker();
  const stats = { analysed: 0, startedAt: 0, lastMs: 0, backend: '' };

  const stop = () => {
    stopped = true;
    if (worker) worker.terminate();
    worker = null;
  };
  const fail = (reason) => {
    if (stopped) return;
    stop();
    onUpdate({ status: 'unavailable', reason });
  };

  try {
    worker = new Worker(new URL('./face-worker.js', import.meta.url));
  } catch (e) {
    fail('worker');
    return { stop, stats };
  }
  const timeout = setTimeout(() => fail('timeout'), LOAD_TIMEOUT_MS);

  function grab() {
    if (stopped || busy) return;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height || video.readyState < 2) {
      requestAnimationFrame(grab);
      return;
    }
    const scale = Math.min(1, ANALYSIS_LONG_SIDE / Math.max(width, height));
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    if (!canvas || canvas.width !== w || canvas.height !== h) {
      canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      context = canvas.getContext('2d', { willReadFrequently: true });
    }
    context.drawImage(video, 0, 0, w, h);
    const pixels = context.getImageData(0, 0, w, h).data.buffer;
    busy = true;
    frameId += 1;
    worker.postMessage({ type: 'frame', id: frameId, width: w, height: h, pixels }, [pixels]);
  }

  worker.onmessage = (event) => {
    const message = event.data;
    if (stopped) return;
    if (message.type === 'ready') {
      clearTimeout(timeout);
      stats.backend = message.backend;
      stats.startedAt = performance.now();
      onUpdate({ status: 'ready', backend: message.backend });
      grab();
    } else if (message.type === 'failed') {
      clearTimeout(timeout);
      fail(message.reason);
    } else if (message.type === 'result') {
      busy = false;
      
      if (message.faces) {
        stats.analysed += 1;
        stats.lastMs = message.ms;
        const verdict = tracker.push(judgeFraming(message.faces, thresholds), performance.now());
        onUpdate({ status: 'ready', ...verdict, faces: message.faces });
      }
      grab();
    }
  };
  worker.onerror = () => {
    clearTimeout(timeout);
    fail('error');
  };
  return { stop, stats };
}
