import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers; a slow cold start must not flake the suite, but a hang must still end it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
