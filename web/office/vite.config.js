// Build of the office console: a desktop app served by examphoto under /office/. Everything
// is bundled from npm (no CDN); the API is proxied to a local server in development.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const apiTarget = process.env.EXAMPHOTO_API || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/office/',
  plugins: [vue()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': apiTarget } },
});
