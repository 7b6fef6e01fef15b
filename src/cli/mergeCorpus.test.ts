// `vpdma merge` checks each corpus entry against its content-addressed name before copying it:
// a shard's corpus damaged on the way (a CI artifact cut short, a flipped byte) is not spread.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-corpus-'));

describe('vpdma merge, corpus', () => {
  it('leaves out a corpus entry whose bytes no longer match its name, saying so', async () => {
    const args = ['--runs', '120', '--target', 'model', '--workers', '1', '--quiet'];
    const s1 = join(dir, 's1');
    const s2 = join(dir, 's2');
    expect((await run(['nightly', '--out', s1, '--shard', '1/2', ...args])).code).toBe(0);
    expect((await run(['nightly', '--out', s2, '--shard', '2/2', ...args])).code).toBe(0);
    const whole = join(dir, 'merged-before');
    expect((await run(['merge', s1, s2, '--out', whole])).code).toBe(0);
    const before = readdirSync(join(whole, 'corpus')).sort();
    // An entry the merge takes from shard 1 alone.
    const second = new Set(readdirSync(join(s2, 'corpus')));
    const victim = readdirSync(join(s1, 'corpus'))
      .sort()
      .find((f) => before.includes(f) && !second.has(f));
    if (victim === undefined) throw new Error('no corpus entry comes from shard 1 alone');
    const path = join(s1, 'corpus', victim);
    const bytes = readFileSync(path);
    const last = bytes.length - 1;
    bytes[last] = (bytes[last] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const merged = join(dir, 'merged');
    const r = await run(['merge', s1, s2, '--out', merged]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(
      `vpdma merge: ${path}: damaged (its bytes do not match its name); not copied\n`,
    );
    expect(readdirSync(join(merged, 'corpus')).sort()).toEqual(before.filter((f) => f !== victim));
  });
});
