import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/**/*.test.ts',
    ],
    setupFiles: ['./vitest.setup.ts'],
    // buildDist first: it rebuilds dist/ if the source is newer (tests run the built workers).
    globalSetup: ['./test/buildDist.ts', './test/buildCTarget.ts', './test/tempRoot.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at once even on 2 cores (vitest's default there is one): most files wait on
    // child processes, worker pools and timeouts, so a second file fills the idle core. The whole
    // suite on the 2-core CI machine: 882 s with one, 756 s with two (BENCHMARKS.md, "Tests").
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
