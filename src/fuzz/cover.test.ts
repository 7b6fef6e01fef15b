// The greedy cover behind `vpdma corpus prune` and --corpus-max: every key kept without a
// limit, fewer entries than one smallest entry per key, rare keys first under a limit, the
// same choice for the same entries in any order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseCover, coverOrder, type CoverEntry } from './cover.js';

const entry = (name: string, keys: number[], calls = 1, bytes = 100): CoverEntry => ({
  name,
  calls,
  bytes,
  keys: new Set(keys),
});

const union = (es: readonly CoverEntry[]): Set<number> => new Set(es.flatMap((e) => [...e.keys]));

describe('chooseCover', () => {
  it('keeps one entry reaching two keys where one smallest entry per key keeps two', () => {
    // Per key, the smallest entry reaching it is x (key 1) and y (key 2): two entries. z,
    // bigger, reaches both: the cover keeps it alone.
    const es = [entry('x', [1]), entry('y', [2]), entry('z', [1, 2], 2)];
    const c = chooseCover(es);
    expect(c.keep).toEqual(['z']);
    expect(c.drop).toEqual(['x', 'y']);
    expect([c.keys, c.keysKept, c.rareLost]).toEqual([2, 2, 0]);
  });

  it('leaves out an entry adding nothing, and one whose keys are covered already', () => {
    const es = [entry('a', [1, 2]), entry('b', [2]), entry('c', [3])];
    expect(chooseCover(es).keep).toEqual(['a', 'c']);
    expect(chooseCover(es, {}, new Set([3])).keep).toEqual(['a']);
    expect(chooseCover(es, {}, new Set([3])).keys).toBe(2);
  });

  it('under a limit keeps rare keys first, and counts what was lost', () => {
    // a reaches four keys that two copies of it reach too; b reaches two keys no one else does.
    const common = [1, 2, 3, 4];
    const es = [entry('a', common), entry('a2', common), entry('a3', common), entry('b', [8, 9])];
    const one = chooseCover(es, { entriesMax: 1 });
    expect(one.keep).toEqual(['b']);
    expect([one.keys, one.keysKept, one.rareLost]).toEqual([6, 2, 0]);
    // The other way round: the rare keys lost are counted.
    const two = chooseCover([...es, entry('c', [20])], { entriesMax: 2 });
    expect(two.keep).toEqual(['b', 'a']);
    expect([two.keysKept, two.rareLost]).toEqual([6, 1]);
  });

  it('breaks ties by fewer calls, then by name', () => {
    const es = [entry('b', [1]), entry('a', [1], 3), entry('c', [1])];
    expect(chooseCover(es).keep).toEqual(['b']);
  });

  it('under --bytes-max skips an entry too big for what is left and takes a smaller one', () => {
    const es = [entry('big', [1, 2, 3], 1, 800), entry('mid', [4, 5], 1, 500), entry('s', [6])];
    const c = chooseCover(es, { bytesMax: 650 });
    expect(c.keep).toEqual(['mid', 's']);
    expect([c.bytesKept, c.keysKept, c.rareLost]).toEqual([600, 3, 3]);
  });
});

const arbEntries = fc
  .uniqueArray(
    fc.record({
      name: fc.string({ minLength: 1, maxLength: 6 }),
      keys: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }),
      calls: fc.integer({ min: 1, max: 30 }),
      bytes: fc.integer({ min: 1, max: 5000 }),
    }),
    { selector: (e) => e.name, maxLength: 40 },
  )
  .map((es) => es.map((e) => entry(e.name, e.keys, e.calls, e.bytes)));

describe('chooseCover, any entries', () => {
  it('keeps every key without a limit, each kept entry adding one, in any order given', () => {
    fc.assert(
      fc.property(arbEntries, fc.integer(), (es, shift) => {
        const c = chooseCover(es);
        const kept = es.filter((e) => c.keep.includes(e.name));
        expect(union(kept)).toEqual(union(es));
        expect([c.keys, c.keysKept, c.rareLost]).toEqual([union(es).size, union(es).size, 0]);
        // Each entry in the order adds a key nothing before it reached.
        const seen = new Set<number>();
        for (const e of coverOrder(es)) {
          expect([...e.keys].some((k) => !seen.has(k))).toBe(true);
          for (const k of e.keys) seen.add(k);
        }
        const at = es.length === 0 ? 0 : Math.abs(shift) % es.length;
        const rotated = [...es.slice(at), ...es.slice(0, at)].reverse();
        expect(chooseCover(rotated)).toEqual(c);
      }),
    );
  });

  it('stays within --entries-max and --bytes-max, and says truly what it kept', () => {
    fc.assert(
      fc.property(arbEntries, fc.nat(10), fc.nat(20_000), (es, n, b) => {
        const c = chooseCover(es, { entriesMax: n, bytesMax: b });
        const kept = es.filter((e) => c.keep.includes(e.name));
        expect(kept.length).toBeLessThanOrEqual(n);
        expect(c.bytesKept).toBe(kept.reduce((s, e) => s + e.bytes, 0));
        expect(c.bytesKept).toBeLessThanOrEqual(b);
        expect(c.keysKept).toBe(union(kept).size);
        expect(c.keep.length + c.drop.length).toBe(es.length);
        // The kept entries under a count limit are the first of the unlimited order.
        const order = coverOrder(es).map((e) => e.name);
        expect(chooseCover(es, { entriesMax: n }).keep).toEqual(order.slice(0, n));
      }),
    );
  });
});
