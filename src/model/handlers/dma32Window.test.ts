// An adapter without 64-bit addressing (dma64BitAddresses FALSE in its description or the
// device's) on a machine with RAM above 4 GiB: its scatter/gather list names only addresses
// the device can reach, pages above 4 GiB through its map registers (the logical window), as
// the HAL double-buffers them; an adapter with 64-bit addressing gets the pages themselves.
import { describe, expect, it } from 'vitest';
import { PROFILES, type DeviceSpec } from '../device.js';
import type { Struct } from '../values.js';
import { driver, getAdapter, lockPool, startDma } from '../testDevice.js';

const FOUR_GIB = 0x100000000n;
/** 8 GiB of RAM, a device that can do 64-bit DMA: the description decides. */
const BIG: DeviceSpec = { systemMemoryBytes: 8 * 2 ** 30, dma: { dma64BitAddresses: true } };

function delivered(profile: (typeof PROFILES)[number], dma64: boolean, bytes = 0x3000) {
  const r = driver(profile, BIG);
  const a = getAdapter(r, { dma64BitAddresses: dma64 });
  const { mdl } = lockPool(r, bytes);
  expect(startDma(r, a, mdl, { length: bytes, writeToDevice: true }).ret).toBe(0);
  const out = r.call('@executeDma', { vpDmaAdapter: a }).out ?? {};
  return (out['elements'] ?? []) as Struct[];
}

const ends = (elements: Struct[]) =>
  elements.map((e) => (e['address'] as bigint) + BigInt(e['length'] as number));
const total = (elements: Struct[]) => elements.reduce((n, e) => n + (e['length'] as number), 0);

describe.each(PROFILES)('scatter/gather addresses a 32-bit adapter can reach (%s)', (profile) => {
  it('a 64-bit adapter gets the pages above 4 GiB as they are', () => {
    const elements = delivered(profile, true);
    expect(total(elements)).toBe(0x3000);
    expect(ends(elements).some((end) => end > FOUR_GIB)).toBe(true);
  });

  it('a 32-bit adapter gets them below 4 GiB, the whole length still listed', () => {
    const elements = delivered(profile, false);
    expect(total(elements)).toBe(0x3000);
    for (const end of ends(elements)) expect(end <= FOUR_GIB).toBe(true);
  });

  it('two lists in flight on one adapter share no logical address', () => {
    const r = driver(profile, BIG);
    const a = getAdapter(r, { dma64BitAddresses: false });
    const spans: Array<[bigint, bigint]> = [];
    for (let i = 0; i < 2; i++) {
      const { mdl } = lockPool(r, 0x3000);
      expect(startDma(r, a, mdl, { length: 0x3000, writeToDevice: true }).ret).toBe(0);
    }
    for (let i = 0; i < 2; i++) {
      const elements = (r.call('@executeDma', { vpDmaAdapter: a }).out?.['elements'] ??
        []) as Struct[];
      expect(total(elements)).toBe(0x3000);
      for (const e of elements) {
        const at = e['address'] as bigint;
        spans.push([at, at + BigInt(e['length'] as number)]);
      }
    }
    for (const [i, [a0, a1]] of spans.entries())
      for (const [b0, b1] of spans.slice(i + 1)) expect(a1 <= b0 || b1 <= a0).toBe(true);
    for (const [, end] of spans) expect(end <= FOUR_GIB).toBe(true);
  });
});
