// The interchange spelling of 64-bit values: "0x..." lower-case, no padding.

export const U64_MASK = (1n << 64n) - 1n;

export function hex(value: bigint | number): string {
  const v = typeof value === 'number' ? BigInt(value) : value;
  return v < 0n ? `0x${(v & U64_MASK).toString(16)}` : `0x${v.toString(16)}`;
}

const HEX_RE = /^0x[0-9a-fA-F]{1,16}$/;

/** Parses "0x..." (at most 64 bits); undefined if it is not one. */
export function parseHex(text: string): bigint | undefined {
  return HEX_RE.test(text) ? BigInt(text) : undefined;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b < 16 ? `0${b.toString(16)}` : b.toString(16);
  return s;
}

const BYTES_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Parses a hex byte string ("" is empty); undefined if malformed. */
export function hexToBytes(text: string): Uint8Array | undefined {
  if (!BYTES_RE.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
