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
  },
});
