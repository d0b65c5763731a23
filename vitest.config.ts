import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web console's modules (tested in test/web/) import src/shared as @shared/*, as in web/vite.config.ts.
  resolve: { alias: { '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)) } },
  test: {
    // test/e2e drives Chromium against a real service; each file gives its own setup timeout (harness.ts).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Password hashing (scrypt) and the start/stop of real processes take real time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
