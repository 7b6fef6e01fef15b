// Checks lint cannot express well (after TigerBeetle's tidy.zig): no focused or skipped tests,
// no randomness or wall clock in the pure core, no stray console output in library code.
// Prints every problem as file:line and exits 1 if there is any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  readonly applies: (file: string) => boolean;
}

const isTest = (f: string): boolean => /\.test\.ts$/.test(f);
const pure = (f: string): boolean => /^src\/(model|core|minimize)\//.test(f) && !isTest(f);

const RULES: readonly Rule[] = [
  { name: 'focused test (.only)', pattern: /\b(it|test|describe)\.only\(/, applies: isTest },
  {
    name: 'skipped test (.skip / .todo)',
    pattern: /\b(it|test|describe)\.(skip|todo)\(/,
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

const linesMax = 400;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
}

const root = process.cwd();
const files: string[] = [];
for (const d of ['src', 'scripts']) walk(join(root, d), files);
const problems: string[] = [];
for (const abs of files.sort()) {
  const file = relative(root, abs).replaceAll('\\', '/');
  const lines = readFileSync(abs, 'utf8').split('\n');
  if (lines.length > linesMax)
    problems.push(`${file}: ${lines.length} lines (at most ${linesMax}: split it by concept)`);
  lines.forEach((text, i) => {
    for (const r of RULES)
      if (r.applies(file) && r.pattern.test(text)) problems.push(`${file}:${i + 1}: ${r.name}`);
  });
}
for (const p of problems) process.stderr.write(`tidy: ${p}\n`);
process.stdout.write(`tidy: ${files.length} files, ${problems.length} problems\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
