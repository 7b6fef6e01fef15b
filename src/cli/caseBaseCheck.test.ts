// --case after a run into the same --out: the run kept cases in OUT/corpus, so case N is
// regenerated from another corpus than the run's. Said, rather than writing another case
// silently; not said when the corpus is the one the run started from, or the seed another.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-casebase-'));

describe('vpdma fuzz --case into a run’s --out', () => {
  it('warns when the run started from another corpus, the same seed', async () => {
    const out = join(dir, 'run');
    const corpus = join(dir, 'start');
    const run = await runCli(['fuzz', '--seed', '3', '--runs', '20', '--out', out, '--quiet']);
    expect(run.code, run.err).toBe(0);
    const { base, kept } = (
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        corpus: { base: number; kept: number };
      }
    ).corpus;
    // The run kept cases in OUT/corpus: the base case 0 comes from now is bigger.
    expect(kept).toBeGreaterThan(0);
    const again = await runCli(['fuzz', '--seed', '3', '--case', '0', '--out', out]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain(
      `vpdma: warning: ${join(out, 'report.json')}: that run (seed=3) started from ${base} corpus entries, this case from ${base + kept} (a run keeps its new cases in --corpus, default OUT/corpus), so case 0 here is not that run's case 0`,
    );
    // The corpus the run started from (an empty --corpus): the run's own case 0, no warning.
    const same = await runCli([
      'fuzz',
      '--seed',
      '3',
      '--case',
      '0',
      '--out',
      out,
      '--corpus',
      corpus,
    ]);
    expect(same.code, same.err).toBe(0);
    expect(same.err).not.toContain('warning');
    // Another seed is another campaign: nothing to compare.
    const other = await runCli(['fuzz', '--seed', '4', '--case', '0', '--out', out]);
    expect(other.err).not.toContain('warning');
    // No report (a fresh --out): nothing to compare either.
    const fresh = await runCli(['fuzz', '--seed', '3', '--case', '0', '--out', join(dir, 'f')]);
    expect(fresh.err).not.toContain('warning');
  });
});
