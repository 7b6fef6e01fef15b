// F. VideoPortGetDeviceBase / VideoPortFreeDeviceBase.
import { describe, expect, it } from 'vitest';
import {
  VIDEO_MEMORY_SPACE_DENSE,
  VIDEO_MEMORY_SPACE_IO,
  VIDEO_MEMORY_SPACE_P6CACHE,
  VIDEO_MEMORY_SPACE_USER_MODE,
} from '../../core/constants.js';
import { PROFILES } from '../device.js';
import { CURRENT_PROCESS } from './mapping.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import {
  driver,
  FRAMEBUFFER,
  FRAMEBUFFER_BYTES,
  MMIO,
  pattern,
  read,
  VGA_PORTS,
  WILD_VA,
  write,
} from '../testDevice.js';

function base(r: Recorder, bus: bigint, n: number, flags = 0): Stepped {
  return r.call('VideoPortGetDeviceBase', { ioAddress: bus, numberOfUchars: n, inIoSpace: flags });
}
const free = (r: Recorder, va: bigint) => r.call('VideoPortFreeDeviceBase', { mappedAddress: va });

describe.each(PROFILES)('VideoPortGetDeviceBase (%s)', (profile) => {
  it('maps memory space: a kernel view whose bytes are the aperture', () => {
    const r = driver(profile);
    const got = base(r, FRAMEBUFFER + 0x123n, 0x2000);
    expect(got.branch).toBe('memory');
    const va = got.ret as bigint;
    expect(va & 0xfffn).toBe(0x123n);
    expect(r.model.liveState().views).toEqual([
      { va, length: 0x2000, bus: FRAMEBUFFER + 0x123n, space: 'memory', process: 0n, refcount: 1 },
    ]);
    expect(r.model.read(va, 0x2000)).toEqual(new Uint8Array(0x2000));
    write(r, va + 0x1000n, pattern(4));
    expect(read(r, va + 0x1000n, 4)).toEqual(pattern(4));
    // Never beyond NumberOfUchars.
    expect(r.model.read(va + 0x1fffn, 2)).toBeUndefined();
  });

  it('two views of one bus range see the same bytes', () => {
    const r = driver(profile);
    const x = base(r, FRAMEBUFFER, 0x1000).ret as bigint;
    const y = base(r, FRAMEBUFFER + 0x800n, 0x1000).ret as bigint;
    write(r, x + 0x900n, pattern(16, 2));
    expect(read(r, y + 0x100n, 16)).toEqual(pattern(16, 2));
  });

  it('maps I/O space (ReactOS returns the port number itself)', () => {
    const r = driver(profile);
    const got = base(r, VGA_PORTS, 32, VIDEO_MEMORY_SPACE_IO);
    expect(got.branch).toBe('io');
    if (profile === 'reactos') expect(got.ret).toBe(VGA_PORTS);
    else expect(got.ret).not.toBe(VGA_PORTS);
    write(r, got.ret as bigint, pattern(2));
    expect(read(r, got.ret as bigint, 2)).toEqual(pattern(2));
    expect(r.model.liveState().views[0]).toMatchObject({ space: 'io', bus: VGA_PORTS });
  });

  it.each([
    ['zero length', FRAMEBUFFER, 0, 0, 'zero-length'],
    ['outside every aperture', 0x1000n, 0x1000, 0, 'no-aperture'],
    [
      'past the aperture end',
      FRAMEBUFFER + BigInt(FRAMEBUFFER_BYTES) - 0x10n,
      0x20,
      0,
      'no-aperture',
    ],
    ['memory flags on I/O ports', VGA_PORTS, 32, 0, 'no-aperture'],
    ['I/O flag on memory', MMIO, 0x100, VIDEO_MEMORY_SPACE_IO, 'no-aperture'],
    ['huge length', FRAMEBUFFER, 0xffffffff, 0, 'no-aperture'],
  ])('%s: NULL and nothing mapped', (_what, bus, n, flags, branch) => {
    const r = driver(profile);
    expect(base(r, bus, n, flags)).toEqual({ ret: 0n, branch });
    expect(r.model.liveState().views).toEqual([]);
  });

  it('DENSE is ignored', () => {
    const r = driver(profile);
    expect(base(r, MMIO, 0x100, VIDEO_MEMORY_SPACE_DENSE).branch).toBe('memory');
  });

  it('aliases disagreeing on P6CACHE: misuse per the docs; ReactOS strips the flag', () => {
    const r = driver(profile);
    base(r, FRAMEBUFFER, 0x2000);
    const got = base(r, FRAMEBUFFER + 0x1000n, 0x1000, VIDEO_MEMORY_SPACE_P6CACHE);
    expect(got.ret).not.toBe(0n);
    expect(got.misuse).toBe(profile === 'docs' ? 'p6cache-alias-mismatch' : undefined);
  });

  it('USER_MODE: ignored by the docs; ReactOS maps into the current process, unrecorded', () => {
    const r = driver(profile);
    const x = base(r, FRAMEBUFFER, 0x1000, VIDEO_MEMORY_SPACE_USER_MODE).ret as bigint;
    const y = base(r, FRAMEBUFFER, 0x1000, VIDEO_MEMORY_SPACE_USER_MODE).ret as bigint;
    const views = r.model.liveState().views;
    expect(x).not.toBe(y);
    expect(views.map((v) => v.process)).toEqual(
      profile === 'reactos' ? [CURRENT_PROCESS, CURRENT_PROCESS] : [0n, 0n],
    );
  });
});

