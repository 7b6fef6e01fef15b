// TouchedPages lists what a page → [lo, hi) Map in first-write order would, across clears and
// past the count where it starts indexing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TouchedPages } from './touched.js';

const markArb = fc
  .tuple(fc.integer({ min: -3, max: 40 }), fc.nat(4096), fc.nat(4096))
  .map(([key, a, b]) => ({ key, lo: Math.min(a, b), hi: Math.max(a, b) }));
const opArb = fc.oneof({ arbitrary: markArb, weight: 20 }, fc.constant('clear' as const));

function listed(t: TouchedPages): Array<[number, number, number]> {
  return Array.from({ length: t.count }, (_, i) => [t.key(i), t.lo(i), t.hi(i)]);
}

describe('TouchedPages', () => {
  it('answers as a Map of widened extents would', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const t = new TouchedPages();
        let m = new Map<number, [number, number]>();
        for (const op of ops) {
          if (op === 'clear') {
            t.clear();
            m = new Map();
            continue;
          }
          t.mark(op.key, op.lo, op.hi);
          const had = m.get(op.key);
          m.set(
            op.key,
            had === undefined ? [op.lo, op.hi] : [Math.min(had[0], op.lo), Math.max(had[1], op.hi)],
          );
        }
        expect(listed(t)).toEqual([...m].map(([k, [lo, hi]]) => [k, lo, hi]));
      }),
    );
  });
});
