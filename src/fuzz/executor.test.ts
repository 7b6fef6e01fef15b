// Where a campaign's cases run (dist/ must be built for the workers): this thread alone for a
// short campaign, the pool's workers for the rest, and the same results whichever ran them;
// and what a campaign keeps of its failing cases.
import { describe, expect, it } from 'vitest';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase } from './base.js';
import { failureKey, runCampaign, type CampaignResult } from './campaign.js';
import { campaignOn } from '../../test/support/campaignOn.js';
import { createFuzzPool, InlineFuzzExecutor, WarmingPool, type FuzzExecutor } from './executor.js';
import { groupFailures } from './findings.js';
import type { CaseResult, FuzzSettings } from './protocol.js';
import { runFuzzTask } from './runCases.js';

const settings: FuzzSettings = {
  target: 'mutant:bytes-used-remembered',
  timeoutMs: 1000,
  sampleBytes: 512,
  callsMax: 32,
  seed: 77,
  seedText: '77',
};
const base = buildBase(await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/'), 32);

const campaign = (ex: FuzzExecutor, runs: number) => campaignOn(ex, base, settings, { runs });

/** Everything but timing. */
const stable = (r: CampaignResult & { endedAt?: number }): unknown => ({
  ...r,
  elapsedMs: 0,
  endedAt: 0,
  firstFailureMs: r.firstFailureMs === undefined ? 'none' : 'some',
});

describe('the fuzz pool with this thread running the first cases', () => {
  const runs = 120;
  let inline: CampaignResult;

  it('a short campaign runs in this thread alone: no worker is started', async () => {
    inline = await campaign(new InlineFuzzExecutor(), runs);
    expect(inline.failing.length).toBeGreaterThan(0);
    const ex = createFuzzPool(2, settings.target, { soloMs: 60_000 });
    expect(ex).toBeInstanceOf(WarmingPool);
    const r = await campaign(ex, runs);
    expect((ex as WarmingPool).casesHere).toBe(runs);
    expect((ex as WarmingPool).casesPooled).toBe(0);
    expect(stable(r)).toEqual(stable(inline));
  });

  it('the workers take what this thread leaves, with the same results', async () => {
    const ex = createFuzzPool(2, settings.target, { soloMs: 0, tasksHereMax: 1 });
    const r = await campaign(ex, runs);
    // The first task (4 cases) ran here, the rest in the workers.
    expect((ex as WarmingPool).casesHere).toBe(4);
    expect((ex as WarmingPool).casesPooled).toBe(runs - 4);
    expect(stable(r)).toEqual(stable(inline));
  });

  it('a task run here reports each case as it ends, in order', async () => {
    const seen: CaseResult[] = [];
    const task = { settings, base: base.shared, cases: [3, 9, 4] };
    const all = await runFuzzTask(task, (r) => seen.push(r));
    expect(seen.map((r) => r.index)).toEqual([3, 9, 4]);
    expect(seen).toEqual(all);
  });
});

describe('failing cases against a shallow bug', () => {
  it('keeps the lowest-indexed few of each group and counts the rest', async () => {
    const run = (failingPerGroup?: number): Promise<CampaignResult> =>
      runCampaign(new InlineFuzzExecutor(), {
        settings: { ...settings, target: 'mutant:mapdma-writes-length' },
        base: base.shared,
        baseKeys: base.keys,
        shard: { index: 0, count: 1 },
        runs: 80,
        ...(failingPerGroup === undefined ? {} : { failingPerGroup }),
      });
    const all = await run();
    const few = await run(2);
    expect(all.failing.length).toBeGreaterThan(10);
    expect(few.failingCount).toBe(all.failing.length);
    expect(all.failingCount).toBe(all.failing.length);
    const counts = new Map<string, number>();
    const firstTwo = all.failing.filter((r) => {
      const k = failureKey(r);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      return (counts.get(k) ?? 0) <= 2;
    });
    expect(few.failing).toEqual(firstTwo);
    expect([...few.hits]).toEqual([...counts]);
    expect(groupFailures(few.failing, 2, few.hits)).toEqual(groupFailures(all.failing, 2));
  });
});
