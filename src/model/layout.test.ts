// Where RAM lies: the allocator never hands out a physical page that a memory aperture decodes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ramRuns } from './layout.js';
import { Recorder } from './recorder.js';

const pages = (runs: Array<[number, number]>): number => runs.reduce((n, [a, b]) => n + (b - a), 0);

describe('ramRuns', () => {
  it('is the one run [0x100, ramPages) when no hole is in the way', () => {
    expect(ramRuns(0x10000, [])).toEqual([[0x100, 0x10000]]);
    expect(ramRuns(0x10000, [[0xe0000, 0xe1000]])).toEqual([[0x100, 0x10000]]);
  });

  it('skips a hole and remaps what it took above it', () => {
    expect(ramRuns(0x100000, [[0xf0000, 0xf0010]])).toEqual([
      [0x100, 0xf0000],
      [0xf0010, 0x100010],
    ]);
  });

  it('keeps the amount of RAM, sorted, and outside every hole', () => {
    const hole = fc
      .tuple(fc.nat(0x200000), fc.integer({ min: 1, max: 0x40000 }))
      .map(([a, n]): [number, number] => [a, a + n]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x200000 }),
        fc.array(hole, { maxLength: 6 }),
        (ram, holes) => {
          const runs = ramRuns(ram, holes);
          expect(pages(runs)).toBe(Math.max(0, ram - 0x100));
          for (let i = 0; i < runs.length; i++) {
            const [a, b] = runs[i] as [number, number];
            expect(a).toBeLessThan(b);
            expect(a).toBeGreaterThanOrEqual(
              i === 0 ? 0x100 : (runs[i - 1] as [number, number])[1],
            );
            for (const [h0, h1] of holes)
              expect(b <= h0 || a >= h1, `[${a}, ${b}) in [${h0}, ${h1})`).toBe(true);
          }
        },
      ),
    );
  });
});

describe('RAM and apertures in the model', () => {
  // 4 GiB of RAM reaches the apertures under 4 GiB; pool pages come from the top of RAM.
  const device = {
    systemMemoryBytes: 4 * 2 ** 30,
    apertures: [{ name: 'top', base: 0xffff0000n, length: 0x10000, space: 'memory' as const }],
  };

  it.each(['default', 'alternate'] as const)(
    'writing pool memory never shows through an aperture view (%s layout)',
    (layout) => {
      const r = new Recorder({ device, layout }, false);
      const view = r.ptr('VideoPortGetDeviceBase', {
        ioAddress: 0xffff0000n,
        numberOfUchars: 0x10000,
        inIoSpace: 0,
      });
      expect(view).not.toBe(0n);
      const block = r.ptr('VideoPortAllocatePool', {
        poolType: 0,
        numberOfBytes: 0x20000,
        tag: 0x616d4456,
      });
      expect(block).not.toBe(0n);
      r.call('@write', { va: block, data: new Uint8Array(0x20000).fill(0xaa) });
      expect(r.model.read(view, 0x10000)).toEqual(new Uint8Array(0x10000));
    },
  );
});
