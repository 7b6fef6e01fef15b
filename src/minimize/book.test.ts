// The sorted Book finds what the linear one it replaced found (kept here as the reference),
// for any sequence of productions and look-ups: overlapping and nested ranges, the same base
// learned again, ranges forgotten past the cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AddressSpace } from '../model/callTypes.js';
import { Book, type Entry } from './book.js';

/** link()'s book before: the ranges most recent first, scanned in order. */
class LinearBook {
  private readonly exact = new Map<AddressSpace, Map<bigint, Entry>>();
  private readonly ranges = new Map<AddressSpace, Entry[]>();
  constructor(private readonly max: number) {}

  learn(space: AddressSpace, e: Entry): void {
    let m = this.exact.get(space);
    if (m === undefined) this.exact.set(space, (m = new Map<bigint, Entry>()));
    m.set(e.name, e);
    if (space === 'handle' || e.length <= 0) return;
    let r = this.ranges.get(space);
    if (r === undefined) this.ranges.set(space, (r = []));
    r.unshift(e);
    if (r.length > this.max) r.length = this.max;
  }

  find(space: AddressSpace, v: bigint): [Entry, bigint] | undefined {
    const hit = this.exact.get(space)?.get(v);
    if (hit !== undefined) return [hit, 0n];
    for (const e of this.ranges.get(space) ?? []) {
      const off = v - e.name;
      if (off > 0n && off < BigInt(e.length)) return [e, off];
    }
    return undefined;
  }
}

const spaceArb = fc.constantFrom<AddressSpace>('cpu', 'handle', 'device');
// Few bases and lengths, so ranges overlap, nest and repeat; a huge one now and then.
const baseArb = fc.integer({ min: 0, max: 64 }).map((b) => 0x1000n + BigInt(b) * 0x10n);
const lengthArb = fc.oneof(fc.integer({ min: 0, max: 0x80 }), fc.constant(0x10000));
const opArb = fc.oneof(
  fc.record({ learn: fc.constant(true), space: spaceArb, base: baseArb, length: lengthArb }),
  fc.record({
    learn: fc.constant(false),
    space: spaceArb,
    v: fc.integer({ min: 0xff0, max: 0x1500 }).map(BigInt),
  }),
);

describe('Book', () => {
  it('finds what the linear book found, for any productions and look-ups', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 200 }),
        fc.integer({ min: 1, max: 12 }),
        (ops, max) => {
          const sorted = new Book(max);
          const linear = new LinearBook(max);
          ops.forEach((op, i) => {
            if (op.learn) {
              const e: Entry = {
                from: { call: i, at: 'ret' },
                name: op.base,
                model: op.base + 1n,
                length: op.length,
              };
              sorted.learn(op.space, e);
              linear.learn(op.space, e);
            } else {
              expect(sorted.find(op.space, op.v)).toEqual(linear.find(op.space, op.v));
            }
          });
          // And every address near the ranges, at the end.
          for (const space of ['cpu', 'device'] as const)
            for (let v = 0xff0n; v < 0x1500n; v += 7n)
              expect(sorted.find(space, v)).toEqual(linear.find(space, v));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('forgets the oldest range past the cap, and the latest of overlapping ranges wins', () => {
    const b = new Book(2);
    const e = (call: number, name: bigint, length: number): Entry => ({
      from: { call, at: 'ret' },
      name,
      model: name,
      length,
    });
    b.learn('cpu', e(0, 0x1000n, 0x1000));
    b.learn('cpu', e(1, 0x1800n, 0x100));
    expect(b.find('cpu', 0x1810n)?.[0].from.call).toBe(1);
    expect(b.find('cpu', 0x1010n)).toEqual([e(0, 0x1000n, 0x1000), 0x10n]);
    b.learn('cpu', e(2, 0x3000n, 0x10));
    b.learn('cpu', e(3, 0x4000n, 0x10));
    // 0 and 1 are forgotten as ranges (still found by their exact names).
    expect(b.find('cpu', 0x1010n)).toBeUndefined();
    expect(b.find('cpu', 0x1800n)?.[0].from.call).toBe(1);
    expect(b.find('cpu', 0x3008n)?.[0].from.call).toBe(2);
  });
});
