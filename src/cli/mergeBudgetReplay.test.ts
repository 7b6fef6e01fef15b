// `vpdma merge` and nightly's --budget-replay: shards run with different budgets are refused,
// as for the other recorded options; the merged report's budget warning is the merged run's
// (the traces no shard replayed), not one shard's copied as if it applied to the whole.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notReplayedWarning } from '../report/nightlyBuild.js';
import type { NotReplayed } from '../report/nightlySchema.js';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  corpus: { budgetReplay?: string; notReplayed?: NotReplayed[]; traces: unknown[] };
  fuzzDetail: { warnings: string[] };
}
const reportOf = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

const night = async (out: string, shard: string, budget: string): Promise<void> => {
  const args = ['--runs', '6', '--workers', '1', '--quiet', '--budget-replay', budget];
  const r = await run(['nightly', '--shard', shard, '--out', out, ...args]);
  expect(r.code, r.err).toBe(0);
};

const s1 = join(dir, 's1');
const s2 = join(dir, 's2');
const s2long = join(dir, 's2-long');

beforeAll(async () => {
  await night(s1, '1/2', '1ms');
  await night(s2, '2/2', '1ms');
  await night(s2long, '2/2', '10m');
}, 120_000);

/** The warnings about --budget-replay in a report's fuzzDetail. */
const budgetWarnings = (r: Report): string[] =>
  r.fuzzDetail.warnings.filter((w) => w.includes('--budget-replay'));

describe('vpdma merge and --budget-replay', () => {
  it('refuses shards run with different budgets, naming both', async () => {
    const r = await run(['merge', s1, s2long, '--out', join(dir, 'refused')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `vpdma: merge: ${s2long} has --budget-replay "10m", ${s1} has "1ms": not shards of one run\n`,
    );
  });

  it("warns of the traces no shard replayed, once, as the merged run's", async () => {
    const skipped = reportOf(s1).corpus.notReplayed ?? [];
    expect(skipped.length).toBeGreaterThan(0);
    expect(budgetWarnings(reportOf(s1))).toEqual([notReplayedWarning('1ms', skipped)]);
    const out = join(dir, 'merged');
    const r = await run(['merge', s1, s2, '--out', out]);
    expect(r.code, r.err).toBe(0);
    const merged = reportOf(out);
    const none = merged.corpus.notReplayed ?? [];
    expect(budgetWarnings(merged)).toEqual(
      none.length === 0 ? [] : [notReplayedWarning('1ms', none)],
    );
  });

  it('has no budget warning when another shard replayed what one left out', async () => {
    // Shard 2 on a faster machine: the same --budget-replay, and every trace replayed in it.
    const fast = join(dir, 's2-fast');
    cpSync(s2long, fast, { recursive: true });
    const path = join(fast, 'report.json');
    const r = JSON.parse(readFileSync(path, 'utf8')) as Report;
    expect(r.corpus.notReplayed).toBeUndefined();
    r.corpus.budgetReplay = '1ms';
    writeFileSync(path, JSON.stringify(r));
    const out = join(dir, 'merged-fast');
    const m = await run(['merge', s1, fast, '--out', out]);
    expect(m.code, m.err).toBe(0);
    const merged = reportOf(out);
    expect(merged.corpus.notReplayed).toBeUndefined();
    // Shard 1's warning said traces were not replayed: in the merged run, every one was.
    expect(budgetWarnings(merged)).toEqual([]);
    expect(m.out).not.toContain('not replayed');
  });
});
