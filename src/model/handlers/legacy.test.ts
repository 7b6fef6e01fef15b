// E. The obsolete PDMA family: exact returns, out-parameters equal to their entry values, and
// nothing at all changed (objects, bytes, touched pages), on a device with everything live.
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../core/crc32.js';
import { describe as describeCall } from '../calls.js';
import { PROFILES, type Profile } from '../device.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import {
  driver,
  FRAMEBUFFER,
  getAdapter,
  lockPool,
  mapFramebuffer,
  pattern,
  startDma,
  VGA_PORTS,
  WILD_VA,
  write,
} from '../testDevice.js';
import type { Args, Struct } from '../values.js';

const IN_IO_SPACE = [0, 1, 2, 3, 4, 8, 0xf, 0xffffffff];

interface Scene {
  r: Recorder;
  view: bigint;
  userView: bigint;
  event: bigint;
  vrp: Struct;
}

/** Adapter, common buffer, locked buffer with a delivered transfer, views, event, data. */
function scene(profile: Profile): Scene {
  const r = driver(profile);
  const a = getAdapter(r);
  const common = r.ptr('VideoPortAllocateCommonBuffer', {
    vpDmaAdapter: a,
    desiredLength: 0x2000,
    cacheEnabled: true,
    reserved: 0n,
  });
  write(r, common + 0x10n, pattern(0x100, 1));
  const { va, mdl } = lockPool(r, 0x2000);
  write(r, va, pattern(0x2000, 2));
  startDma(r, a, mdl, { length: 0x1000, writeToDevice: true });
  r.call('@executeDma', { vpDmaAdapter: a });
  startDma(r, a, mdl, { offset: 0x1000, length: 0x1000, writeToDevice: false });
  const view = mapFramebuffer(r, 0x20000);
  write(r, view + 0x5000n, pattern(0x40, 3));
  const mapped = r.call('VideoPortMapMemory', {
    physicalAddress: FRAMEBUFFER,
    length: 0x10000,
    inIoSpace: 0,
    virtualAddress: 0x2a4n,
  });
  const userView = mapped.out?.['virtualAddress'] as bigint;
  const event = r.call('VideoPortCreateEvent', { eventFlag: 1, unused: 0n }).out?.[
    'ppEvent'
  ] as bigint;
  const vrp: Struct = {
    ioControlCode: 0x232010,
    statusBlock: 0xffffe00000003000n,
    inputBuffer: va,
    inputBufferLength: 0x2000,
    outputBuffer: va,
    outputBufferLength: 0x2000,
  };
  return { r, view, userView, event, vrp };
}

/** A checksum of every byte of every live range, for a before/after comparison. */
function snapshot(r: Recorder): number[] {
  return r.model.liveRanges().map((x) => crc32(r.model.read(x.va, x.length) ?? new Uint8Array(0)));
}

/** Runs fn and checks it was inert: exact return, outs = entry values, nothing changed. */
function expectInert(sc: Scene, fn: string, args: Args, ret: unknown): Stepped {
  const { r } = sc;
  r.model.touched();
  const state = r.model.liveState();
  const bytes = snapshot(r);
  const version = r.model.version();
  let got: Stepped | undefined;
  expect(() => (got = r.call(fn, args))).not.toThrow();
  if (got === undefined) throw new Error('unreachable');
  expect(got.ret).toEqual(ret);
  expect(got.misuse).toBeUndefined();
  const outs = describeCall(fn)?.out ?? [];
  expect(Object.keys(got.out ?? {})).toEqual(outs.map((o) => o.name));
  for (const o of outs) expect(got.out?.[o.name], `${fn} ${o.name}`).toEqual(args[o.name]);
  expect(r.model.version()).toBe(version);
  expect(r.model.touched()).toEqual([]);
  expect(r.model.liveState()).toEqual(state);
  expect(snapshot(r)).toEqual(bytes);
  return got;
}

