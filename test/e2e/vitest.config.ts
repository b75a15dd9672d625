import { defineConfig } from 'vitest/config';

// End-to-end in Debian's Chromium: the demo app, the SDK and the hub, all real.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
