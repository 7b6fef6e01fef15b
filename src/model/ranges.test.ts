// visitRange and writeRange reach the page and offset of every byte that the per-byte
// reference below (the locate() they once called for each page) names, for RAM pages and for
// memory and I/O bus windows, at any offset and length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../core/limits.js';
import { ioPageKey, memoryPageKey, PhysMem, type PageKey } from './physmem.js';
import { visitRange, writeRange, type Backing, type CpuRange } from './ranges.js';

/** Page key and in-page offset of byte `off` of a range, one byte at a time. */
function locate(r: CpuRange, off: number): [PageKey, number] {
  const b = r.backing;
  if (b.kind === 'pages') {
    const pageOff = Number(r.va & 0xfffn) + off;
    return [b.keys[Math.floor(pageOff / PAGE_SIZE)] ?? 0, pageOff % PAGE_SIZE];
  }
  const addr = b.base + BigInt(off);
  const key = b.space === 'io' ? ioPageKey(addr) : memoryPageKey(addr);
  return [key, Number(addr & 0xfffn)];
}

const backingArb: fc.Arbitrary<Backing> = fc.oneof(
  fc
    .uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 4, maxLength: 4 })
    .map((keys) => ({ kind: 'pages' as const, keys })),
  fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }), fc.constantFrom('memory', 'io'))
    .map(([base, space]) => ({ kind: 'linear' as const, base, space })),
);

/** A range over at most 4 pages, and an access inside it. */
const accessArb = fc
  .tuple(backingArb, fc.integer({ min: 0, max: PAGE_SIZE - 1 }), fc.nat(), fc.nat())
  .map(([backing, inPage, a, b]) => {
    const length = 3 * PAGE_SIZE - inPage;
    const va = 0x7000_0000n + BigInt(inPage);
    const off = a % length;
    const n = 1 + (b % (length - off));
    const r: CpuRange = { va, length, kind: 'view', backing };
    return { r, off, n };
  });

describe('visitRange and writeRange', () => {
  it('write and read every byte where the per-byte reference puts it', () => {
    fc.assert(
      fc.property(accessArb, ({ r, off, n }) => {
        const mem = new PhysMem();
        const data = Uint8Array.from({ length: n }, (_, i) => 1 + (i % 251));
        writeRange(mem, r, off, data);
        for (let i = 0; i < n; i++) {
          const [key, at] = locate(r, off + i);
          expect(mem.readPage(key)?.[at]).toBe(data[i]);
        }
        const seen: number[] = [];
        const all = visitRange(mem, r, off, n, (page, pageOff, count, at) => {
          expect(at).toBe(seen.length);
          const [key, inPage] = locate(r, off + at);
          expect(page).toBe(mem.readPage(key));
          expect(pageOff).toBe(inPage);
          for (let i = 0; i < count; i++) seen.push(page?.[pageOff + i] ?? 0);
          return true;
        });
        expect(all).toBe(true);
        expect(seen).toEqual([...data]);
      }),
    );
  });

  it('stops at the first visit that says so', () => {
    const mem = new PhysMem();
    const r: CpuRange = {
      va: 0x1000n,
      length: 3 * PAGE_SIZE,
      kind: 'pool',
      backing: { kind: 'pages', keys: [7, 3, 9] },
    };
    let visits = 0;
    expect(visitRange(mem, r, 10, 2 * PAGE_SIZE, () => ++visits < 2)).toBe(false);
    expect(visits).toBe(2);
  });
});
