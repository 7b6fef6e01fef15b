// step(): dispatch, out-parameter filling, totality; the Model facade and the Recorder.
import { describe, expect, it } from 'vitest';
import { POISON_PTR, POISON_U32 } from './args.js';
import { CALLS } from './calls.js';
import { PROFILES } from './device.js';
import { Model } from './model.js';
import { HW_DEVICE_EXTENSION } from '../core/constants.js';
import { Recorder } from './recorder.js';
import { HANDLERS, step } from './step.js';
import { deviceDescription, driver, getAdapter } from './testDevice.js';

describe('step', () => {
  it('an unknown function is misuse, changes nothing and still counts a tick', () => {
    const m = new Model();
    const before = m.version();
    const got = m.step('VideoPortGetScatterGatherList', {});
    expect(got).toEqual({ branch: 'unknown-function', misuse: 'unknown-function' });
    expect(m.version()).toBe(before);
    expect(m.state.tick).toBe(1);
    m.step('VideoPortGetDmaContext', { pDma: 0n });
    expect(m.state.tick).toBe(2);
  });

  it('dispatches through HANDLERS', () => {
    const m = new Model();
    const got = step(m.state, 'VideoPortGetBytesUsed', { pDma: 0n });
    expect(got).toEqual(HANDLERS['VideoPortGetBytesUsed']?.(m.state, { pDma: 0n }));
  });

  it('fills out-params: written values, else entry values, else poison of their type', () => {
    const m = new Model({ profile: 'reactos' });
    const none = m.step('VideoPortGetCommonBuffer', { desiredLength: 0x1000 });
    expect(none.out).toEqual({ logicalAddress: POISON_PTR, pActualLength: POISON_U32 });
    const entry = m.step('VideoPortGetCommonBuffer', {
      desiredLength: 0x1000,
      logicalAddress: 5n,
      pActualLength: 6,
    });
    expect(entry.out).toEqual({ logicalAddress: 5n, pActualLength: 6 });
    const created = m.step('VideoPortCreateEvent', { eventFlag: 0 });
    expect(created.out?.['ppEvent']).not.toBe(POISON_PTR);
  });

  it('a VOID function has no ret, a function without out-params no out', () => {
    const m = new Model();
    const got = m.step('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 1 });
    expect('ret' in got).toBe(false);
    expect('out' in got).toBe(false);
  });

  it.each(PROFILES)('is total: every call with empty or mistyped args returns (%s)', (profile) => {
    const m = new Model({ profile });
    for (const c of CALLS) {
      expect(() => m.step(c.fn, {}), c.fn).not.toThrow();
      const junk = Object.fromEntries(c.args.map((a) => [a.name, new Uint8Array(3)]));
      expect(() => m.step(c.fn, junk), c.fn).not.toThrow();
    }
  });
});

describe('Model', () => {
  it('defaults to the docs profile and the documented device', () => {
    const m = new Model();
    expect(m.state.profile).toBe('docs');
    expect(m.state.device.apertures.map((a) => a.name)).toEqual(['framebuffer', 'mmio', 'vga']);
    expect(m.state.device.dma.mapRegisters).toBe(64);
  });

  it('the alternate layout allocates differently', () => {
    const a = new Model();
    const b = new Model({ layout: 'alternate' });
    const args = { vpDeviceDescription: deviceDescription() };
    expect(a.step('VideoPortGetDmaAdapter', args).ret).not.toBe(
      b.step('VideoPortGetDmaAdapter', args).ret,
    );
  });
});

describe('Recorder', () => {
  it('records captured-style calls with hwDeviceExtension filled in for API calls only', () => {
    const r = driver('docs');
    const a = getAdapter(r);
    r.call('@executeDma', { vpDmaAdapter: a });
    expect(r.calls[0]).toEqual({
      fn: 'VideoPortGetDmaAdapter',
      args: { hwDeviceExtension: HW_DEVICE_EXTENSION, vpDeviceDescription: deviceDescription() },
      ret: a,
    });
    expect(r.calls[1]?.args).toEqual({ vpDmaAdapter: a });
    expect(r.calls[1]?.out).toEqual({ sgList: 0n, context: 0n, elements: [] });
  });

  it('keeps an explicit hwDeviceExtension and records args only when not captured', () => {
    const r = new Recorder({}, false);
    r.call('VideoPortGetBytesUsed', { hwDeviceExtension: 7n, pDma: 0n });
    expect(r.calls).toEqual([
      { fn: 'VideoPortGetBytesUsed', args: { hwDeviceExtension: 7n, pDma: 0n } },
    ]);
    expect(r.ptr('VideoPortGetBytesUsed', { pDma: 0n })).toBe(0n);
  });
});