describe.each(PROFILES)('VideoPortMapDmaMemory (%s)', (profile) => {
  it('returns NULL and changes nothing for every InIoSpace, VirtualAddress and pVrp', () => {
    const sc = scene(profile);
    let calls = 0;
    for (const inIoSpace of IN_IO_SPACE)
      for (const virtualAddress of [0n, sc.view, sc.userView, 0x2a4n, WILD_VA])
        for (const pVrp of [0n, sc.vrp])
          for (const [boardAddress, length] of [
            [FRAMEBUFFER, 0x10000],
            [VGA_PORTS, 32],
            [0n, 0],
            [0xffffffffffffffffn, 0xffffffff],
          ] as const) {
            const args: Args = {
              hwDeviceExtension: 0xffffe00000001000n,
              pVrp,
              boardAddress,
              length,
              inIoSpace,
              mappedUserEvent: sc.event,
              displayDriverEvent: 0n,
              virtualAddress,
            };
            expect(expectInert(sc, 'VideoPortMapDmaMemory', args, 0n).branch).toBe('null');
            calls++;
          }
    expect(calls).toBe(IN_IO_SPACE.length * 5 * 2 * 4);
  });
});

describe.each(PROFILES)('VideoPortUnmapDmaMemory (%s)', (profile) => {
  it('returns FALSE and never tears down a real view, even given its VA', () => {
    const sc = scene(profile);
    for (const virtualAddress of [sc.userView, sc.view, 0n, WILD_VA])
      for (const processHandle of [0n, 0x2a4n, 0xffffffffffffffffn])
        for (const boardMemoryHandle of [0n, WILD_VA])
          expectInert(
            sc,
            'VideoPortUnmapDmaMemory',
            { virtualAddress, processHandle, boardMemoryHandle },
            false,
          );
    expect(sc.r.model.read(sc.userView, 0x10000)).toBeDefined();
  });
});

describe.each(PROFILES)('the rest of the PDMA family (%s)', (profile) => {
  const pdmas = [0n, WILD_VA, 0xffffe00010000000n];

  it('DoDma → NULL for every flag', () => {
    const sc = scene(profile);
    for (const pDma of pdmas)
      for (const dmaFlags of [0, 1, 2, 3, 0xffffffff])
        expectInert(sc, 'VideoPortDoDma', { pDma, dmaFlags }, 0n);
  });

  it('Get/SetDmaContext, SignalDmaComplete, Get/SetBytesUsed', () => {
    const sc = scene(profile);
    for (const pDma of pdmas) {
      expectInert(sc, 'VideoPortGetDmaContext', { pDma }, 0n);
      expectInert(sc, 'VideoPortSetDmaContext', { pDma, instanceContext: WILD_VA }, undefined);
      expectInert(sc, 'VideoPortSignalDmaComplete', { pDmaHandle: pDma }, false);
      expectInert(sc, 'VideoPortGetBytesUsed', { pDma }, 0);
      for (const bytesUsed of [0, 0x1000, 0xffffffff])
        expectInert(sc, 'VideoPortSetBytesUsed', { pDma, bytesUsed }, undefined);
    }
  });

  it('AssociateEventsWithDmaHandle → NULL, pVrp untouched', () => {
    const sc = scene(profile);
    for (const pVrp of [0n, sc.vrp])
      for (const mappedUserEvent of [0n, sc.event])
        expectInert(
          sc,
          'VideoPortAssociateEventsWithDmaHandle',
          { pVrp, mappedUserEvent, displayDriverEvent: sc.event },
          0n,
        );
  });

  it('GetMdl: the docs return pDma, ReactOS returns NULL', () => {
    const sc = scene(profile);
    for (const pDma of pdmas) {
      const got = expectInert(sc, 'VideoPortGetMdl', { pDma }, profile === 'docs' ? pDma : 0n);
      expect(got.branch).toBe(profile === 'docs' ? 'echo' : 'stub-null');
    }
  });
});
