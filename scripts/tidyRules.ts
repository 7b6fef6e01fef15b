// The rules of scripts/tidy.ts, as a function of a file's name and text (tested in tidy.test.ts).
// Checks lint cannot express well (after TigerBeetle's tidy.zig): no focused or skipped tests,
// no randomness or wall clock in the pure core, no stray console output in library code, and
// no file longer than linesMax.

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  readonly applies: (file: string) => boolean;
}

const isTest = (f: string): boolean => /\.test\.ts$/.test(f);
const pure = (f: string): boolean => /^src\/(model|core|minimize)\//.test(f) && !isTest(f);
/** A test API, with any modifiers between it and the one named: it.only, test.concurrent.only. */
const testApi = (names: string): RegExp =>
  new RegExp(`\\b(it|test|describe|suite)(\\.\\w+)*\\.(${names})\\b`);

const RULES: readonly Rule[] = [
  { name: 'focused test (.only)', pattern: testApi('only'), applies: isTest },
  {
    // skipIf and runIf skip a test on a condition; fails passes when the body fails.
    name: 'skipped test (.skip / .todo / .skipIf / .runIf / .fails)',
    pattern: testApi('skip|todo|skipIf|runIf|fails'),
    applies: isTest,
  },
  {
    name: 'Math.random (use the seeded Rng)',
    pattern: /Math\.random\(/,
    applies: (f) => f.startsWith('src/'),
  },
  {
    name: 'wall clock in the pure core',
    pattern: /\b(Date\.now|performance\.now|new Date)\(/,
    applies: pure,
  },
  {
    name: 'timer in the pure core',
    pattern: /\b(setTimeout|setInterval|setImmediate)\(/,
    applies: pure,
  },
  {
    name: 'console output in library code',
    pattern: /\bconsole\.(log|error|warn)\(/,
    applies: (f) => f.startsWith('src/') && !isTest(f),
  },
];

export const linesMax = 400;

/** Where tidy looks: every directory vitest takes tests from (vitest.config.ts), and scripts. */
export const TIDY_DIRS = ['src', 'scripts', 'examples', 'test'];

/** The problems in one file (`file` relative to the repository, with forward slashes). */
export function tidyProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  if (lines.length > linesMax)
    problems.push(`${file}: ${lines.length} lines (at most ${linesMax}: split it by concept)`);
  lines.forEach((line, i) => {
    for (const r of RULES)
      if (r.applies(file) && r.pattern.test(line)) problems.push(`${file}:${i + 1}: ${r.name}`);
  });
  return problems;
}
