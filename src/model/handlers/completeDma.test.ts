// D. VideoPortCompleteDma, and the device moving the bytes of a delivered list (@deviceDma).
import { describe, expect, it } from 'vitest';
import { NO_ERROR } from '../../core/constants.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import {
  dmaCycle,
  driver,
  FRAMEBUFFER,
  FRAMEBUFFER_BYTES,
  getAdapter,
  lockPool,
  mapFramebuffer,
  MMIO,
  pattern,
  read,
  startDma,
  tinyDevice,
  VGA_PORTS,
  write,
} from '../testDevice.js';
import type { Struct } from '../values.js';

const execute = (r: Recorder, adapter: bigint) => r.call('@executeDma', { vpDmaAdapter: adapter });
const complete = (r: Recorder, adapter: bigint, sgList: bigint, writeToDevice = true) =>
  r.call('VideoPortCompleteDma', { vpDmaAdapter: adapter, vpScatterGather: sgList, writeToDevice });

/** An adapter with one delivered 0x2000-byte to-device list. */
function delivered(r: Recorder): { a: bigint; mdl: bigint; va: bigint; sgList: bigint } {
  const a = getAdapter(r);
  const { va, mdl } = lockPool(r, 0x2000);
  startDma(r, a, mdl, { length: 0x2000, writeToDevice: true });
  return { a, mdl, va, sgList: execute(r, a).out?.['sgList'] as bigint };
}

describe.each(PROFILES)('VideoPortCompleteDma (%s)', (profile) => {
  it('frees the list and its map registers; always NO_ERROR', () => {
    const r = driver(profile);
    const { a, sgList } = delivered(r);
    expect(complete(r, a, sgList)).toEqual({ ret: NO_ERROR, branch: 'ok' });
    const live = r.model.liveState();
    expect(live.transfers).toEqual([]);
    expect(live.adapters[0]?.mapRegistersUsed).toBe(0);
    expect(live.mdls[0]?.inFlight).toBe(0);
  });

  it('without StartDma, or twice, is misuse that changes nothing', () => {
    const r = driver(profile);
    const { a, sgList } = delivered(r);
    const before = r.model.version();
    expect(complete(r, a, 0xffffe000deadbe00n)).toMatchObject({
      ret: NO_ERROR,
      misuse: 'complete-unknown-list',
    });
    expect(r.model.version()).toBe(before);
    complete(r, a, sgList);
    expect(complete(r, a, sgList).misuse).toBe('complete-unknown-list');
  });

  it('before @executeDma is misuse and the transfer stays pending', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    startDma(r, a, mdl, { length: 0x1000, writeToDevice: true });
    const sgList = r.model.liveState().transfers[0]?.sgList ?? 0n;
    expect(complete(r, a, sgList)).toMatchObject({
      ret: NO_ERROR,
      misuse: 'complete-before-execute',
    });
    expect(r.model.liveState().transfers).toMatchObject([{ sgList, state: 'pending' }]);
  });

  it('the wrong adapter or direction is misuse (the list is freed all the same)', () => {
    const r = driver(profile);
    const x = delivered(r);
    const other = getAdapter(r);
    expect(complete(r, other, x.sgList).misuse).toBe('complete-wrong-adapter');
    const y = delivered(r);
    expect(complete(r, y.a, y.sgList, false).misuse).toBe('complete-direction-mismatch');
    expect(r.model.liveState().transfers).toEqual([]);
  });
});

