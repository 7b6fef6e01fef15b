// Runs the checks of tidyRules.ts over every .ts file under TIDY_DIRS. Prints every problem as
// file:line and exits 1 if there is any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TIDY_DIRS, tidyProblems } from './tidyRules.js';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
}

const root = process.cwd();
const files: string[] = [];
for (const d of TIDY_DIRS) walk(join(root, d), files);
const problems: string[] = [];
for (const abs of files.sort()) {
  const file = relative(root, abs).replaceAll('\\', '/');
  problems.push(...tidyProblems(file, readFileSync(abs, 'utf8')));
}
for (const p of problems) process.stderr.write(`tidy: ${p}\n`);
process.stdout.write(`tidy: ${files.length} files, ${problems.length} problems\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
