// The keeper: a case is kept when it reaches a model key or a target edge that neither the
// base nor an earlier case reached. campaign.test.ts shows it over whole campaigns in a pool;
// this pins each reason on its own, in-process.
import { describe, expect, it } from 'vitest';
import type { CampaignOptions } from './campaign.js';
import { State } from './campaignState.js';
import type { CaseResult } from './protocol.js';

const result = (index: number, keys: number[], edges?: number[]): CaseResult => ({
  index,
  calls: 1,
  outcome: 'pass',
  violations: [],
  keys,
  ...(edges === undefined ? {} : { edges }),
});

describe('the keeper', () => {
  it('keeps a case for a new model key or a new target edge alone, not for old ones', () => {
    const s = new State(new Set([1]), new Set([10]));
    const told: [number, number[]][] = [];
    // process() reads only onKept of the options when no case fails.
    const o = { onKept: (r: CaseResult, k: number[]) => told.push([r.index, k]) };
    s.process(result(0, [1], [10]), o as unknown as CampaignOptions);
    s.process(result(1, [1], [10, 11]), o as unknown as CampaignOptions);
    s.process(result(2, [1, 2]), o as unknown as CampaignOptions);
    s.process(result(3, [2], [11]), o as unknown as CampaignOptions);
    expect(s.kept).toEqual([1, 2]);
    expect(told).toEqual([
      [1, []],
      [2, [2]],
    ]);
  });
});

describe('the branches the progress counts', () => {
  const labelled = (r: CaseResult, labels: Record<number, string>): CaseResult => ({
    ...r,
    labelKeys: Object.keys(labels).map(Number),
    labels: Object.values(labels),
  });
  const o = {} as CampaignOptions;

  it("starts from the base's, and adds those of keys new to the campaign, once each", () => {
    const s = new State(new Set([1, 2]), new Set(), [
      'VideoPortGetDmaAdapter|ok|adapter',
      'VideoPortGetDmaAdapter|ok|adapter+mdl',
    ]);
    expect(s.progress(0, 0).branches).toBe(1);
    // Key 1 is the base's: its label is not counted again; 3 is a new shape of the same branch.
    const r0 = labelled(result(0, [1, 3]), {
      1: 'VideoPortGetDmaAdapter|ok|adapter',
      3: 'VideoPortGetDmaAdapter|ok|idle',
    });
    s.noteLabels(r0);
    s.process(r0, o);
    expect(s.progress(1, 0)).toMatchObject({ coverage: 3, branches: 1 });
    const r1 = labelled(result(1, [3, 4, 5]), {
      4: 'VideoPortPutDmaAdapter|double-put!|idle',
      5: 'VideoPortPutDmaAdapter|ok|idle',
    });
    s.noteLabels(r1);
    s.process(r1, o);
    expect(s.progress(2, 0)).toMatchObject({ coverage: 5, branches: 3 });
  });

  it('counts a key processed before its label came once the label comes', () => {
    const s = new State(new Set(), new Set());
    s.process(result(0, [7]), o);
    expect(s.progress(1, 0).branches).toBe(0);
    s.noteLabels(labelled(result(1, []), { 7: 'VideoPortDoDma|null|idle' }));
    expect(s.progress(1, 0).branches).toBe(1);
    // A label for a key no case was new with is not a branch reached.
    s.noteLabels(labelled(result(2, []), { 8: 'VideoPortGetMdl|echo|idle' }));
    expect(s.progress(1, 0).branches).toBe(1);
  });

  it('says when a report last found the branches or the keys grown past the base', () => {
    const s = new State(new Set([1]), new Set(), ['VideoPortGetDmaAdapter|ok|adapter']);
    const at = (ms: number) => s.progress(0, ms);
    // The base's own counts are no growth.
    expect(at(100)).not.toHaveProperty('lastNewBranchMs');
    expect(at(100)).not.toHaveProperty('lastNewKeyMs');
    // A new shape of a known branch: a new key, no new branch.
    const r0 = labelled(result(0, [1, 2]), { 2: 'VideoPortGetDmaAdapter|ok|idle' });
    s.noteLabels(r0);
    s.process(r0, o);
    expect(at(2_000)).toMatchObject({ lastNewKeyMs: 2_000 });
    expect(at(2_500)).not.toHaveProperty('lastNewBranchMs');
    const r1 = labelled(result(1, [3]), { 3: 'VideoPortPutDmaAdapter|ok|idle' });
    s.noteLabels(r1);
    s.process(r1, o);
    expect(at(5_000)).toMatchObject({ lastNewBranchMs: 5_000, lastNewKeyMs: 5_000 });
    // Nothing new since: the times stay where they were.
    s.process(result(2, [1, 2, 3]), o);
    expect(at(9_000)).toMatchObject({ lastNewBranchMs: 5_000, lastNewKeyMs: 5_000 });
    // A branch whose label came after its key counts when the label does.
    s.process(result(3, [4]), o);
    expect(at(10_000)).toMatchObject({ lastNewBranchMs: 5_000, lastNewKeyMs: 10_000 });
    s.noteLabels(labelled(result(4, []), { 4: 'VideoPortDoDma|null|idle' }));
    expect(at(11_000)).toMatchObject({ lastNewBranchMs: 11_000, lastNewKeyMs: 10_000 });
  });
});
