import { defineConfig } from 'vite';

// `npm run dev -w packages/ui` serves the UI with hot reload and forwards API calls to a local
// Ensign server (ENSIGN_URL, default http://127.0.0.1:8080). The production build is
// scripts/build-ui.ts, which uses this same file.

const target = process.env['ENSIGN_URL'] ?? 'http://127.0.0.1:8080';
const api = { target, changeOrigin: true };

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', assetsInlineLimit: 0, reportCompressedSize: true },
  server: {
    proxy: { '/api': api, '/evaluate': api, '/meta': api, '/auth': api, '/internal': api },
  },
});
