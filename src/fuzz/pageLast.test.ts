// Fresh cases lock buffers that start at a page's last byte. A port's page arithmetic (bytes
// to the end of the page, pages spanned, the first scatter/gather element) is most often
// wrong where a buffer crosses a boundary after one byte; a byte-aligned fraction of a range
// lands at page offset 0xfff one time in 4096, so no fresh case ever started a buffer there
// and a port that built the wrong list for one passed every campaign (session 34's blind
// probe). Half the unaligned address draws are now a page's last byte (arbitraries.ts).
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import { decodeResource } from './arbitraries.js';
import { generateCase } from './caseGen.js';
import { place } from './resolve.js';

describe('a page’s last byte', () => {
  it('starts some of the buffers fresh cases lock, each crossing into the next page', () => {
    let crossing = 0;
    for (const seed of [1, 2, 3]) {
      const ctx = { seed, seedText: String(seed), callsMax: 64, base: [] };
      for (let i = 0; i < 200; i++) {
        const t = generateCase(ctx, i);
        const m = new Model({ device: resolveDevice(t.header.device), profile: 'docs' });
        for (const c of t.calls) {
          const r = m.step(c.fn, c.args);
          if (r.misuse !== undefined) break;
          const va = c.args['baseAddress'];
          const len = c.args['length'];
          const locked = c.fn === 'VideoPortLockBuffer' && r.ret !== 0n;
          if (locked && typeof va === 'bigint' && (va & 0xfffn) === 0xfffn && Number(len) >= 2)
            crossing++;
        }
      }
    }
    // 8 in these 600 cases when written (with the swarm's devices, weights.ts); 0 before.
    expect(crossing).toBeGreaterThan(0);
  });

  it('is inside the range, at offset 0xfff of a page, or the range’s own last byte', () => {
    let seen = 0;
    for (let x = 0; x < 0x40000000; x += 0x10000 + 7919) {
      // Sub-draw 6 (bits 13 to 15), a live slot (low bits at or above the hostility).
      const slot = decodeResource('cpu', ((x & ~(7 << 13)) | (6 << 13) | 0x3ff) >>> 0, 16);
      if (slot.s !== 'live' || slot.place.at !== 'pageLast') continue;
      seen++;
      for (const [base, length] of [
        [0x20000000n, 0x3000],
        [0xffffa00000000180n, 0x2d00],
        [0x20000800n, 0x100],
      ] as const) {
        const at = place(base, length, slot.place);
        expect(at >= base && at < base + BigInt(length)).toBe(true);
        expect((at & 0xfffn) === 0xfffn || at === base + BigInt(length) - 1n).toBe(true);
      }
    }
    expect(seen).toBeGreaterThan(1000); // about half of the sub-draw 6 values
  });
});
