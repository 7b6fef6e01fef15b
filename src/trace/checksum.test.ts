import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../core/crc32.js';
import { frameCrc32, frameCrc32Kind } from './checksum.js';

describe('frameCrc32', () => {
  it('uses zlib on this Node (20.15 and later have zlib.crc32)', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(frameCrc32Kind).toBe(major > 20 || (major === 20 && minor >= 15) ? 'zlib' : 'portable');
  });

  it('gives exactly what the portable CRC-32 gives, so files stay readable either way', () => {
    expect(frameCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(16), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(frameCrc32(view)).toBe(crc32(view));
      }),
    );
  });
});
