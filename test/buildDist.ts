// vitest globalSetup: the tests that run built code (the worker bundles, bin/vpdma.js,
// dist/cli/interrupt.js) must not pass against a build older than the source. When a build
// input (src/ but its tests and benchmarks, scripts/bundle.ts, the tsconfigs, package.json)
// is newer than the build's bundles, or a bundle is missing, this runs `npm run build` (about
// 10 s) before any test file; if that fails, the run stops with "dist/ is stale: run npm run
// build". After `npm test`'s own build nothing is newer, so it never builds twice.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What `npm run build` writes last (scripts/bundle.ts): the build's age is theirs. */
export const BUILD_OUTPUTS = [
  'dist/cli/entry.bundle.js',
  'dist/fuzz/worker.bundle.js',
  'dist/replay/worker.bundle.js',
  'dist/lib/index.bundle.js',
];
const INPUT_FILES = ['scripts/bundle.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** tsconfig.build.json leaves these out of dist/. */
const notBuilt = (name: string): boolean => /\.(test|bench)\.ts$/.test(name);

function* sourceFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(p);
    else if (!notBuilt(e.name)) yield p;
  }
}

/** Why dist/ under `root` is older than its source (a file newer than the build), or undefined. */
export function staleBecause(root: string): string | undefined {
  let built = Number.POSITIVE_INFINITY;
  for (const out of BUILD_OUTPUTS) {
    try {
      built = Math.min(built, statSync(path.join(root, out)).mtimeMs);
    } catch {
      return `${out} is missing`;
    }
  }
  const inputs = [
    ...sourceFiles(path.join(root, 'src')),
    ...INPUT_FILES.map((f) => path.join(root, f)),
  ];
  for (const file of inputs) {
    if (statSync(file).mtimeMs > built)
      return `${path.relative(root, file)} is newer than the build`;
  }
  return undefined;
}

export default function setup(): void {
  const why = staleBecause(ROOT);
  if (why === undefined) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    const out = `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`.trim();
    throw new Error(
      `dist/ is stale: run npm run build (${why}; rebuilding failed: ${out || err.message})`,
    );
  }
  const still = staleBecause(ROOT);
  if (still !== undefined) throw new Error(`dist/ is stale: run npm run build (${still})`);
}
