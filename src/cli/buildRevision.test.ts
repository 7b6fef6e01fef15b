// The build revision: the same for the same bundles and libraries wherever they lie, another
// for one byte of code or another fast-check or pure-rand.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLES, buildRevision, computeBuildRevision, libraryVersions } from './buildRevision.js';

const ROOT = join(import.meta.dirname, '../..');

/** A directory holding copies of this checkout's bundles, as a file URL ending in '/'. */
function copyOfBuild(): URL {
  const to = mkdtempSync(join(tmpdir(), 'vpdma-build-'));
  for (const b of BUNDLES) {
    mkdirSync(dirname(join(to, b)), { recursive: true });
    cpSync(join(ROOT, b), join(to, b));
  }
  return pathToFileURL(`${to}/`);
}

describe('buildRevision', () => {
  it('is 12 hex digits, the same on every call, and names the libraries loaded', () => {
    expect(buildRevision()).toMatch(/^[0-9a-f]{12}$/);
    expect(buildRevision()).toBe(buildRevision());
    const req = createRequire(import.meta.url);
    const version = (name: string): string =>
      (JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8')) as { version: string })
        .version;
    expect(libraryVersions()).toEqual([
      `fast-check@${version('fast-check')}`,
      `pure-rand@${version('pure-rand')}`,
    ]);
  });

  it('depends on the bundles bytes and the libraries, not on where the build lies', () => {
    const a = copyOfBuild();
    const b = copyOfBuild();
    const libs = libraryVersions();
    expect(computeBuildRevision(a, libs)).toBe(buildRevision());
    expect(computeBuildRevision(b, libs)).toBe(buildRevision());
    // One byte of generator code.
    const worker = new URL('dist/fuzz/worker.bundle.js', b);
    const code = readFileSync(worker);
    code.writeUInt8((code.at(-2) ?? 0) ^ 1, code.length - 2);
    writeFileSync(worker, code);
    expect(computeBuildRevision(b, libs)).not.toBe(buildRevision());
    // Another fast-check.
    const other = libs.map((l) => (l.startsWith('fast-check@') ? 'fast-check@4.0.0' : l));
    expect(computeBuildRevision(a, other)).not.toBe(buildRevision());
  });

  it('has a revision for a checkout not built, another than a built one', () => {
    const empty = pathToFileURL(`${mkdtempSync(join(tmpdir(), 'vpdma-unbuilt-'))}/`);
    expect(computeBuildRevision(empty, libraryVersions())).toMatch(/^[0-9a-f]{12}$/);
    expect(computeBuildRevision(empty, libraryVersions())).not.toBe(buildRevision());
  });
});
