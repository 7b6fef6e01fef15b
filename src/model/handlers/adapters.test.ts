// A. VideoPortGetDmaAdapter / VideoPortPutDmaAdapter.
import { describe, expect, it } from 'vitest';
import { deadAdaptersMax, objectsMax } from '../../core/limits.js';
import { PROFILES } from '../device.js';
import {
  deviceDescription,
  dmaCycle,
  driver,
  getAdapter,
  lockPool,
  startDma,
  tinyDevice,
} from '../testDevice.js';

describe.each(PROFILES)('VideoPortGetDmaAdapter (%s)', (profile) => {
  it('returns a fresh handle and records the adapter with its map registers', () => {
    const r = driver(profile);
    const before = r.model.version();
    const got = r.call('VideoPortGetDmaAdapter', { vpDeviceDescription: deviceDescription() });
    expect(got.branch).toBe('ok');
    expect(got.misuse).toBeUndefined();
    expect(typeof got.ret).toBe('bigint');
    expect(got.ret).not.toBe(0n);
    expect(got.out).toBeUndefined();
    expect(r.model.version()).not.toBe(before);
    // tinyDevice has 8 map registers; a 1 MiB maximum would want 257.
    expect(r.model.liveState().adapters).toEqual([
      { handle: got.ret, mapRegisters: 8, mapRegistersUsed: 0 },
    ]);
  });

  it('gives each concurrent DMA path its own adapter', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = getAdapter(r);
    expect(a).not.toBe(b);
    expect(r.model.liveState().adapters.map((x) => x.handle)).toEqual([a, b]);
  });

  it('sizes map registers by MaximumLength (one per page, plus one for a straddling start)', () => {
    const r = driver(profile);
    getAdapter(r, { maximumLength: 0x2000 });
    getAdapter(r, { maximumLength: 0x2001 });
    expect(r.model.liveState().adapters.map((x) => x.mapRegisters)).toEqual([3, 4]);
  });

  // docs/calls.md, GetDmaAdapter: the smaller MaximumLength of description and device counts.
  it("sizes map registers by the smaller of the description's and the device's MaximumLength", () => {
    const r = driver(profile, tinyDevice({ maximumLength: 0x2000 }));
    getAdapter(r, { maximumLength: 0x100000 });
    getAdapter(r, { maximumLength: 0x1000 });
    expect(r.model.liveState().adapters.map((x) => x.mapRegisters)).toEqual([3, 2]);
  });

  it('NULL description is misuse and creates nothing', () => {
    const r = driver(profile);
    const before = r.model.version();
    const got = r.call('VideoPortGetDmaAdapter', { vpDeviceDescription: 0n });
    expect(got.ret).toBe(0n);
    expect(got.misuse).toBe(profile === 'reactos' ? 'null-description-crash' : 'null-description');
    expect(r.model.version()).toBe(before);
    expect(r.model.liveState().adapters).toEqual([]);
  });

  it('returns NULL once objectsMax adapters are live', () => {
    const r = driver(profile);
    for (let i = 0; i < objectsMax; i++) expect(getAdapter(r)).not.toBe(0n);
    const got = r.call('VideoPortGetDmaAdapter', { vpDeviceDescription: deviceDescription() });
    expect(got).toMatchObject({ ret: 0n, branch: 'limit' });
    expect(got.misuse).toBeUndefined();
    expect(r.model.liveState().adapters).toHaveLength(objectsMax);
  });
});

describe.each(PROFILES)('VideoPortPutDmaAdapter (%s)', (profile) => {
  it('frees the adapter: VOID, gone from the live state', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const got = r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    expect(got).toEqual({ branch: 'ok' });
    expect(r.model.liveState().adapters).toEqual([]);
  });

  it('double put is misuse and changes nothing', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    const before = r.model.version();
    const got = r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    expect(got.misuse).toBe('double-put');
    expect(r.model.version()).toBe(before);
  });

  it('remembers the latest put adapters only: a long trace does not grow the model', () => {
    const r = driver(profile);
    const first = getAdapter(r);
    r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: first });
    let last = first;
    for (let i = 0; i < deadAdaptersMax; i++) {
      last = getAdapter(r);
      r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: last });
    }
    expect(r.model.state.deadAdapters.size).toBe(deadAdaptersMax);
    expect(r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: last }).misuse).toBe('double-put');
    expect(r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: first }).misuse).toBe(
      'put-unknown-adapter',
    );
  });

  it('NULL and wild handles are misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    for (const h of [0n, a + 8n, 0x1234n]) {
      expect(r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: h }).misuse).toBe(
        'put-unknown-adapter',
      );
    }
    expect(r.model.liveState().adapters).toHaveLength(1);
  });

  it('put with a live common buffer is misuse (the adapter still goes)', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    r.call('VideoPortAllocateCommonBuffer', {
      vpDmaAdapter: a,
      desiredLength: 0x1000,
      cacheEnabled: false,
      reserved: 0n,
    });
    const got = r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    expect(got.misuse).toBe('put-with-live-buffers');
    expect(r.model.liveState().adapters).toEqual([]);
    expect(r.model.liveState().commonBuffers).toHaveLength(1);
  });

  it('put with a transfer in flight is misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    expect(startDma(r, a, mdl, { length: 0x1000, writeToDevice: true }).ret).toBe(0);
    expect(r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a }).misuse).toBe(
      'put-with-live-transfers',
    );
  });

  it('a put adapter cannot be used again (use after free)', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    dmaCycle(r, a, mdl, { length: 0x1000, writeToDevice: true });
    r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    const alloc = r.call('VideoPortAllocateCommonBuffer', {
      vpDmaAdapter: a,
      desiredLength: 0x1000,
      cacheEnabled: false,
      reserved: 0n,
    });
    expect(alloc).toMatchObject({ ret: 0n, misuse: 'unknown-adapter' });
    const start = startDma(r, a, mdl, { length: 0x1000, writeToDevice: true });
    expect(start).toMatchObject({ ret: 8, misuse: 'unknown-adapter' });
  });
});
