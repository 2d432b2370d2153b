// Build of the candidate app. Vant components are imported on demand (only what a screen
// uses ends up in its chunk) and screens are lazy routes, so the first screen stays small
// on a weak phone network. The target keeps WeChat's built-in browser (Safari 12 / old
// Chromium kernels) working.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { VantResolver } from '@vant/auto-import-resolver';

const apiTarget = process.env.EXAMPHOTO_API || 'http://127.0.0.1:8080';

// Vant's icon font is inlined as woff2 and also names a CDN copy as a fallback for old
// browsers; every browser we target reads woff2, and nothing may load from a CDN.
function dropCdnFonts() {
  return {
    name: 'examphoto-drop-cdn-fonts',
    generateBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'asset' && file.fileName.endsWith('.css')) {
          file.source = String(file.source).replace(/,\s*url\((?:https?:)?\/\/[^)]*\)\s*format\([^)]*\)/g, '');
        }
      }
    },
  };
}

// The camera's face guidance uses face-api's un-bundled build over TF.js core + the
// WebAssembly backend only (src/guidance/tf-slim.js says why).
const guidanceAliases = [
  { find: '@tensorflow/tfjs/dist/index.js', replacement: fileURLToPath(new URL('./src/guidance/tf-slim.js', import.meta.url)) },
  { find: '@tensorflow/tfjs-backend-webgl/dist/index.js', replacement: fileURLToPath(new URL('./src/guidance/no-webgl.js', import.meta.url)) },
];

export default defineConfig({
  base: '/',
  plugins: [vue(), Components({ dts: false, resolvers: [VantResolver()] }), dropCdnFonts()],
  resolve: { alias: guidanceAliases },
  worker: { format: 'iife' },
  build: {
    target: ['es2018', 'safari12', 'chrome64'],
    cssTarget: ['safari12', 'chrome64'],
    assetsInlineLimit: 4096,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': apiTarget } },
  preview: { proxy: { '/api': apiTarget } },
});
