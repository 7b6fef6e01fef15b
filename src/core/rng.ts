// The one source of randomness. Every consumer takes an Rng argument; case i of a campaign
// gets rngFor(seed, i), so it depends only on (seed, i) and never on scheduling.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { hashString, splitmix64 } from './hash.js';

export type Rng = ReturnType<typeof xoroshiro128plus>;

/** A seed as the user gave it (decimal or a git SHA), spelled one way, and the 32-bit value derived from it. */
export interface Seed {
  readonly text: string;
  readonly value: number;
}

/** The seed when neither --seed nor VPDMA_SEED gives one (the test suite's too). */
export const DEFAULT_SEED = '20261128';

const DECIMAL_RE = /^\d{1,15}$/;
const HEX_RE = /^[0-9a-f]{1,64}$/;
const HEX_PREFIX_RE = /^0x/i;

/**
 * Parses --seed / VPDMA_SEED: a decimal integer or a hex string such as a git SHA, which may
 * start with `0x`. Undefined for anything else (seedRefusal says why).
 */
export function parseSeed(text: string): Seed | undefined {
  const t = text.trim();
  // The text goes into every case's meta (and so the corpus's file names): one spelling per
  // seed, so 0016 and 16, a SHA in upper and in lower case, or with 0x and without, are the
  // same campaign, and the text printed, given back, is that campaign again.
  if (DECIMAL_RE.test(t)) {
    const value = Number(t);
    return { text: String(value), value: value % 0x1_0000_0000 };
  }
  // A hex seed is hashed as text (a SHA is too long for a number), so `0x` is a prefix only:
  // 0xabc is abc. What would read as decimal without it (0x10) is refused: neither 10 nor 16.
  const hex = t.replace(HEX_PREFIX_RE, '').toLowerCase();
  if (HEX_RE.test(hex) && !DECIMAL_RE.test(hex))
    return { text: hex, value: hashString(hex) % 0x1_0000_0000 };
  return undefined;
}

/** Why parseSeed refused `text`, for the one-line error after "expected ...". */
export function seedRefusal(text: string): string | undefined {
  const t = text.trim();
  const rest = t.replace(HEX_PREFIX_RE, '');
  if (rest === t || !DECIMAL_RE.test(rest)) return undefined;
  const number = BigInt(`0x${rest}`).toString();
  const give = DECIMAL_RE.test(number) ? `; give ${number} for the number ${t}` : '';
  return `a 0x seed is hex text like a git SHA, hashed without its 0x, and ${rest} alone is the decimal ${Number(rest)}${give}`;
}

export function createRng(seed: number): Rng {
  return xoroshiro128plus(seed | 0);
}

/** The generator for case `index` of a campaign seeded with `seed`. */
export function rngFor(seed: number, index: number): Rng {
  const mixed = splitmix64((BigInt(seed >>> 0) << 32n) ^ BigInt(index));
  return xoroshiro128plus(Number(mixed & 0xffffffffn) | 0);
}

/** Uniform integer in [min, max] (inclusive). */
export function int(rng: Rng, min: number, max: number): number {
  return uniformInt(rng, min, max);
}

export function chance(rng: Rng, numerator: number, denominator: number): boolean {
  return uniformInt(rng, 0, denominator - 1) < numerator;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[uniformInt(rng, 0, items.length - 1)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** Index drawn with probability proportional to weights (all >= 0, sum > 0). */
export function weighted(rng: Rng, weights: readonly number[], total: number): number {
  let r = uniformInt(rng, 0, total - 1);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}
