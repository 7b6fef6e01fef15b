// docs/library.md's examples, run as a user runs them: each block written to a file in a
// project outside this repository, where `vpdma` is installed as `npm install /path/to/vpdma`
// installs it (a link in node_modules), and run by node from there; the last line it prints
// is what its last comment says. Outside, a path relative to the repository would not resolve.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/library.md'), 'utf8');
const blocks = [...doc.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');

describe("docs/library.md's examples", () => {
  let project = '';
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'vpdma-library-doc-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(root, join(project, 'node_modules', 'vpdma'), 'dir');
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('are there: replaying, minimizing and fuzzing', () => {
    expect(blocks.length).toBe(3);
    expect(blocks[0]).toContain('replayTrace(');
    expect(blocks[1]).toContain('minimizeTrace(');
    expect(blocks[2]).toContain('fuzzTarget(');
  });

  it('report a trace that cannot be read with its file name (formatTraceError)', () => {
    for (const block of blocks.filter((b) => b.includes('readTrace('))) {
      expect(block).toContain('formatTraceError(');
      expect(block).not.toContain('.error.message');
    }
  });

  it.each(blocks.map((b, i) => [i, b] as const))(
    'block %i runs as written, outside the repository',
    (_, block) => {
      expect(block).toContain("from 'vpdma'");
      const said = /\/\/ ([^\n]*)\n$/.exec(block)?.[1];
      expect(said).toBeDefined();
      const file = join(project, 'example.mjs');
      writeFileSync(file, block);
      const r = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n').at(-1)).toBe(said);
    },
  );
});
