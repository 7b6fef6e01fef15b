// Obsolete calls at the interesting moments of fresh programs: they are added, never replace
// or reorder the drawn calls, and land while what the moment started is still going on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rngFor } from '../core/rng.js';
import { INERT_FNS } from '../model/calls.js';
import { programArb } from './arbitraries.js';
import { atMoments, MOMENTS } from './mutate.js';
import type { AbsCall } from './program.js';
import { swarmFor } from './weights.js';

const always = swarmFor(1, 0); // configuration 0: every moment gets its obsolete call
const drawn = programArb(always, 40);

/** Indexes of `original`'s calls in `out` (same objects, in order), or undefined if not all there. */
function positions(original: readonly AbsCall[], out: readonly AbsCall[]): number[] | undefined {
  const at: number[] = [];
  let j = 0;
  for (const c of original) {
    while (j < out.length && out[j] !== c) j++;
    if (j === out.length) return undefined;
    at.push(j++);
  }
  return at;
}

describe('atMoments', () => {
  it('configuration 0 marks every moment', () => {
    expect(always.momentsEvery).toBe(1);
  });

  it('adds only obsolete calls, keeps the drawn ones in order, and follows each moment within two calls', () => {
    fc.assert(
      fc.property(drawn, fc.nat(), (program, seed) => {
        const m = { rng: rngFor(seed, 0), swarm: always, callsMax: 1000, donors: [] };
        const out = atMoments(program, m);
        const at = positions(program, out);
        expect(at).toBeDefined();
        if (at === undefined) return;
        const kept = new Set(at);
        out.forEach((c, i) => {
          if (!kept.has(i)) expect(INERT_FNS.has(c.fn)).toBe(true);
        });
        program.forEach((c, i) => {
          // The obsolete call comes right after, or after the next one or two drawn calls.
          const until = at[i + 3];
          if (!MOMENTS.has(c.fn) || until === undefined) return;
          const start = at[i] ?? 0;
          const added = out.slice(start + 1, until).some((_, k) => !kept.has(start + 1 + k));
          expect(added).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('leaves a program without moments as it is, and stops at callsMax', () => {
    const quiet: AbsCall[] = [{ fn: 'VideoPortGetDmaAdapter', args: {}, coherent: true }];
    const m = { rng: rngFor(3, 0), swarm: always, callsMax: 64, donors: [] };
    expect(atMoments(quiet, m)).toEqual(quiet);
    const busy: AbsCall[] = Array.from({ length: 10 }, () => ({
      fn: 'VideoPortStartDma',
      args: {},
      coherent: true,
    }));
    const cut = atMoments(busy, { ...m, callsMax: 12 });
    expect(cut).toHaveLength(12);
    expect(atMoments(busy, { ...m, callsMax: 1000 }).length).toBeGreaterThan(busy.length);
  });
});
