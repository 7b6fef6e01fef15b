// compareAt answers as a byte-by-byte memcmp on either side of the length where it stops
// looping and calls Buffer's compare; sameBytes as element-wise equality.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAt, sameBytes } from './sameBytes.js';

function memcmp(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const x = a[aOff + i] ?? 0;
    const y = b[bOff + i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// Few distinct byte values, so equal runs (and differences late in them) are common.
const bytesArb = fc.uint8Array({ min: 0, max: 2, minLength: 0, maxLength: 80 });

describe('compareAt and sameBytes', () => {
  it('compareAt has the sign of memcmp, short and long', () => {
    fc.assert(
      fc.property(bytesArb, bytesArb, fc.nat(), fc.nat(), fc.nat(), (a, b, i, j, k) => {
        const aOff = a.length === 0 ? 0 : i % a.length;
        const bOff = b.length === 0 ? 0 : j % b.length;
        const n = Math.min(a.length - aOff, b.length - bOff, k % 70);
        expect(Math.sign(compareAt(a, aOff, b, bOff, n))).toBe(memcmp(a, aOff, b, bOff, n));
      }),
    );
  });

  it('sameBytes is element-wise equality', () => {
    fc.assert(
      fc.property(bytesArb, bytesArb, (a, b) => {
        const equal = a.length === b.length && a.every((x, i) => x === b[i]);
        expect(sameBytes(a, b)).toBe(equal);
        expect(sameBytes(a, a.slice())).toBe(true);
      }),
    );
  });
});
