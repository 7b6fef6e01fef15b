// `vpdma merge` stopped by Ctrl-C while it copies the corpus: it says so as the other commands
// do, copies no more entries, writes the reports (marked interrupted: a partial corpus, and
// nothing marked fixed) and leaves no temporary file; exit 130. The built CLI, a real signal.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptCli, runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-interrupt-'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every file under `d`, hidden ones too, relative to it. */
function allFiles(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('vpdma merge, interrupted', () => {
  it('stops copying the corpus, writes reports marked interrupted, exits 130', async () => {
    const args = ['--runs', '20', '--target', 'model', '--workers', '1', '--quiet'];
    const s1 = join(dir, 's1');
    const s2 = join(dir, 's2');
    expect((await run(['nightly', '--out', s1, '--shard', '1/2', ...args])).code).toBe(0);
    expect((await run(['nightly', '--out', s2, '--shard', '2/2', ...args])).code).toBe(0);
    // A big corpus, so that copying it takes long enough to be interrupted.
    const trace = readFileSync(join(import.meta.dirname, '../../corpus/events.jsonl'));
    const bulk = 4000;
    for (let i = 0; i < bulk; i++)
      writeFileSync(join(s1, 'corpus', `bulk-${String(i).padStart(5, '0')}.jsonl`), trace);
    const out = join(dir, 'merged');
    const r = await interruptCli(['merge', s1, s2, '--out', out], async (err) => {
      // Bounded: a merge that never says so is sent the signal all the same, and fails below.
      for (let t = 0; t < 3000 && !err().includes('corpus entries'); t++) await sleep(5);
    });
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(/vpdma: SIGINT: finishing up/);
    expect(r.err).toMatch(/vpdma merge: interrupted: \d+ of \d+ corpus entries copied/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      interrupted: boolean;
    };
    expect(report.interrupted).toBe(true);
    for (const f of ['junit.xml', 'results.sarif', 'report.html'])
      expect(readdirSync(out)).toContain(f);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(out, 'corpus')).length).toBeLessThan(bulk);
  }, 60_000);
});
