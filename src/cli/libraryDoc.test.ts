// docs/library.md's examples, run as a user runs them: each block written to a file inside
// this repository (where `vpdma` resolves to it) and run by node; the last line it prints is
// what its last comment says.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/library.md'), 'utf8');
const blocks = [...doc.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');

describe("docs/library.md's examples", () => {
  it('are there: replaying, minimizing and fuzzing', () => {
    expect(blocks.length).toBe(3);
    expect(blocks[0]).toContain('replayTrace(');
    expect(blocks[1]).toContain('minimizeTrace(');
    expect(blocks[2]).toContain('fuzzTarget(');
  });

  it.each(blocks.map((b, i) => [i, b] as const))('block %i runs as written', (_, block) => {
    expect(block).toContain("from 'vpdma'");
    const said = /\/\/ ([^\n]*)\n$/.exec(block)?.[1];
    expect(said).toBeDefined();
    // Inside the repository, so that the package name resolves to it (the example says so).
    const dir = mkdtempSync(join(root, '.readme-example-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, block);
      const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n').at(-1)).toBe(said);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
