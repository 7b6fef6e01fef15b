// Small, fast, deterministic non-cryptographic hashing (FNV-1a 64 and splitmix64) for
// digests, coverage keys and per-case seeds. Content addresses use SHA-256 in the store.

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** FNV-1a over a string's UTF-16 code units, split into two 32-bit lanes for speed. */
export function hashString(text: string, seed = 0): number {
  const h = new StringHash(seed);
  h.add(text);
  return h.value;
}

/**
 * hashString over pieces of text as if they were one string, without building it (pieces may
 * add up to more than the longest string V8 allows): `add` each in order, then read `value`.
 */
export class StringHash {
  private h1: number;
  private h2: number;

  constructor(seed = 0) {
    this.h1 = 0x811c9dc5 ^ seed;
    this.h2 = 0x01000193 ^ (seed >>> 1);
  }

  add(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** What hashString gives for the pieces added so far, joined. */
  get value(): number {
    // 32 + 21 bits: a safe integer, so it can key a Map without allocation.
    return (this.h1 >>> 0) * 0x200000 + (this.h2 >>> 11);
  }
}

/**
 * hashString's FNV-1a over bytes: fast enough for megabytes (fnv1a64's BigInt steps are not).
 * Each step is a bijection of the state, so two inputs of one length that differ in any one
 * byte always hash differently.
 */
export function hashBytes(bytes: Uint8Array, seed = 0): number {
  let h1 = 0x811c9dc5 ^ seed;
  let h2 = 0x01000193 ^ (seed >>> 1);
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] ?? 0;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
}

export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  return h;
}

/** One splitmix64 step: a well-mixed 64-bit value from any 64-bit input. */
export function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
