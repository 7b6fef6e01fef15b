// The .vpt frame checksum: CRC-32 (core/crc32.ts), computed by zlib's native code where Node
// has it (20.15 and later: about a fifth of .vpt decoding was this loop in JavaScript), by
// the portable table version otherwise. Both give the same number; a test holds them to it.
import * as zlib from 'node:zlib';
import { crc32 as portableCrc32 } from '../core/crc32.js';

type Crc32 = (bytes: Uint8Array) => number;

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export const frameCrc32: Crc32 =
  typeof native === 'function' ? (bytes) => native(bytes) >>> 0 : (bytes) => portableCrc32(bytes);

/** Which implementation frameCrc32 uses (for the benchmark's record). */
export const frameCrc32Kind: 'zlib' | 'portable' =
  typeof native === 'function' ? 'zlib' : 'portable';