describe('VideoPortGetDeviceBase (reactos kernel view reuse)', () => {
  it('same bus address and a long enough mapping: refcount++ and the same VA', () => {
    const r = driver('reactos');
    const x = base(r, FRAMEBUFFER, 0x2000).ret;
    const y = base(r, FRAMEBUFFER, 0x1000, VIDEO_MEMORY_SPACE_P6CACHE).ret;
    const z = base(r, FRAMEBUFFER, 0x3000).ret;
    expect(y).toBe(x);
    expect(z).not.toBe(x);
    expect(r.model.liveState().views.map((v) => v.refcount)).toEqual([2, 1]);
  });

  it('searches the newest mapping first (the list is head-inserted)', () => {
    const r = driver('reactos');
    base(r, FRAMEBUFFER, 0x1000);
    const newer = base(r, FRAMEBUFFER, 0x2000).ret;
    expect(base(r, FRAMEBUFFER, 0x800).ret).toBe(newer);
    expect(r.model.liveState().views.map((v) => v.refcount)).toEqual([1, 2]);
  });

  it('the docs profile never reuses', () => {
    const r = driver('docs');
    expect(base(r, FRAMEBUFFER, 0x1000).ret).not.toBe(base(r, FRAMEBUFFER, 0x1000).ret);
  });
});

describe.each(PROFILES)('VideoPortFreeDeviceBase (%s)', (profile) => {
  it('unmaps the view', () => {
    const r = driver(profile);
    const va = base(r, FRAMEBUFFER, 0x1000).ret as bigint;
    expect(free(r, va)).toEqual({ branch: 'ok' });
    expect(r.model.liveState().views).toEqual([]);
    expect(r.call('@read', { va, length: 1 }).misuse).toBe('read-unmapped');
  });

  it('an unknown, interior or already freed address is misuse and changes nothing', () => {
    const r = driver(profile);
    const va = base(r, FRAMEBUFFER, 0x2000).ret as bigint;
    const gone = base(r, MMIO, 0x1000).ret as bigint;
    free(r, gone);
    const before = r.model.version();
    for (const bad of [WILD_VA, va + 0x10n, gone, 0n])
      expect(free(r, bad).misuse).toBe('free-unknown-base');
    expect(r.model.version()).toBe(before);
  });

  it('an I/O-space mapping: unmapped per the docs; a no-op in ReactOS (never recorded)', () => {
    const r = driver(profile);
    const port = base(r, VGA_PORTS, 32, VIDEO_MEMORY_SPACE_IO).ret as bigint;
    const got = free(r, port);
    expect(got.misuse).toBeUndefined();
    expect(r.model.liveState().views).toHaveLength(profile === 'reactos' ? 1 : 0);
  });
});

describe('VideoPortFreeDeviceBase (reactos)', () => {
  it('drops one reference at a time', () => {
    const r = driver('reactos');
    const va = base(r, FRAMEBUFFER, 0x1000).ret as bigint;
    base(r, FRAMEBUFFER, 0x1000);
    expect(free(r, va)).toEqual({ branch: 'refcount' });
    expect(r.model.liveState().views).toMatchObject([{ va, refcount: 1 }]);
    expect(free(r, va)).toEqual({ branch: 'ok' });
    expect(r.model.liveState().views).toEqual([]);
  });

  it('falls back to unmapping a user view at that address', () => {
    const r = driver('reactos');
    const va = base(r, FRAMEBUFFER, 0x1000, VIDEO_MEMORY_SPACE_USER_MODE).ret as bigint;
    expect(free(r, va)).toEqual({ branch: 'fallback-user-unmap' });
    expect(r.model.liveState().views).toEqual([]);
  });

  // Spec §1 F [R]: the fallback unmaps "in the **current** process".
  it('leaves a user view of another process mapped', () => {
    const r = driver('reactos');
    const va = r.call('VideoPortMapMemory', {
      physicalAddress: FRAMEBUFFER,
      length: 0x1000,
      inIoSpace: 0,
      virtualAddress: 0x2a4n,
    }).out?.['virtualAddress'] as bigint;
    expect(free(r, va)).toMatchObject({ misuse: 'free-unknown-base' });
    expect(r.model.liveState().views).toMatchObject([{ va, process: 0x2a4n }]);
  });
});
