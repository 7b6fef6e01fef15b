// --rounds as fuzz and nightly read it: a size or the default, refused beside a shard.
import { describe, expect, it } from 'vitest';
import { ROUND_CASES } from '../fuzz/rounds.js';
import { roundSlice } from '../fuzz/campaign.js';
import { roundsOption, shardAndRounds } from './fuzzRounds.js';

describe('--rounds', () => {
  it('takes a size, or the default alone; absent, no rounds', () => {
    expect(roundsOption('250', {})).toBe(250);
    expect(roundsOption(true, { shard: '1/1' })).toBe(ROUND_CASES);
    expect(roundsOption(undefined, { shard: '1/2' })).toBeUndefined();
    expect(() => roundsOption('0', {})).toThrow(/^--rounds: expected a whole number from 1/);
  });

  it('refuses a shard, in one line', () => {
    expect(() => roundsOption('10', { shard: '2/3' })).toThrow(/^--rounds and --shard: /);
    expect(() => shardAndRounds({ shard: '1/2', rounds: true })).toThrow(/--shard/);
    expect(shardAndRounds({ shard: '1/1', rounds: '7' })).toEqual({
      shard: { index: 0, count: 1 },
      rounds: 7,
    });
  });

  it("cuts a round's last tasks short: half a worker's share of what is left", () => {
    expect(roundSlice(1000, 2, true)).toBe(250);
    expect(roundSlice(3, 2, true)).toBe(1);
    expect(roundSlice(1000, 2, false)).toBe(1000);
  });
});
