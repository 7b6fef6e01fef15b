// Type-aware lint plus the architecture's import boundaries (DESIGN.md "Shape").
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBan = {
  group: ['node:*', 'fs', 'path', 'os', 'crypto', 'worker_threads', 'child_process'],
  message: 'src/model and src/core are pure: no I/O.',
};
const libBan = (names) => names.map((name) => ({ name, message: `${name} is not allowed here.` }));
const impureProps = [
  { object: 'Math', property: 'random', message: 'Use the seeded Rng (src/core/rng.ts).' },
  { object: 'Date', property: 'now', message: 'The model counts ticks, not wall time.' },
  { object: 'globalThis', property: 'setTimeout', message: 'The model counts ticks.' },
  { object: 'performance', property: 'now', message: 'The model counts ticks.' },
];
const upward = (dirs) => dirs.map((d) => `**/${d}/**`);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-check/**',
      'node_modules/**',
      'coverage/**',
      'vpdma-out/**',
      '.readme-example-*/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // File length is tidy's (scripts/tidyRules.ts linesMax, over raw lines): no max-lines here.
      'max-len': [
        'error',
        {
          code: 100,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Only the trace codec speaks msgpack (STYLE lesson 8). Listed before the per-directory
    // blocks, which replace this rule for their files and repeat the ban themselves.
    files: ['src/**/*.ts'],
    ignores: ['src/trace/codec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: libBan(['msgpackr']) }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/model/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBan,
            {
              group: upward(['trace', 'replay', 'fuzz', 'minimize', 'report', 'store', 'cli']),
              message: 'Imports go downward only.',
            },
          ],
          paths: libBan(['piscina', 'msgpackr', 'fast-check', 'commander', 'cli-progress']),
        },
      ],
      'no-restricted-properties': ['error', ...impureProps],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
    },
  },
  {
    files: ['src/trace/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/trace/*Arbitrary.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['replay', 'fuzz', 'minimize', 'report', 'store', 'cli']),
              message: 'Imports go downward only.',
            },
          ],
          paths: libBan(['piscina', 'fast-check', 'msgpackr']),
        },
      ],
    },
  },
  {
    files: ['src/trace/codec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['replay', 'fuzz', 'minimize', 'report', 'store', 'cli']),
              message: 'Imports go downward only.',
            },
          ],
          paths: libBan(['piscina', 'fast-check']),
        },
      ],
    },
  },
  {
    // Test support: arbitraries for property tests anywhere; fast-check, but still no msgpackr.
    files: ['src/trace/*Arbitrary.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['replay', 'fuzz', 'minimize', 'report', 'store', 'cli']),
              message: 'Imports go downward only.',
            },
          ],
          paths: libBan(['piscina', 'msgpackr']),
        },
      ],
    },
  },
  {
    files: ['src/minimize/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBan,
            {
              group: upward(['replay', 'fuzz', 'report', 'store', 'cli']),
              message: 'The minimizer is pure orchestration around a predicate.',
            },
          ],
          paths: libBan(['piscina', 'msgpackr']),
        },
      ],
    },
  },
  {
    files: ['src/replay/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/replay/pool.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // store sits beside trace (file I/O for traces); workers read trace files through it.
          patterns: [
            {
              group: upward(['fuzz', 'minimize', 'report', 'cli']),
              message: 'Imports go downward only.',
            },
          ],
          paths: libBan(['piscina', 'msgpackr']),
        },
      ],
    },
  },
  {
    // store is the file I/O for traces, the corpus and outputs: it sits beside trace, below
    // replay (whose workers read trace files through it), so it imports nothing above it.
    files: ['src/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['replay', 'fuzz', 'minimize', 'report', 'cli']),
              message: 'store sits beside trace: imports go downward only.',
            },
          ],
          paths: libBan(['piscina', 'msgpackr']),
        },
      ],
    },
  },
  {
    // Reports are built from results in memory; the CLI reads and writes their files.
    files: ['src/report/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['cli', 'store']),
              message: 'Reports are built in memory: the CLI reads and writes them.',
            },
          ],
          paths: libBan(['piscina', 'msgpackr']),
        },
      ],
    },
  },
  {
    // Generation must depend only on (seed, case index, base corpus): randomness comes from
    // the seeded Rng or fast-check's seeded Random, never the global one or the clock.
    files: ['src/fuzz/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upward(['minimize', 'report', 'cli']),
              message: 'Imports go downward only (the CLI injects the minimizer).',
            },
          ],
          paths: libBan(['piscina', 'msgpackr']),
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng (src/core/rng.ts).' },
        { object: 'Date', property: 'now', message: 'Cases depend on (seed, index) only.' },
      ],
    },
  },
  prettier,
);
