import { defineConfig } from 'vitest/config';

// The hub API contract suite against the Workers build in real workerd.
export default defineConfig({
  test: {
    include: ['test/workerd/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
