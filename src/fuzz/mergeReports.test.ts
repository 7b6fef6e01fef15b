// What the merged fuzz report says of its shards' runs: each shard's warnings named as that
// shard's (not the merged run's), and the worker threads they started, in all.
import { describe, expect, it } from 'vitest';
import type { FuzzReport } from './fuzzReport.js';
import { mergeFuzzReports, shardWarnings } from './mergeReports.js';
import type { ReachedTable } from './reached.js';

/** Shard `shard` of a --runs 20 campaign that ran its 10 cases, reduced to what merging reads. */
function shard(name: string, warnings: string[]): FuzzReport {
  return {
    shard: name,
    budget: { runs: 20 },
    cases: 10,
    calls: 100,
    coverage: 5,
    newCoverage: [],
    corpus: { base: 0, kept: 0, keptFiles: [] },
    groups: [],
    findings: [],
    unconfirmed: [],
    interrupted: false,
    stoppedBy: 'runs',
    warnings,
    timing: { workers: 2, fuzzMs: 1000, minimizeMs: 0, wallMs: 1000 },
  } as unknown as FuzzReport;
}

describe("a merged report's timing", () => {
  const started = (n: number | undefined): FuzzReport => {
    const r = shard('1/2', []);
    const timing = { ...r.timing, ...(n === undefined ? {} : { workersStarted: n }) };
    return { ...r, timing };
  };

  it('sums the workers the shards started, as it sums those asked for', () => {
    const t = mergeFuzzReports([started(0), { ...started(2), shard: '2/2' }], 2).timing;
    expect(t).toMatchObject({ workers: 4, workersStarted: 2 });
    // No shard started one: every case of the merged run ran in a main thread.
    const none = mergeFuzzReports([started(0), { ...started(0), shard: '2/2' }], 2).timing;
    expect(none.workersStarted).toBe(0);
  });

  it('leaves it out when a shard does not say (a report from before it was recorded)', () => {
    const t = mergeFuzzReports([started(2), { ...started(undefined), shard: '2/2' }], 2).timing;
    expect(t.workers).toBe(4);
    expect(t).not.toHaveProperty('workersStarted');
  });
});

describe("a merged report's warnings", () => {
  it('name the shard each came from, once for a warning several shards gave', () => {
    const both = 'corpus/x.vpt: damaged (its bytes do not match its name); skipped';
    const shards = [
      shard('1/3', [both, 'case 3 not kept in the corpus: no space left on device']),
      shard('2/3', []),
      shard('3/3', [both]),
    ];
    expect(shardWarnings(shards)).toEqual([
      `shards 1/3, 3/3: ${both}`,
      'shard 1/3: case 3 not kept in the corpus: no space left on device',
    ]);
    expect(mergeFuzzReports(shards, 2).warnings).toEqual(shardWarnings(shards));
  });

  it("keep the merge's own after them, unlabelled: it is the merged run's", () => {
    // Shard 2 of 2 stopped after 4 of its 10 cases: every case below 9 ran.
    const short = { ...shard('2/2', []), cases: 4, interrupted: true } as FuzzReport;
    const merged = mergeFuzzReports([shard('1/2', ['w']), short], 2);
    expect(merged.warnings[0]).toBe('shard 1/2: w');
    expect(merged.warnings.slice(1)).toEqual([
      expect.stringMatching(/^the shards stopped at different cases \(shard 2\/2 stopped first/),
    ]);
  });

  it('are none when no shard warned', () => {
    expect(mergeFuzzReports([shard('1/2', []), shard('2/2', [])], 2).warnings).toEqual([]);
  });
});

describe('what a merged report says was reached', () => {
  const reached = (branches: string[]): ReachedTable => ({
    VideoPortGetDmaAdapter: { branches, misuse: [], states: ['adapter'] },
  });
  const a = { ...shard('1/2', []), reached: reached(['ok']), branches: 1 };

  it("is the union's, branches counted from it (a shard from before branches too)", () => {
    const b = { ...shard('2/2', []), reached: reached(['no-description']) };
    const m = mergeFuzzReports([a, b], 2);
    expect(m.reached?.['VideoPortGetDmaAdapter']?.branches).toEqual(['no-description', 'ok']);
    expect(m.branches).toBe(2);
  });

  it("is absent when a shard's report lacks it, not the first shard's alone", () => {
    const m = mergeFuzzReports([a, shard('2/2', [])], 2);
    expect(m).not.toHaveProperty('reached');
    expect(m).not.toHaveProperty('unreached');
    expect(m).not.toHaveProperty('branches');
  });
});

describe("a merged report's unchecked", () => {
  const noted = (name: string, unchecked?: FuzzReport['unchecked']): FuzzReport => ({
    ...shard(name, []),
    ...(unchecked === undefined ? {} : { unchecked }),
  });

  it("is the unsharded run's: no state() in any shard, the lowest case's stray, all counted", () => {
    const a = { first: 'call 7 named 0x1+0x8', caseIndex: 3, count: 2 };
    const b = { first: 'call 2 named 0x9+0x1', caseIndex: 1, count: 5 };
    const m = mergeFuzzReports([noted('1/2', { stray: a }), noted('2/2', { stray: b })], 2);
    expect(m.unchecked).toEqual({ stray: { ...b, count: 7 } });
    const s = mergeFuzzReports([noted('1/2'), noted('2/2', { noState: true, stray: a })], 2);
    expect(s.unchecked).toEqual({ noState: true, stray: a });
    expect(mergeFuzzReports([noted('1/2'), noted('2/2')], 2)).not.toHaveProperty('unchecked');
  });
});
