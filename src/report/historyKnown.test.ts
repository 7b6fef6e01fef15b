// --history under `nightly --known`: a known signature opens no bucket and sees none; a bucket
// open when its signature became known is held as it was while anything shows it, and fixed as
// any other once nothing does and its repro passes (docs/nightly.md, "Known violations").
import { describe, expect, it } from 'vitest';
import { A, B, deepFreeze, run, showing } from '../../test/support/historyFixtures.js';
import { emptyHistory, updateHistory } from './history.js';

const knownA = { known: new Set([A.signature]) };

describe('updateHistory with known signatures', () => {
  it('opens no bucket for a known finding or a trace failing first with a known signature', () => {
    const u = updateHistory(emptyHistory(), [A, B], { ...run('2026-11-01'), ...knownA });
    expect(u.history.buckets.map((b) => b.signature)).toEqual([B.signature]);
    expect(u.statuses.has(A.signature)).toBe(false);
    expect(u.held).toEqual(new Set([A.signature]));
    const shown = updateHistory(emptyHistory(), [], {
      ...run('2026-11-01'),
      ...knownA,
      shown: showing(A, 'corpus:t.jsonl'),
    });
    expect(shown.history.buckets).toEqual([]);
    expect(shown.replayed.size).toBe(0);
  });

  describe('a bucket open before its signature became known', () => {
    const before = deepFreeze(updateHistory(emptyHistory(), [A, B], run('2026-11-01')).history);
    const bucketA = before.buckets.find((b) => b.signature === A.signature);

    it.each([
      ['the fuzzer finds it', { findings: [A] }],
      ['its repro fails again', { stillFailing: new Set([A.signature]) }],
      ['a replayed trace fails with it', { knownShown: new Set([A.signature]) }],
    ] as const)('is held as it was when %s (its repro passing or not)', (_why, o) => {
      const { findings = [], ...more } = o as { findings?: readonly (typeof A)[] };
      const u = updateHistory(before, [...findings, B], {
        ...run('2026-11-02'),
        ...knownA,
        ...more,
      });
      expect(bucketA).toBeDefined();
      expect(u.history.buckets.find((b) => b.signature === A.signature)).toEqual(bucketA);
      expect(u.fixed).toEqual([]);
      expect(u.statuses.has(A.signature) || u.replayed.has(A.signature)).toBe(false);
      expect(u.held.has(A.signature)).toBe(true);
    });

    it('is fixed once nothing shows it and its repro passes: the bug gone, not merely known', () => {
      const u = updateHistory(before, [B], { ...run('2026-11-02'), ...knownA });
      expect(u.fixed.map((f) => f.signature)).toEqual([A.signature]);
      expect(u.held.size).toBe(0);
    });
  });
});
