// Live framing guidance, the judging half: from a face's 68 landmarks (dlib's order, which
// face-api's landmark net follows) and the frame's pixels, the same measurements the server's
// portrait checks take on an uploaded photo (src/imaging/portrait_checks.cc and
// face_geometry.cc), judged against the same thresholds (GET /api/v1/app-config → framing).
// Pure functions of numbers and pixel arrays: the worker measures, the camera screen judges,
// and node's test runner checks them without a browser (tests/unit/framing.test.mjs).

function mean(points, first, last) {
  let x = 0;
  let y = 0;
  for (let i = first; i <= last; i += 1) {
    x += points[i].x;
    y += points[i].y;
  }
  const n = last - first + 1;
  return { x: x / n, y: y / n };
}

function distance(a, b) {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

const DEGREES = 180 / Math.PI;

// What the model below reads, on the tiny landmark net's points, for a face the server reads
// as level; subtracted. Chosen on two face-api demo faces against the server's own pitch and
// checked on two others (web/bench/guidance-bench.mjs, docs/performance/web.md).
export const PITCH_CALIBRATION_DEGREES = -3;

// Geometry of one face in a frame of `width` × `height` pixels.
export function measureGeometry(points, width, height) {
  const eyeLeft = mean(points, 36, 41);
  const eyeRight = mean(points, 42, 47);
  const eyeCentre = { x: (eyeLeft.x + eyeRight.x) / 2, y: (eyeLeft.y + eyeRight.y) / 2 };
  const faceWidth = distance(points[0], points[16]);
  // The face's midline: between the eyes and between the jaw's ends, as the server takes it.
  const midline = 0.5 * (eyeCentre.x + 0.5 * (points[0].x + points[16].x));
  const acrossLength = Math.max(1e-3, distance(eyeLeft, eyeRight));
  const across = { x: (eyeRight.x - eyeLeft.x) / acrossLength, y: (eyeRight.y - eyeLeft.y) / acrossLength };
  // Yaw from the nose tip's sideways offset against the outer eye corners (as the server).
  const cornerMiddle = { x: (points[36].x + points[45].x) / 2, y: (points[36].y + points[45].y) / 2 };
  const cornerDistance = distance(points[36], points[45]);
  const offset = (points[30].x - cornerMiddle.x) * across.x + (points[30].y - cornerMiddle.y) * across.y;
  const yaw = cornerDistance > 0 ? Math.atan2(offset, 0.36 * cornerDistance) * DEGREES : 0;
  const roll = Math.atan2(eyeRight.y - eyeLeft.y, eyeRight.x - eyeLeft.x) * DEGREES;
  // Pitch: the server fits a generic head (solvePnP). Here the same head seen from the front
  // and turned about the ear-to-ear axis by θ: eyes 33 mm above the nose tip and 27 mm behind
  // it, the chin 66 mm below and 14 mm behind. Eye-to-nose and nose-to-chin along the face's
  // own "down" then shorten and lengthen as (33 cos θ − 27 sin θ) : (66 cos θ + 14 sin θ).
  const down = { x: -across.y, y: across.x };
  const along = (a, b) => (b.x - a.x) * down.x + (b.y - a.y) * down.y;
  const upper = along(eyeCentre, points[30]);
  const lower = along(points[30], points[8]);
  let pitch = 0;
  if (lower > 0) {
    const ratio = upper / lower;
    pitch = Math.atan2(33 - 66 * ratio, 14 * ratio + 27) * DEGREES - PITCH_CALIBRATION_DEGREES;
  }
  return {
    midlineX: midline,
    faceWidthFraction: faceWidth / width,
    centreOffsetFraction: Math.abs(midline - width / 2) / width,
    eyeHeightFraction: eyeCentre.y / height,
    yaw,
    pitch,
    roll,
  };
}

function insidePolygon(polygon, x, y) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

const OUTLINE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17];
const HOLES = [
  [36, 37, 38, 39, 40, 41],
  [42, 43, 44, 45, 46, 47],
  [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59],
];

