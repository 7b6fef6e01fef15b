import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('continues across pieces and agrees with the bytewise definition at every length', () => {
    const data = new Uint8Array(67);
    for (let i = 0; i < data.length; i++) data[i] = (i * 151 + 7) & 0xff;
    for (let cut = 0; cut <= data.length; cut++) {
      const whole = crc32(data.subarray(0, cut));
      expect(crc32(data.subarray(0, cut)), `length ${cut}`).toBe(bytewise(data.subarray(0, cut)));
      expect(crc32(data.subarray(cut), whole)).toBe(crc32(data));
    }
  });
});

function bytewise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
