// The stale-build check of test/buildDist.ts (vitest's globalSetup), on a made-up tree.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_OUTPUTS, staleBecause } from './buildDist.js';

const root = mkdtempSync(path.join(tmpdir(), 'vpdma-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `file` under root with its mtime `seconds` after the epoch. */
function at(file: string, seconds: number): void {
  const p = path.join(root, file);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, '');
  utimesSync(p, seconds, seconds);
}

describe('staleBecause', () => {
  const inputs = [
    'src/cli/main.ts',
    'src/deep/er/module.ts',
    'scripts/bundle.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'package.json',
  ];

  it('names a missing bundle, then any build input newer than the oldest bundle', () => {
    for (const f of inputs) at(f, 1000);
    expect(staleBecause(root)).toBe('dist/cli/entry.bundle.js is missing');
    BUILD_OUTPUTS.forEach((f, i) => at(f, 2000 + i));
    expect(staleBecause(root)).toBeUndefined();
    for (const f of inputs) {
      // Newer than one bundle is enough: the build that wrote it did not see this file.
      at(f, 2001);
      expect(staleBecause(root), f).toBe(`${f} is newer than the build`);
      at(f, 1000);
      expect(staleBecause(root), f).toBeUndefined();
    }
  });

  it('ignores tests and benchmarks, which dist/ does not hold', () => {
    at('src/cli/main.test.ts', 9000);
    at('src/fuzz/run.bench.ts', 9000);
    expect(staleBecause(root)).toBeUndefined();
    at('src/fuzz/run.ts', 9000);
    expect(staleBecause(root)).toBe('src/fuzz/run.ts is newer than the build');
  });
});
