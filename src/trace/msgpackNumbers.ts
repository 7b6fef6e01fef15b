// MessagePack's fixed-size numbers: the token, then the value in a fixed number of bytes.
// The .vpt readers that walk raw MessagePack (callFrameReader.ts, mapKeys.ts) skip or read
// them by this one table.

/** [token, bytes after it] for float 32/64, uint 8..64 and int 8..64. */
export const FIXED_NUMBERS: readonly (readonly [number, number])[] = [
  [0xca, 4],
  [0xcb, 8],
  [0xcc, 1],
  [0xcd, 2],
  [0xce, 4],
  [0xcf, 8],
  [0xd0, 1],
  [0xd1, 2],
  [0xd2, 4],
  [0xd3, 8],
];
