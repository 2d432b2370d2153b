// A scripted camera for the browser tests and the guidance benchmark: getUserMedia answers
// with a canvas stream in which a real face (cut from a face-api demo photo) is drawn at the
// framing the test asks for — window.__cameraScene = {scale, dx, dy, light} — so a test can
// move the "candidate" and watch the guidance react, with events rather than sleeps.
import fs from 'node:fs';
import path from 'node:path';
import { FACE_DEMO_DIR, PORTRAITS } from './harness.mjs';

// Head-and-shoulders crop of one demo person, as a data URL, and a 720×1280 portrait stream.
export async function installSceneCamera(page, which = 'first') {
  const spec = PORTRAITS[which];
  const source = fs.readFileSync(path.join(FACE_DEMO_DIR, 'sample' + spec.sample + '.jpg')).toString('base64');
  await page.addInitScript(
    ({ source, spec }) => {
      const width = 720;
      const height = 1280;
      window.__cameraScene = { scale: 1, dx: 0, dy: 0, light: 1 };
      const image = new Image();
      image.src = 'data:image/jpeg;base64,' + source;
      const draw = (context) => {
        const scene = window.__cameraScene;
        context.fillStyle = 'rgb(' + Math.round(200 * scene.light) + ',' + Math.round(205 * scene.light) + ',' + Math.round(210 * scene.light) + ')';
        context.fillRect(0, 0, width, height);
        if (!image.complete || !image.naturalWidth) return;
        // The crop's face centre goes to (360 + dx, 470 + dy); scale 1 fills the width.
        const cropWidth = spec.width / scene.scale;
        const left = spec.centre[0] - cropWidth / 2;
        const top = spec.centre[1] - (470 + scene.dy) * (cropWidth / width);
        if (scene.light !== 1) context.filter = 'brightness(' + scene.light + ')';
        context.drawImage(image, left, top, cropWidth, (cropWidth * height) / width, scene.dx, 0, width, height);
        context.filter = 'none';
      };
      navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        const context = canvas.getContext('2d');
        await image.decode().catch(() => {});
        // Redrawn when the scene changes, and four times a second to keep the stream going:
        // painting a 720×1280 canvas 60 times a second in software would take the CPU the
        // page under test needs (a phone's camera frames cost its CPU nothing).
        let drawn = '';
        let drawnAt = 0;
        const tick = () => {
          const now = performance.now();
          const key = JSON.stringify(window.__cameraScene);
          if (key !== drawn || now - drawnAt > 250) {
            draw(context);
            drawn = key;
            drawnAt = now;
          }
          requestAnimationFrame(tick);
        };
        tick();
        return canvas.captureStream(30);
      };
    },
    { source, spec },
  );
}

// Sets the scene; resolves after the page has drawn it at least once.
export async function setScene(page, scene) {
  await page.evaluate((next) => {
    Object.assign(window.__cameraScene, next);
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }, scene);
}

export const SCENES = {
  good: { scale: 1, dx: 0, dy: 0, light: 1 },
  far: { scale: 0.3, dx: 0, dy: 0, light: 1 },
  offCentre: { scale: 1, dx: 250, dy: 0, light: 1 },
  dark: { scale: 1, dx: 0, dy: 0, light: 0.3 },
};
