import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers; a slow cold start must not flake the suite, but a hang must still end it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Concurrent e2e tests each start the CLI and two servers: on two cores, five at once push a sandboxed Node
    // start past the 3 s timeouts the fault tests assert on.
    maxConcurrency: 3,
    globalSetup: ['test/helpers/temp-folders.ts'],
    coverage: {
      provider: 'v8',
      // The pure core and the renderers are covered by the unit tests (`npm run coverage`); the edges by e2e runs
      // of the built CLI, which v8 coverage of this process does not see.
      include: ['src/core/**', 'src/report/**'],
      reporter: ['text-summary'],
      thresholds: { statements: 93, branches: 83, functions: 95, lines: 95 },
    },
  },
});
