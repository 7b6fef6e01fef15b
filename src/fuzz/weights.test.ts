// Swarm configurations are per seed: two seeds explore differently-shaped streams. The memo
// (drawn once per process) must key on the seed too, or a process running two seeds would
// give the second the first one's configurations, and case i would depend on what ran before.
import { describe, expect, it } from 'vitest';
import { swarmFor, swarmSize } from './weights.js';

describe('swarm configurations', () => {
  it('differ between seeds, configuration 0 (the table’s weights) aside', () => {
    const of = (seed: number): string[] =>
      Array.from({ length: swarmSize }, (_, slot) => JSON.stringify(swarmFor(seed, slot)));
    const a = of(101);
    const b = of(202);
    expect(a[0]).toBe(b[0]);
    expect(a.slice(1).filter((x, i) => x !== b[i + 1]).length).toBeGreaterThan(0);
    expect(of(101)).toEqual(a); // and drawing again gives the same
  });

  it('run past a misuse 2, 8 or all calls by slot, the same in every seed', () => {
    for (const seed of [1, 2, 3]) {
      const tails = Array.from(
        { length: swarmSize },
        (_, slot) => swarmFor(seed, slot).misuseTailMax,
      );
      expect(tails).toEqual([2, 8, 2, Infinity, 2, 8, 2, Infinity]);
    }
  });
});
