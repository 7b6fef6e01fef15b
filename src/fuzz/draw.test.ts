// The drawers make exactly what the arbitraries generate from the same fc.Random: the same
// programs and calls, and the same number of integers taken (the next one drawn agrees), for
// every function, every swarm configuration of a few seeds, and with functions disabled.
// A fast-check upgrade that changed how its arbitraries draw would fail here, not silently
// change every campaign's cases.
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { CALLS } from '../model/calls.js';
import { anyCallArb, callArb, programArb } from './arbitraries.js';
import { anyCallDrawer, callDrawer, drawProgram } from './draw.js';
import { swarmFor, swarmSize, type Swarm } from './weights.js';

const random = (seed: number): fc.Random => new fc.Random(xoroshiro128plus(seed));

/** Both ways from one seed: what each made, and the integer each Random gives next. */
function both<T>(seed: number, viaArb: (r: fc.Random) => T, direct: (r: fc.Random) => T) {
  const a = random(seed);
  const b = random(seed);
  const fromArb = viaArb(a);
  const drawn = direct(b);
  return { fromArb, drawn, nextArb: a.nextInt(0, 0x7fffffff), nextDrawn: b.nextInt(0, 0x7fffffff) };
}

const swarms: Swarm[] = [1, 20261128, 0xdeadbeef].flatMap((seed) =>
  Array.from({ length: swarmSize }, (_, slot) => swarmFor(seed, slot)),
);

describe('drawers', () => {
  it('draw each function’s calls as its arbitrary generates them', () => {
    let compared = 0;
    for (const sw of swarms)
      for (const desc of CALLS)
        for (let seed = 0; seed < 4; seed++) {
          const r = both(
            seed * 7919 + sw.slot,
            (x) => callArb(desc, sw).generate(x, undefined).value,
            (x) => callDrawer(desc, sw)(x),
          );
          expect(r.drawn).toStrictEqual(r.fromArb);
          expect(r.nextDrawn).toBe(r.nextArb);
          compared++;
        }
    expect(compared).toBe(swarms.length * CALLS.length * 4);
  });

  it('draw any call by the configuration’s weights as fc.oneof does', () => {
    for (const sw of swarms)
      for (let seed = 0; seed < 40; seed++) {
        const r = both(
          seed,
          (x) => anyCallArb(sw).generate(x, undefined).value,
          (x) => anyCallDrawer(sw)(x),
        );
        expect(r.drawn).toStrictEqual(r.fromArb);
        expect(r.nextDrawn).toBe(r.nextArb);
      }
  });

  it('draw programs as fc.array does, at any callsMax', () => {
    const fns = new Set<string>();
    for (const sw of swarms)
      for (const callsMax of [0, 1, 2, 64])
        for (let seed = 0; seed < 6; seed++) {
          const r = both(
            seed + callsMax,
            (x) => programArb(sw, callsMax).generate(x, undefined).value,
            (x) => drawProgram(sw, callsMax, x),
          );
          expect(r.drawn).toStrictEqual(r.fromArb);
          expect(r.nextDrawn).toBe(r.nextArb);
          expect(r.drawn.length).toBeGreaterThanOrEqual(1);
          expect(r.drawn.length).toBeLessThanOrEqual(Math.max(1, callsMax));
          for (const c of r.drawn) fns.add(c.fn);
        }
    // The comparison covered most of the table, not a few functions.
    expect(fns.size).toBeGreaterThan(CALLS.length / 2);
  });
});