describe.each(PROFILES)('@deviceDma (%s)', (profile) => {
  it('to the device: locked-buffer bytes arrive in the framebuffer', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { va, mdl } = lockPool(r, 0x2000);
    const data = pattern(0x2000, 7);
    write(r, va, data);
    const fb = mapFramebuffer(r);
    r.model.touched();
    const cycle = dmaCycle(r, a, mdl, {
      length: 0x2000,
      writeToDevice: true,
      deviceAddress: FRAMEBUFFER + 0x10000n,
    });
    expect(cycle.device).toEqual({ ret: 0x2000, branch: 'to-device' });
    expect(read(r, fb + 0x10000n, 0x2000)).toEqual(data);
    expect(r.model.read(fb + 0xfff0n, 16)).toEqual(new Uint8Array(16));
  });

  it('from the device: framebuffer bytes arrive in the locked buffer', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { va, mdl } = lockPool(r, 0x2000);
    const fb = mapFramebuffer(r);
    const data = pattern(0x2000, 11);
    write(r, fb + 0x3000n, data);
    const cycle = dmaCycle(r, a, mdl, {
      length: 0x2000,
      writeToDevice: false,
      deviceAddress: FRAMEBUFFER + 0x3000n,
    });
    expect(cycle.device).toEqual({ ret: 0x2000, branch: 'from-device' });
    expect(read(r, va, 0x2000)).toEqual(data);
  });

  it('from never-written device memory: the buffer becomes zeros (and stays unwritten)', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const x = lockPool(r, 0x2000);
    const y = lockPool(r, 0x1000);
    write(r, x.va + 0x800n, pattern(0x1000, 3));
    const from = { length: 0x2000, writeToDevice: false, deviceAddress: FRAMEBUFFER + 0x40000n };
    dmaCycle(r, a, x.mdl, from);
    expect(read(r, x.va, 0x2000)).toEqual(new Uint8Array(0x2000));
    r.model.touched();
    const before = r.model.version();
    dmaCycle(r, a, y.mdl, { ...from, length: 0x1000 });
    expect(r.model.touched()).toEqual([]); // zeros over zeros: no byte changed
    expect(r.model.liveState().transfers).toEqual([]);
    expect(r.model.version()).not.toBe(before); // the transfer objects came and went
  });

  it('touched() reports the bytes the device wrote, page by page', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { va, mdl } = lockPool(r, 0x1000);
    write(r, va, pattern(0x1000));
    const fb = mapFramebuffer(r, 0x4000);
    r.model.touched();
    startDma(r, a, mdl, { length: 0x1000, writeToDevice: true });
    const sgList = execute(r, a).out?.['sgList'] as bigint;
    expect(r.model.touched()).toEqual([]);
    r.call('@deviceDma', { sgList, deviceAddress: FRAMEBUFFER + 0x1800n });
    expect(r.model.touched()).toEqual([
      { address: fb + 0x1800n, length: 0x800 },
      { address: fb + 0x2000n, length: 0x800 },
    ]);
  });

  it.each([
    ['past the end of the framebuffer', FRAMEBUFFER + BigInt(FRAMEBUFFER_BYTES) - 0x1000n],
    ['below every aperture', 0x1000n],
    ['in I/O space', VGA_PORTS],
    ['straddling two apertures', MMIO - 0x1000n],
  ])('a device address %s is misuse and moves nothing', (_what, deviceAddress) => {
    const r = driver(profile);
    const { sgList } = delivered(r);
    const before = r.model.version();
    expect(r.call('@deviceDma', { sgList, deviceAddress })).toEqual({
      ret: 0,
      branch: 'device-address-outside-aperture',
      misuse: 'device-address-outside-aperture',
    });
    expect(r.model.version()).toBe(before);
  });

  it('needs a delivered list: pending, completed and unknown lists are misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    startDma(r, a, mdl, { length: 0x1000, writeToDevice: true });
    const sgList = r.model.liveState().transfers[0]?.sgList ?? 0n;
    const dma = () => r.call('@deviceDma', { sgList, deviceAddress: FRAMEBUFFER });
    expect(dma().misuse).toBe('device-dma-without-list');
    execute(r, a);
    expect(dma().branch).toBe('to-device');
    complete(r, a, sgList);
    expect(dma().misuse).toBe('device-dma-without-list');
    expect(r.call('@deviceDma', { sgList: 0n, deviceAddress: FRAMEBUFFER }).misuse).toBe(
      'device-dma-without-list',
    );
  });
});

describe.each(PROFILES)('map registers without scatter/gather (%s)', (profile) => {
  it('live transfers never share logical addresses, even after out-of-order completion', () => {
    const r = driver(profile, tinyDevice({ scatterGather: false }));
    const a = getAdapter(r);
    const bufs = [0, 1, 2, 3].map(() => lockPool(r, 0x2000));
    const lists: bigint[] = [];
    const elementOf = new Map<bigint, Struct>();
    const go = (i: number): void => {
      const mdl = bufs[i]?.mdl ?? 0n;
      expect(startDma(r, a, mdl, { length: 0x2000, writeToDevice: true }).ret).toBe(NO_ERROR);
      const out = execute(r, a).out;
      const sg = out?.['sgList'] as bigint;
      lists.push(sg);
      elementOf.set(sg, (out?.['elements'] as Struct[])[0] ?? {});
    };
    go(0);
    go(1);
    go(2);
    complete(r, a, lists[0] ?? 0n); // frees the lowest registers while 1 and 2 stay live
    go(3);
    const live = r.model.liveState().transfers.map((t) => elementOf.get(t.sgList));
    expect(live).toHaveLength(3);
    const spans = live.map((e) => [e?.['address'] as bigint, e?.['length'] as number] as const);
    for (const [i, [x, xn]] of spans.entries())
      for (const [y, yn] of spans.slice(i + 1))
        expect(x + BigInt(xn) <= y || y + BigInt(yn) <= x, `${x} vs ${y}`).toBe(true);
  });
});
