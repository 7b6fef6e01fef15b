// The build revision: which build of vpdma made a report. vpdmaVersion changes only on a
// release and modelRevision only with the call table, but the cases a seed makes and what they
// find also depend on the generator and the model's code and on the fast-check and pure-rand
// that are loaded (package.json takes caret ranges). So the revision hashes the CLI's and the
// workers' bundles `npm run build` writes (scripts/bundle.ts: every line of vpdma's code a run
// executes, in the main thread and in the workers; not the library's bundle, which a module
// target may load as its own code) with the versions of those two packages as Node resolves
// them. The bundles hold no path of the checkout, so one commit built with the same lockfile
// gives one revision on every machine; any change to the code, or another fast-check or
// pure-rand, gives another. Computed once per process, when first asked for (a few ms).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The CLI's and its workers' bundles (scripts/bundle.ts), relative to the package root. */
export const BUNDLES = [
  'dist/cli/entry.bundle.js',
  'dist/fuzz/worker.bundle.js',
  'dist/replay/worker.bundle.js',
] as const;

/** Two levels up from both src/cli and dist/cli. */
const ROOT = new URL('../../', import.meta.url);

function versionAt(packageJson: string): string {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * "fast-check@4.11.0", "pure-rand@8.4.2" as loaded from `from` (a file URL or path), and the
 * pure-rand fast-check itself loads when that is another copy; "NAME@missing" when not found.
 */
export function libraryVersions(from: string | URL = import.meta.url): string[] {
  const req = createRequire(from);
  const find = (r: NodeJS.Require, name: string): string | undefined => {
    try {
      return r.resolve(`${name}/package.json`);
    } catch {
      return undefined;
    }
  };
  const fc = find(req, 'fast-check');
  const rand = find(req, 'pure-rand');
  const fcRand = fc === undefined ? undefined : find(createRequire(fc), 'pure-rand');
  const named = (name: string, at: string | undefined): string =>
    `${name}@${at === undefined ? 'missing' : versionAt(at)}`;
  return [
    named('fast-check', fc),
    named('pure-rand', rand),
    ...(fcRand !== undefined && fcRand !== rand
      ? [`${named('pure-rand', fcRand)} (fast-check's)`]
      : []),
  ];
}

/**
 * The revision of the build under `root` with these library versions: 12 hex digits of a
 * SHA-256 over each bundle's name, length and bytes (a missing bundle counts as missing, so an
 * unbuilt checkout still has one revision) and the versions.
 */
export function computeBuildRevision(root: URL, versions: readonly string[]): string {
  const h = createHash('sha256');
  for (const file of BUNDLES) {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(fileURLToPath(new URL(file, root)));
    } catch {
      bytes = undefined;
    }
    h.update(`${file} ${bytes === undefined ? 'missing' : bytes.length}\n`);
    if (bytes !== undefined) h.update(bytes);
  }
  for (const v of versions) h.update(`${v}\n`);
  return h.digest('hex').slice(0, 12);
}

let cached: string | undefined;

/** This process's build revision (see the top of this file). */
export function buildRevision(): string {
  cached ??= computeBuildRevision(ROOT, libraryVersions());
  return cached;
}
