import { describe, expect, it } from 'vitest';
import { zeroed } from './zeroed.js';

describe('zeroed', () => {
  it('hands out zeroed arrays that never share bytes, across slab boundaries', () => {
    const arrays = Array.from({ length: 200 }, (_, i) => zeroed(1 + ((i * 37) % 1024)));
    arrays.forEach((a, i) => {
      expect(a.length).toBe(1 + ((i * 37) % 1024));
      expect(a.every((b) => b === 0)).toBe(true);
      a.fill((i % 255) + 1);
    });
    // Every array still holds only its own fill: no two regions overlap.
    arrays.forEach((a, i) => expect(a.every((b) => b === (i % 255) + 1)).toBe(true));
  });

  it('gives large arrays a backing store of their own', () => {
    const big = zeroed(1 << 20);
    expect(big.length).toBe(1 << 20);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(1 << 20);
  });
});
