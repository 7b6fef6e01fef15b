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
