// Comparing byte ranges at memcmp speed, without allocating: the memory checks compare every
// byte a call touched, and the answer checks every @read's data.

// Buffer's compare works on any Uint8Array as `this`, so no Buffer object is made per page.
const bufferCompare: (
  this: Uint8Array,
  target: Uint8Array,
  targetStart: number,
  targetEnd: number,
  sourceStart: number,
  sourceEnd: number,
) => number =
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .call
  Buffer.alloc(0).compare;

/** Below this many bytes a plain loop is faster than Buffer's compare and its checks. */
const loopBytesMax = 32;

/** memcmp of a[aOff, aOff + n) and b[bOff, bOff + n), without allocating. */
export function compareAt(
  a: Uint8Array,
  aOff: number,
  b: Uint8Array,
  bOff: number,
  n: number,
): number {
  if (n <= loopBytesMax) {
    for (let i = 0; i < n; i++) {
      const d = (a[aOff + i] ?? 0) - (b[bOff + i] ?? 0);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  }
  return bufferCompare.call(a, b, bOff, bOff + n, aOff, aOff + n);
}

/** Whether a and b hold the same bytes (firstDiff's byte loop then runs only to locate one). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareAt(a, 0, b, 0, a.length) === 0;
}
