import { defineConfig } from 'vitest/config';

// Unit and integration tests beside the code. End-to-end (Chromium) and workerd suites have their own configs.
export default defineConfig({
  test: {
    include: ['{shared,hub,edge-sdk}/src/**/*.test.ts', 'hub/test/**/*.test.ts', 'test/api/**/*.test.ts', 'test/cli/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
