// How far a memory difference reaches, for the report: a violation showing one byte ("0x00
// became 0x10") cannot tell a ULONG written at +4 from an off-by-one. Computed only once a
// difference is found, over the span that was compared (one chunk of at most a megabyte).

/** Bytes of both sides shown around a difference. */
export const windowBytes = 16;

export interface DiffExtent {
  /** Oracle-space address of the last byte that differs in the span compared. */
  readonly last: bigint;
  /** Bytes that differ, from the first to the last. */
  readonly count: number;
  /** Where the bytes shown start (oracle space), and both sides' bytes from there. */
  readonly from: bigint;
  readonly expected: Uint8Array;
  readonly actual: Uint8Array;
}

/**
 * The extent of the differences between two equally long byte arrays at `address`, the first
 * at index `first`. The window starts a 4-byte word before the word holding the first
 * difference (so a write at +4 shows with the word before it), or at that word when the
 * differences run longer than the window can show with it; never outside the span.
 */
export function extentOf(
  address: bigint,
  expected: Uint8Array,
  actual: Uint8Array,
  first: number,
): DiffExtent {
  let last = first;
  let count = 0;
  for (let i = first; i < expected.length; i++) {
    if (expected[i] !== actual[i]) {
      last = i;
      count++;
    }
  }
  const word = first - Number((address + BigInt(first)) & 3n);
  const before = last - word + 1 + 4 <= windowBytes ? 4 : 0;
  let from = Math.max(0, word - before);
  const end = Math.min(expected.length, from + windowBytes);
  from = Math.max(0, Math.min(from, end - windowBytes));
  return {
    last: address + BigInt(last),
    count,
    from: address + BigInt(from),
    expected: expected.slice(from, end),
    actual: actual.slice(from, end),
  };
}

/** Bytes in hex, a space before each 4-byte word of the address space ("11223344 55667788"). */
export function hexWords(at: bigint, bytes: Uint8Array): string {
  let s = '';
  bytes.forEach((b, i) => {
    if (i > 0 && ((at + BigInt(i)) & 3n) === 0n) s += ' ';
    s += b.toString(16).padStart(2, '0');
  });
  return s;
}
