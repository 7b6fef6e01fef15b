// README's library example, run as a user runs it: the block written to a file inside this
// repository (where `vpdma` resolves to it) and run by node; what it prints is what it says.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Using vpdma as a library'));
const block = /^```js\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? '';

describe("README's library example", () => {
  it('runs as written and prints what its comment says', () => {
    expect(block).toContain("from 'vpdma'");
    const said = /\/\/ (pass \d+ \d+)\n$/.exec(block)?.[1];
    expect(said).toBeDefined();
    // Inside the repository, so that the package name resolves to it (the example says so).
    const dir = mkdtempSync(join(root, '.readme-example-'));
    try {
      const file = join(dir, 'check.mjs');
      writeFileSync(file, block);
      const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(said);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
