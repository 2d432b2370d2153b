// The guidance's judging half on made-up faces: a synthetic 68-point face placed, scaled,
// turned and lit at will, so each check can be seen to fire at the server's thresholds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FramingTracker, judgeFraming, measureGeometry, measureLight } from '../../src/guidance/framing.js';

// The server's bj-zikao thresholds (config/profiles.json check_defaults).
const T = {
  min_face_width_fraction: 0.16,
  max_face_width_fraction: 0.62,
  max_centre_offset_fraction: 0.2,
  min_eye_height_fraction: 0.15,
  max_eye_height_fraction: 0.68,
  max_yaw_degrees: 22,
  max_pitch_degrees: 15,
  max_roll_degrees: 10,
  min_face_peak: 95,
  max_face_brightness: 215,
  max_side_light_ratio: 0.3,
};

// A frontal face of width `w` centred at (cx, eyeY): jaw 0–16 on a half ellipse, brows,
// nose bridge 27–30 (30 the tip), nostrils, eyes 36–47, mouth 48–67. `noseShift` moves the
// nose tip sideways (a turned head), `roll` rotates everything about the eye centre.
function face({ cx = 180, eyeY = 130, w = 120, noseShift = 0, roll = 0 } = {}) {
  const p = [];
  const h = w * 1.1;
  for (let i = 0; i <= 16; i += 1) {
    const a = Math.PI * (i / 16);
    p.push({ x: cx - (w / 2) * Math.cos(a), y: eyeY + h * 0.62 * Math.sin(a) - 0.05 * w });
  }
  for (let i = 0; i < 5; i += 1) p.push({ x: cx - 0.4 * w + i * 0.07 * w, y: eyeY - 0.18 * w });
  for (let i = 0; i < 5; i += 1) p.push({ x: cx + 0.12 * w + i * 0.07 * w, y: eyeY - 0.18 * w });
  for (let i = 0; i < 4; i += 1) p.push({ x: cx + (i === 3 ? noseShift : (noseShift * i) / 3), y: eyeY + i * 0.073 * w });
  for (let i = 0; i < 5; i += 1) p.push({ x: cx - 0.1 * w + i * 0.05 * w, y: eyeY + 0.3 * w });
  const eye = (ex) => [
    { x: ex - 0.1 * w, y: eyeY }, { x: ex - 0.04 * w, y: eyeY - 0.03 * w }, { x: ex + 0.04 * w, y: eyeY - 0.03 * w },
    { x: ex + 0.1 * w, y: eyeY }, { x: ex + 0.04 * w, y: eyeY + 0.03 * w }, { x: ex - 0.04 * w, y: eyeY + 0.03 * w },
  ];
  p.push(...eye(cx - 0.21 * w), ...eye(cx + 0.21 * w));
  for (let i = 0; i < 20; i += 1) {
    const a = (2 * Math.PI * i) / (i < 12 ? 12 : 8);
    const r = i < 12 ? 0.17 * w : 0.1 * w;
    p.push({ x: cx + r * Math.cos(a + Math.PI), y: eyeY + 0.5 * w + 0.04 * w * Math.sin(a) });
  }
  if (!roll) return p;
  const r = (roll * Math.PI) / 180;
  return p.map((q) => ({ x: cx + (q.x - cx) * Math.cos(r) - (q.y - eyeY) * Math.sin(r), y: eyeY + (q.x - cx) * Math.sin(r) + (q.y - eyeY) * Math.cos(r) }));
}

const FRAME = { width: 360, height: 480 };
const judge = (points, light = { faceBrightness: 130, facePeak: 190, sideLightRatio: 0.05 }) =>
  judgeFraming([Object.assign(measureGeometry(points, FRAME.width, FRAME.height), light)], T);

test('a centred, level face of a third of the width passes', () => {
  const m = measureGeometry(face(), FRAME.width, FRAME.height);
  assert.ok(Math.abs(m.faceWidthFraction - 120 / 360) < 1e-9);
  assert.ok(m.centreOffsetFraction < 0.01);
  assert.ok(Math.abs(m.yaw) < 0.5 && Math.abs(m.roll) < 0.5);
  assert.equal(judge(face()), null);
});

test('size, place and pose each give their hint at the server thresholds', () => {
  assert.equal(judge(face({ w: 50 })), 'framing.closer');
  assert.equal(judge(face({ w: 240 })), 'framing.farther');
  assert.equal(judge(face({ cx: 300 })), 'framing.centre');
  assert.equal(judge(face({ eyeY: 400 })), 'framing.centre');
  assert.equal(judge(face({ roll: 14 })), 'framing.look_straight');
  assert.equal(judge(face({ roll: 6 })), null);
  assert.equal(judge(face({ noseShift: 30 })), 'framing.look_straight');
  assert.equal(judgeFraming([], T), 'framing.no_face');
  const one = Object.assign(measureGeometry(face(), 360, 480), { faceBrightness: 130, sideLightRatio: 0 });
  assert.equal(judgeFraming([one, one], T), 'framing.one_face');
});

test('light: too dark, too bright and one side darker', () => {
  assert.equal(judge(face(), { faceBrightness: 50, facePeak: 70, sideLightRatio: 0 }), 'framing.too_dark');
  // Darker skin with bright eyes and reflections is not too dark.
  assert.equal(judge(face(), { faceBrightness: 60, facePeak: 150, sideLightRatio: 0 }), null);
  assert.equal(judge(face(), { faceBrightness: 230, facePeak: 250, sideLightRatio: 0 }), 'framing.too_bright');
  assert.equal(judge(face(), { faceBrightness: 130, facePeak: 190, sideLightRatio: 0.4 }), 'framing.uneven_light');
});

test('measureLight reads the skin inside the outline and compares its two halves', () => {
  const points = face();
  const rgba = new Uint8ClampedArray(FRAME.width * FRAME.height * 4);
  for (let y = 0; y < FRAME.height; y += 1) {
    for (let x = 0; x < FRAME.width; x += 1) {
      const v = x < 180 ? 60 : 180; // the image's left half dark, the right half bright
      rgba.set([v, v, v, 255], (y * FRAME.width + x) * 4);
    }
  }
  const light = measureLight(rgba, FRAME.width, FRAME.height, points);
  assert.ok(light.faceBrightness > 100 && light.faceBrightness < 140, String(light.faceBrightness));
  assert.ok(Math.abs(light.sideLightRatio - 120 / 180) < 0.02, String(light.sideLightRatio));
  rgba.fill(120);
  const even = measureLight(rgba, FRAME.width, FRAME.height, points);
  assert.equal(Math.round(even.faceBrightness), 120);
  assert.equal(even.facePeak, 120);
  assert.equal(light.facePeak, 180);
  assert.equal(even.sideLightRatio, 0);
});

test('the tracker changes its hint only when two frames agree, and is steady after a second of green', () => {
  const tracker = new FramingTracker({ settle: 2, steadyMs: 1000 });
  assert.deepEqual(tracker.push('framing.closer', 0), { hint: 'framing.no_face', green: false, steady: false });
  assert.equal(tracker.push('framing.closer', 100).hint, 'framing.closer');
  assert.equal(tracker.push(null, 200).green, false);
  assert.deepEqual(tracker.push(null, 300), { hint: null, green: true, steady: false });
  assert.equal(tracker.push(null, 1299).steady, false);
  assert.equal(tracker.push(null, 1300).steady, true);
  assert.equal(tracker.push('framing.centre', 1400).green, true, 'one bad frame does not flicker');
  assert.equal(tracker.push('framing.centre', 1500).green, false);
});
