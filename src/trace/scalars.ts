// Normalizers for the scalar ArgTypes (callTypes.ts): each accepts the JSONL spelling and the
// in-memory one (bigint, Uint8Array), and returns the in-memory value or undefined. They
// allocate nothing on success beyond the value itself: this is the hot path of every decoder.
import type { ArgType } from '../model/callTypes.js';
import type { Scalar } from '../model/values.js';
import { bytesArgMax, sgElementsMax } from '../core/limits.js';
import { parseHex, U64_MASK } from '../core/hex.js';

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

export type ScalarType = Exclude<ArgType, 'vrp' | 'devdesc' | 'sglist'>;

/**
 * NULL is the most common pointer in a trace. Every decoded 0n is replaced by this one
 * constant, so a decoded trace keeps one zero instead of one heap BigInt per NULL.
 */
const ZERO = 0n;

export function toU64(v: unknown): bigint | undefined {
  if (typeof v === 'string') return v === '0x0' ? ZERO : parseHex(v);
  if (typeof v === 'bigint') {
    if (v === ZERO) return ZERO;
    return v > ZERO && v <= U64_MASK ? v : undefined;
  }
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  return undefined;
}

function toI64(v: unknown): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v === 'bigint') return v >= I64_MIN && v <= I64_MAX ? v : undefined;
  if (typeof v === 'string') {
    const b = parseHex(v);
    return b === undefined ? undefined : BigInt.asIntN(64, b);
  }
  return undefined;
}

/**
 * An integer in [min, max] from a JSON number or a "0x..." string (read modulo 2^bits), or a
 * bigint in range: a .vpt writer's 64-bit MessagePack integer (int64/uint64) decodes as one,
 * and a value that fits is that value, as a JSON number is whatever its spelling.
 */
function toInt(v: unknown, min: number, max: number, signedBits: number): number | undefined {
  if (typeof v === 'number') {
    // `v + 0` turns -0 into 0, so equal values are also Object.is-equal.
    return Number.isInteger(v) && v >= min && v <= max ? v + 0 : undefined;
  }
  if (typeof v === 'bigint') return v >= min && v <= max ? Number(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const b = parseHex(v);
  if (b === undefined) return undefined;
  if (signedBits > 0) {
    return b < 1n << BigInt(signedBits) ? Number(BigInt.asIntN(signedBits, b)) : undefined;
  }
  return b <= BigInt(max) ? Number(b) : undefined;
}

/** Hex digit values by char code, -1 for anything else. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) NIBBLE[48 + c] = c;
for (let c = 0; c < 6; c++) NIBBLE[97 + c] = NIBBLE[65 + c] = 10 + c;

/** Same result as core/hex.ts hexToBytes, several times faster on long strings. */
function hexBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[text.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLE[text.charCodeAt(2 * i + 1)] ?? -1;
    if ((hi | lo) < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Why a string is not a byte string, for the error message (the decoders only say no). */
export function hexProblem(text: string): string | undefined {
  if (text.length > 2 * bytesArgMax) return `${Math.ceil(text.length / 2)} bytes`;
  const bad = text.search(/[^0-9a-fA-F]/);
  if (bad !== -1) return `${JSON.stringify(text[bad])} at hex digit ${bad + 1}, not a hex digit`;
  if (text.length % 2 !== 0) return `an odd number of hex digits (${text.length})`;
  return undefined;
}

function toBytes(v: unknown): Uint8Array | undefined {
  if (typeof v === 'string') {
    return v.length <= 2 * bytesArgMax ? hexBytes(v) : undefined;
  }
  if (v instanceof Uint8Array && v.length <= bytesArgMax) {
    // A Buffer (msgpackr's binary) becomes a plain Uint8Array view so values compare equal.
    return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.length);
  }
  return undefined;
}

export function normalizeScalar(type: ScalarType, v: unknown): Scalar | undefined {
  switch (type) {
    case 'ptr':
    case 'u64':
      return toU64(v);
    case 'u32':
      return toInt(v, 0, 0xffffffff, 0);
    case 'u8':
      return toInt(v, 0, 0xff, 0);
    case 'i32':
      return toInt(v, -0x80000000, 0x7fffffff, 32);
    case 'usize':
      return toInt(v, 0, Number.MAX_SAFE_INTEGER, 0);
    case 'i64':
      return toI64(v);
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'bytes':
      return toBytes(v);
  }
}

export const EXPECTED: Readonly<Record<ArgType, string>> = {
  ptr: 'a pointer ("0x..." of at most 16 hex digits)',
  u64: 'an unsigned 64-bit value ("0x..." of at most 16 hex digits)',
  u8: 'an unsigned 8-bit integer',
  u32: 'an unsigned 32-bit integer',
  i32: 'a signed 32-bit integer',
  usize: 'a non-negative safe integer',
  i64: 'a signed 64-bit integer (a number, or "0x..." of at most 16 hex digits, two\'s complement)',
  bool: 'true or false',
  bytes: `a hex byte string of at most ${bytesArgMax} bytes`,
  vrp: 'a VIDEO_REQUEST_PACKET object or "0x0"',
  devdesc: 'a VP_DEVICE_DESCRIPTION object or "0x0"',
  sglist: `an array of at most ${sgElementsMax} {address, length} elements`,
};
