// A thread sends each coverage key's label once per campaign (CaseResult.labels), not with
// every task that reaches the key: the campaign keeps the labels as they come and maps the
// keys of each case to them, so what was reached is the same as with labels sent every time.
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase } from './base.js';
import { runCampaign } from './campaign.js';
import type { FuzzExecutor } from './executor.js';
import type { CaseResult, FuzzTask } from './protocol.js';
import { runFuzzTask } from './runCases.js';

const settings = fuzzSettings('model', { callsMax: 32, seed: 5, seedText: '5' });
const base = buildBase(await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/'), 32);
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, k) => from + k);
const task = (cases: number[], campaign?: number): FuzzTask => ({
  settings,
  base: base.shared,
  cases,
  ...(campaign === undefined ? {} : { campaign }),
});

const labelled = (rs: readonly CaseResult[]): Map<number, string> => {
  const m = new Map<number, string>();
  for (const r of rs)
    (r.labelKeys ?? []).forEach((k, i) => {
      expect(m.has(k)).toBe(false);
      m.set(k, r.labels?.[i] ?? '');
    });
  return m;
};
const keysOf = (rs: readonly CaseResult[]): Set<number> => new Set(rs.flatMap((r) => r.keys));

describe('labels of coverage keys', () => {
  it('without a campaign, every key new to the task comes with its label', async () => {
    const rs = await runFuzzTask(task(range(0, 24)));
    const m = labelled(rs);
    expect([...m.keys()].sort()).toEqual([...keysOf(rs)].sort());
    expect(m.size).toBeGreaterThan(20);
  });

  it("in one campaign, a thread's later task labels only the keys it has not labelled", async () => {
    const id = 1e9; // no campaign of this process has it
    const first = await runFuzzTask(task(range(0, 24), id));
    const later = await runFuzzTask(task(range(24, 24), id));
    const a = labelled(first);
    const b = labelled(later);
    expect([...b.keys()].filter((k) => a.has(k))).toEqual([]);
    // The later task's keys all have a label from one task or the other, a key labelled once.
    for (const k of keysOf(later)) expect(a.has(k) || b.has(k)).toBe(true);
    expect([...keysOf(later)].filter((k) => a.has(k)).length).toBeGreaterThan(10);
    // Another campaign: everything again.
    const other = labelled(await runFuzzTask(task(range(24, 24), id + 1)));
    expect([...other.keys()].sort()).toEqual([...keysOf(later)].sort());
    expect(new Map([...a, ...b, ...other])).toEqual(new Map([...a, ...b]));
  });

  it("a campaign's reached labels are those of every key its cases reported", async () => {
    const runs = 96;
    const r = await runCampaign(inline(), {
      settings,
      base: base.shared,
      baseKeys: base.keys,
      shard: { index: 0, count: 1 },
      runs,
    });
    // The same cases with their labels sent every time, one case per task.
    const each = await Promise.all(range(0, runs).map((i) => runFuzzTask(task([i]))));
    const expected = [...new Set(each.flat().flatMap((c) => c.labels ?? []))].sort();
    expect(r.reached).toEqual(expected);
    expect(r.reached.length).toBeGreaterThan(50);
  });

  it('a key that came without its label is a harness bug, not a silent gap', async () => {
    const ex: FuzzExecutor = {
      workers: 1,
      run: async (next, control) => {
        const t = next();
        if (t !== undefined)
          control?.onResults?.(t, [
            { index: 0, calls: 1, outcome: 'pass', violations: [], keys: [7] },
          ]);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    const o = { settings, base: base.shared, baseKeys: base.keys, shard: { index: 0, count: 1 } };
    await expect(runCampaign(ex, { ...o, runs: 1 })).rejects.toThrow(
      /key 7 came without its label/,
    );
  });
});

/** Each task run in this thread, in order. */
function inline(): FuzzExecutor {
  return {
    workers: 1,
    run: async (next, control) => {
      for (let t = next(); t !== undefined; t = next())
        control?.onResults?.(t, await runFuzzTask(t));
    },
    close: () => Promise.resolve(),
  };
}
