// What fresh cases do with each function of the table: every one is generated, reaches a
// branch that is not misuse, and stays mostly coherent. Misuse ends the oracle's description
// of a case (the rest of it is checked for inertness only), so a function whose generated
// calls are mostly misuse wastes the cases that reach it: FreePool's were 40% misuse (blocks
// a LockBuffer still held) until its fix-up looked at locks. Hostile values are meant to be
// misuse, and they are a small share of calls.
import { describe, expect, it } from 'vitest';
import { CALLS } from '../model/calls.js';
import { resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import { generateCase } from './caseGen.js';

interface Tally {
  calls: number;
  misuse: number;
  clean: number;
}

function tally(seeds: readonly number[], cases: number): Map<string, Tally> {
  const by = new Map(CALLS.map((c) => [c.fn, { calls: 0, misuse: 0, clean: 0 }]));
  for (const seed of seeds) {
    const ctx = { seed, seedText: String(seed), callsMax: 64, base: [] };
    for (let i = 0; i < cases; i++) {
      const t = generateCase(ctx, i);
      const m = new Model({ device: resolveDevice(t.header.device), profile: 'docs' });
      for (const c of t.calls) {
        const r = m.step(c.fn, c.args);
        const s = by.get(c.fn);
        if (s === undefined) throw new Error(`generated ${c.fn}, not in the table`);
        s.calls++;
        if (r.misuse === undefined) s.clean++;
        else {
          s.misuse++;
          break; // past misuse the oracle no longer describes what a target would hold
        }
      }
    }
  }
  return by;
}

describe('fresh cases, function by function', () => {
  const by = tally([1, 2, 3], 250);

  it('generate every function of the table, each reaching a branch that is not misuse', () => {
    // UnlockPages is the rarest (about 15 in these 750 cases): it needs a LockPages first.
    const rare = [...by].filter(([, s]) => s.calls < 10).map(([fn, s]) => `${fn}: ${s.calls}`);
    const neverClean = [...by].filter(([, s]) => s.clean === 0).map(([fn]) => fn);
    expect(rare).toEqual([]);
    expect(neverClean).toEqual([]);
  });

  it('keep each function’s misuse under 25% of its calls', () => {
    const high = [...by]
      // Hostile handles reach coherent calls too (one slot in about 40 is hostile), so a call
      // with three handle arguments (ReleaseCommonBuffer) is misuse about one time in six.
      .filter(([, s]) => s.misuse > 0.25 * s.calls)
      .map(([fn, s]) => `${fn}: ${s.misuse} of ${s.calls}`);
    expect(high).toEqual([]);
  });
});
