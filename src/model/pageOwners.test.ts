// PageOwners answers exactly what the page → owner map it replaced answered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageOwners } from './pageOwners.js';

/** The map it replaced: add takes pages over, remove drops only the remover's own pages. */
class MapOwners {
  readonly m = new Map<number, number>();
  add(keys: readonly number[], owner: number): void {
    for (const k of keys) this.m.set(k, owner);
  }
  remove(keys: readonly number[], owner: number): void {
    for (const k of keys) if (this.m.get(k) === owner) this.m.delete(k);
  }
}

/** Page lists as the allocator makes them: runs up or down, sometimes broken. */
const keysArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: -4, max: 60 }), fc.integer({ min: 1, max: 12 }), fc.boolean())
    .map(([start, n, down]) => {
      const up = Array.from({ length: n }, (_, i) => start + i);
      return down ? up.reverse() : up;
    }),
  fc.array(fc.integer({ min: -4, max: 70 }), { minLength: 1, maxLength: 10 }),
);

const opArb = fc.record({
  add: fc.boolean(),
  keys: keysArb,
  owner: fc.integer({ min: 0, max: 4 }),
});

describe('PageOwners', () => {
  it('answers as a page → owner map would, after any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const runs = new PageOwners<number>();
        const map = new MapOwners();
        for (const op of ops) {
          if (op.add) {
            runs.add(op.keys, op.owner);
            map.add(op.keys, op.owner);
          } else {
            runs.remove(op.keys, op.owner);
            map.remove(op.keys, op.owner);
          }
          for (let k = -6; k <= 75; k++) expect(runs.get(k)).toBe(map.m.get(k));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a buffer of consecutive pages as one run, either way round', () => {
    const o = new PageOwners<string>();
    o.add(
      Array.from({ length: 256 }, (_, i) => 1000 + i),
      'a',
    );
    o.add(
      Array.from({ length: 256 }, (_, i) => 5000 - i),
      'b',
    );
    expect(o.size).toBe(2);
    expect([o.get(999), o.get(1000), o.get(1255), o.get(1256)]).toEqual([
      undefined,
      'a',
      'a',
      undefined,
    ]);
    expect([o.get(4744), o.get(4745), o.get(5000), o.get(5001)]).toEqual([
      undefined,
      'b',
      'b',
      undefined,
    ]);
    o.remove([1100, 1101], 'a');
    expect([o.size, o.get(1099), o.get(1100), o.get(1102)]).toEqual([3, 'a', undefined, 'a']);
  });
});
