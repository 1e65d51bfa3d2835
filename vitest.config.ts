import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Many end-to-end tests start several `stampede` processes (tsx start-up, a run each) in turn: on a
    // loaded 2-core machine five of them took more than 30 s (CI on 5f37148). A hang still fails.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    // Removes the runner transpile cache a test file's worker made (the pool's SIGTERM skips its 'exit' cleanup).
    setupFiles: ['src/runner/test-support/remove-runner-cache.setup.ts'],
  },
});