// Light on the face from RGBA pixels (ImageData's layout), as the server's portrait check
// measures it (src/imaging/portrait_checks.cc): the mean luma of the skin (the outline
// without eyes and mouth); the face's 99th-percentile luma, eyes included (their whites are
// its brightest detail: below the profile's min_face_peak the photo is too dark, which darker
// skin in good light is not); and the side-light ratio |a − b| / max(a, b) of the 70th
// percentiles of the two cheeks (the band from the eye line to the mouth, either side of the
// line nose bridge → chin), counting only pixels of the skin's own colour, so that hair or a
// beard over one cheek does not read as shadow.
export function measureLight(rgba, width, height, points) {
  const outline = OUTLINE.map((i) => points[i]);
  const holes = HOLES.map((hole) => hole.map((i) => points[i]));
  let minX = width;
  let minY = height;
  let maxX = 0;
  let maxY = 0;
  for (const p of outline) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  const top = points[27];
  const bottom = points[8];
  const direction = { x: bottom.x - top.x, y: bottom.y - top.y };
  const cheekTop = 0.5 * (points[37].y + points[44].y);
  const cheekBottom = points[51].y;
  let skinSum = 0;
  let skinCount = 0;
  const histogram = new Uint32Array(256);
  const cheek = []; // [luma, r chroma, g chroma, side] of each cheek pixel
  const x0 = Math.max(0, Math.floor(minX));
  const x1 = Math.min(width - 1, Math.ceil(maxX));
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(height - 1, Math.ceil(maxY));
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      if (!insidePolygon(outline, x + 0.5, y + 0.5)) continue;
      const at = (y * width + x) * 4;
      const red = rgba[at];
      const green = rgba[at + 1];
      const blue = rgba[at + 2];
      const luma = 0.299 * red + 0.587 * green + 0.114 * blue;
      histogram[Math.min(255, Math.round(luma))] += 1;
      if (holes.some((hole) => insidePolygon(hole, x + 0.5, y + 0.5))) continue;
      skinSum += luma;
      skinCount += 1;
      if (y < cheekTop || y >= cheekBottom || luma < 20 || luma > 250) continue;
      const sum = red + green + blue;
      const side = direction.x * (y + 0.5 - top.y) - direction.y * (x + 0.5 - top.x) > 0 ? 1 : 0;
      cheek.push([luma, red / sum, green / sum, side]);
    }
  }
  if (skinCount < 50) return { faceBrightness: null, facePeak: null, sideLightRatio: null };
  let total = 0;
  for (const n of histogram) total += n;
  let facePeak = 255;
  for (let v = 0, seen = 0; v < 256; v += 1) {
    seen += histogram[v];
    if (seen >= 0.99 * total) {
      facePeak = v;
      break;
    }
  }
  return { faceBrightness: skinSum / skinCount, facePeak, sideLightRatio: cheekSideLight(cheek) };
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function cheekSideLight(cheek) {
  if (cheek.length < 50) return 0;
  const skinR = percentile(cheek.map((c) => c[1]), 0.5);
  const skinG = percentile(cheek.map((c) => c[2]), 0.5);
  const halves = [[], []];
  for (const [luma, r, g, side] of cheek) {
    if (Math.abs(r - skinR) < 0.035 && Math.abs(g - skinG) < 0.025) halves[side].push(luma);
  }
  if (halves[0].length < 20 || halves[1].length < 20) return 0;
  const a = percentile(halves[0], 0.7);
  const b = percentile(halves[1], 0.7);
  return Math.abs(a - b) / Math.max(1, a, b);
}

// The one thing to tell the candidate now, most actionable first, as a catalogue code
// (framing.*); null when the framing would pass every check measured here.
export function judgeFraming(faces, t) {
  if (!faces.length) return 'framing.no_face';
  if (faces.length > 1) return 'framing.one_face';
  const m = faces[0];
  if (m.faceWidthFraction < t.min_face_width_fraction) return 'framing.closer';
  if (m.faceWidthFraction > t.max_face_width_fraction) return 'framing.farther';
  if (m.centreOffsetFraction > t.max_centre_offset_fraction || m.eyeHeightFraction < t.min_eye_height_fraction || m.eyeHeightFraction > t.max_eye_height_fraction) {
    return 'framing.centre';
  }
  if (Math.abs(m.yaw) > t.max_yaw_degrees || Math.abs(m.pitch) > t.max_pitch_degrees || Math.abs(m.roll) > t.max_roll_degrees) {
    return 'framing.look_straight';
  }
  if (m.facePeak != null && m.facePeak < t.min_face_peak) return 'framing.too_dark';
  if (m.faceBrightness !== null && m.faceBrightness > t.max_face_brightness) return 'framing.too_bright';
  if (m.sideLightRatio !== null && m.sideLightRatio > t.max_side_light_ratio) return 'framing.uneven_light';
  return null;
}

// Turns per-frame verdicts into what the screen shows: a hint changes only when the new one
// held for `settle` frames in a row (no flicker), green after `settle` good frames, and
// `steadyMs` of unbroken green makes `steady` true (the optional auto-capture).
export class FramingTracker {
  constructor({ settle = 2, steadyMs = 1000 } = {}) {
    this.settle = settle;
    this.steadyMs = steadyMs;
    this.candidate = undefined;
    this.count = 0;
    this.shown = 'framing.no_face';
    this.greenSince = null;
  }

  // `code` from judgeFraming, `now` in ms. Returns { hint, green, steady }.
  push(code, now) {
    if (code === this.candidate) this.count += 1;
    else {
      this.candidate = code;
      this.count = 1;
    }
    if (this.count >= this.settle && this.shown !== code) {
      this.shown = code;
      this.greenSince = code === null ? now : null;
    }
    const green = this.shown === null;
    return { hint: this.shown, green, steady: green && now - this.greenSince >= this.steadyMs };
  }
}
