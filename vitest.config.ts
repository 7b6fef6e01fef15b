import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { sharedTestFiles } from './test/support/testProjects.js';

const include = [
  'src/**/*.test.ts',
  'scripts/**/*.test.ts',
  'test/**/*.test.ts',
  'examples/**/*.test.ts',
];
/** What both projects set alike (an inline project inherits nothing from this file). */
const common = {
  setupFiles: ['./vitest.setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};
// Unit test files that leave nothing behind run one after another in a worker that keeps its
// modules (isolate: false): each saves its imports. Which ones: test/support/testProjects.ts.
const shared = sharedTestFiles(path.dirname(fileURLToPath(import.meta.url)));

export default defineConfig({
  test: {
    include,
    // buildDist first: it rebuilds dist/ if the source is newer (tests run the built workers).
    globalSetup: ['./test/buildDist.ts', './test/buildCTarget.ts', './test/tempRoot.ts'],
    // Two test files at once even on 2 cores (vitest's default there is one): most files wait on
    // child processes, worker pools and timeouts, so a second file fills the idle core. The whole
    // suite on the 2-core CI machine: 882 s with one, 756 s with two (BENCHMARKS.md, "Tests").
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          ...common,
          name: 'isolated',
          include,
          exclude: [...configDefaults.exclude, ...shared],
        },
      },
      { test: { ...common, name: 'shared', include: shared, isolate: false } },
    ],
  },
});
