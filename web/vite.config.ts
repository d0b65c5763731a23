/**
 * The web console's build: web/ → dist/web/ (scripts/ensure-build.mjs points outDir into
 * dist.new/ so the server and the console are replaced together). `@shared/*` is src/shared,
 * the one part of the server the console may import (pure, no Node modules).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@shared': here('../src/shared') } },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    // Hashed file names under /assets/ are served with year-long cache headers (src/api/routes/web-console.ts).
    assetsDir: 'assets',
    // No source maps: the service would serve the console's source to anyone (docs/security.md).
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `vite web` during development: the API of a Stellar running on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080', '/readyz': 'http://127.0.0.1:8080' },
  },
});
