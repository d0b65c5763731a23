import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Password hashing (scrypt) and the start/stop of real processes take real time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
