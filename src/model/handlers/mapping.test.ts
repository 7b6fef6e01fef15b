// F. VideoPortMapMemory / VideoPortUnmapMemory / VideoPortMapBankedMemory.
import { describe, expect, it } from 'vitest';
import {
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_PARAMETER,
  ERROR_NOT_ENOUGH_MEMORY,
  NO_ERROR,
  VIDEO_MEMORY_SPACE_IO,
  VIDEO_MEMORY_SPACE_USER_MODE,
} from '../../core/constants.js';
import { objectsMax } from '../../core/limits.js';
import { USER_VA_MAX, USER_VIEW_WINDOW_MAX, USER_VIEW_WINDOW_MIN } from '../access.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import {
  driver,
  FRAMEBUFFER,
  mapFramebuffer,
  pattern,
  read,
  VGA_PORTS,
  write,
} from '../testDevice.js';
import { CURRENT_PROCESS } from './mapping.js';

const PROCESS = 0x2a4n;

function map(r: Recorder, bus: bigint, length: number, flags = 0, va = 0n): Stepped {
  return r.call('VideoPortMapMemory', {
    physicalAddress: bus,
    length,
    inIoSpace: flags,
    virtualAddress: va,
  });
}

function unmap(r: Recorder, va: bigint, processHandle = 0n): Stepped {
  return r.call('VideoPortUnmapMemory', { virtualAddress: va, processHandle });
}

const vaOf = (s: Stepped): bigint => s.out?.['virtualAddress'] as bigint;

describe.each(PROFILES)('VideoPortMapMemory (%s)', (profile) => {
  it('NULL *VirtualAddress maps into system space; the docs round *Length up, ReactOS leaves it', () => {
    const r = driver(profile);
    const got = map(r, FRAMEBUFFER + 0x10n, 0x1000);
    expect(got.ret).toBe(NO_ERROR);
    expect(got.branch).toBe('kernel');
    const va = vaOf(got);
    expect(va).not.toBe(0n);
    expect(got.out?.['length']).toBe(profile === 'docs' ? 0x1ff0 : 0x1000);
    expect(r.model.liveState().views).toEqual([
      { va, length: 0x1000, bus: FRAMEBUFFER + 0x10n, space: 'memory', process: 0n, refcount: 1 },
    ]);
    const fb = mapFramebuffer(r, 0x2000);
    write(r, va, pattern(8));
    expect(read(r, fb + 0x10n, 8)).toEqual(pattern(8));
  });

  it('a process handle in *VirtualAddress maps into that process (past x64 user space)', () => {
    const r = driver(profile);
    const got = map(r, FRAMEBUFFER, 0x4000, 0, PROCESS);
    expect(got).toMatchObject({ ret: NO_ERROR, branch: 'user' });
    const va = vaOf(got);
    expect(va).not.toBe(PROCESS);
    // Where no real capture's user buffer can be (those pass through replay untranslated).
    expect(va > USER_VA_MAX && va >= USER_VIEW_WINDOW_MIN && va < USER_VIEW_WINDOW_MAX).toBe(true);
    expect(r.model.liveState().views[0]).toMatchObject({ va, process: PROCESS, length: 0x4000 });
  });

  it('an access running past the end of a user-space view is misuse, not user memory', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x1000, 0, PROCESS));
    const before = r.model.version();
    // Starting inside the view, or just before it: either way part of it is the view's.
    for (const at of [va + 0x1dn, va - 0x10n]) {
      expect(write(r, at, pattern(0x1000)).misuse).toBe('write-unmapped');
      expect(r.call('@read', { va: at, length: 0x1000 }).misuse).toBe('read-unmapped');
    }
    expect(r.model.version()).toBe(before);
    // Wholly inside it, or wholly beside it in user memory, as before.
    expect(write(r, va + 0x1dn, pattern(0x10)).misuse).toBeUndefined();
    expect(write(r, va + 0x1000n, pattern(0x10)).misuse).toBeUndefined();
  });

  it('USER_MODE with a NULL handle maps into the current process', () => {
    const r = driver(profile);
    const got = map(r, FRAMEBUFFER, 0x1000, VIDEO_MEMORY_SPACE_USER_MODE);
    expect(got.branch).toBe('user');
    expect(r.model.liveState().views[0]?.process).toBe(CURRENT_PROCESS);
  });

  it('maps I/O space', () => {
    const r = driver(profile);
    const got = map(r, VGA_PORTS, 32, VIDEO_MEMORY_SPACE_IO);
    expect(got.ret).toBe(NO_ERROR);
    expect(vaOf(got) === VGA_PORTS).toBe(profile === 'reactos');
  });

  // A zero length inside an aperture translates under ReactOS: 'ReactOS, zero length' below.
  it.each(
    (
      [
        ['outside every aperture', 0x1000n, 0x1000],
        ['zero length', FRAMEBUFFER, 0],
        ['zero length outside every aperture', 0x1000n, 0],
        ['past the aperture end', FRAMEBUFFER + 0xfff000n, 0x2000],
      ] as const
    ).filter(([what]) => profile === 'docs' || what !== 'zero length'),
  )('%s: docs 87, outs left open; ReactOS 8 with *VirtualAddress = NULL', (_w, bus, n) => {
    const r = driver(profile);
    const got = map(r, bus, n, 0, PROCESS);
    if (profile === 'docs')
      expect(got).toEqual({
        ret: ERROR_INVALID_PARAMETER,
        branch: 'no-aperture',
        out: { length: n, virtualAddress: PROCESS },
        unspecified: ['virtualAddress', 'length'],
      });
    else
      expect(got).toEqual({
        ret: ERROR_NOT_ENOUGH_MEMORY,
        branch: 'no-aperture',
        out: { length: n, virtualAddress: 0n },
      });
    expect(r.model.liveState().views).toEqual([]);
  });

  it('when the mapping itself fails: docs 87; ReactOS NO_ERROR with a NULL address (its bug)', () => {
    const r = driver(profile);
    for (let i = 0; i < objectsMax; i++)
      expect(map(r, FRAMEBUFFER, 0x1000, 0, PROCESS).ret).toBe(0);
    const got = map(r, FRAMEBUFFER, 0x1000, 0, PROCESS);
    if (profile === 'docs')
      expect(got).toEqual({
        ret: ERROR_INVALID_PARAMETER,
        branch: 'limit',
        out: { length: 0x1000, virtualAddress: PROCESS },
        unspecified: ['virtualAddress', 'length'],
      });
    else
      expect(got).toEqual({
        ret: NO_ERROR,
        branch: 'map-failed',
        out: { length: 0x1000, virtualAddress: 0n },
      });
  });

  it('ReactOS reuses a kernel GetDeviceBase mapping of the same bus address', () => {
    const r = driver(profile);
    const fb = mapFramebuffer(r, 0x10000);
    const got = vaOf(map(r, FRAMEBUFFER, 0x1000));
    expect(got === fb).toBe(profile === 'reactos');
  });
});

describe.each(PROFILES)('VideoPortUnmapMemory (%s)', (profile) => {
  it('releases a kernel mapping by its base address', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x2000));
    expect(unmap(r, va)).toEqual({ ret: NO_ERROR, branch: 'ok' });
    expect(r.model.liveState().views).toEqual([]);
    expect(r.call('@write', { va, data: pattern(1) }).misuse).toBe('write-unmapped');
  });

  it('releases a user mapping of the current process (ReactOS ignores ProcessHandle)', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x2000, 0, CURRENT_PROCESS));
    expect(unmap(r, va, profile === 'docs' ? CURRENT_PROCESS : 0x9999n)).toEqual({
      ret: NO_ERROR,
      branch: 'ok',
    });
    expect(r.model.liveState().views).toEqual([]);
  });

  // Spec §1 F [R]: "ProcessHandle ignored (current process used)".
  it('a user view of another process: the docs release it with its handle; ReactOS never', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x2000, 0, PROCESS));
    const before = r.model.version();
    for (const handle of [PROCESS, 0n, CURRENT_PROCESS].slice(0, profile === 'docs' ? 1 : 3))
      expect(unmap(r, va, handle)).toEqual({
        ret: NO_ERROR,
        branch: profile === 'docs' ? 'ok' : 'other-process',
      });
    if (profile === 'reactos') {
      expect(r.model.version()).toBe(before);
      expect(r.model.liveState().views).toMatchObject([{ va, process: PROCESS }]);
    } else expect(r.model.liveState().views).toEqual([]);
  });

  it('an interior address: the docs release the whole mapping, ReactOS finds nothing', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x2000));
    const got = unmap(r, va + 0x1000n);
    expect(got).toEqual({ ret: NO_ERROR, branch: profile === 'docs' ? 'interior' : 'not-found' });
    expect(r.model.liveState().views).toHaveLength(profile === 'docs' ? 0 : 1);
  });

  it('an unknown address or the wrong process: docs 87, ReactOS NO_ERROR; nothing changes', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x2000, 0, PROCESS));
    const before = r.model.version();
    const expected = profile === 'docs' ? ERROR_INVALID_PARAMETER : NO_ERROR;
    expect(unmap(r, 0xffff800000000000n)).toEqual({ ret: expected, branch: 'not-found' });
    if (profile === 'docs') {
      expect(unmap(r, va, PROCESS + 4n).ret).toBe(ERROR_INVALID_PARAMETER);
      expect(unmap(r, va, CURRENT_PROCESS).ret).toBe(ERROR_INVALID_PARAMETER);
    }
    expect(r.model.version()).toBe(before);
  });

  // Spec §1 F: "ProcessHandle = 0 or the map-time handle" (docs/spec-gaps.md, ProcessHandle).
  it('ProcessHandle 0 releases a view mapped into any process; another handle only its own', () => {
    const r = driver(profile);
    const mine = vaOf(map(r, FRAMEBUFFER, 0x1000, 0, PROCESS));
    // ReactOS unmaps in the current process only: another process's view stays.
    expect(unmap(r, mine, 0n)).toEqual({
      ret: NO_ERROR,
      branch: profile === 'docs' ? 'ok' : 'other-process',
    });
    const current = vaOf(map(r, FRAMEBUFFER, 0x1000, VIDEO_MEMORY_SPACE_USER_MODE));
    const kernel = vaOf(map(r, FRAMEBUFFER + 0x1000n, 0x1000));
    if (profile === 'docs') {
      // A kernel view was mapped with no handle: a process handle is not its map-time one.
      expect(unmap(r, kernel, PROCESS).ret).toBe(ERROR_INVALID_PARAMETER);
      // USER_MODE without a handle maps into the current process, which -1 names.
      expect(unmap(r, current, CURRENT_PROCESS)).toEqual({ ret: NO_ERROR, branch: 'ok' });
    }
    expect(unmap(r, kernel, 0n).ret).toBe(NO_ERROR);
    expect(r.model.liveState().views).toHaveLength(profile === 'docs' ? 0 : 2);
  });

  it('ReactOS: drops one reference of a reused kernel mapping; never unmaps a port', () => {
    const r = driver(profile);
    const va = vaOf(map(r, FRAMEBUFFER, 0x2000));
    map(r, FRAMEBUFFER, 0x1000);
    const port = vaOf(map(r, VGA_PORTS, 32, VIDEO_MEMORY_SPACE_IO));
    unmap(r, va);
    unmap(r, port);
    const views = r.model.liveState().views;
    if (profile === 'reactos') expect(views).toMatchObject([{ va, refcount: 1 }, { va: port }]);
    else expect(views).toHaveLength(1); // the second memory mapping
  });
});

describe.each(PROFILES)('VideoPortMapBankedMemory (%s)', (profile) => {
  const banked = (r: Recorder, bus: bigint): Stepped =>
    r.call('VideoPortMapBankedMemory', {
      physicalAddress: bus,
      length: 0x10000,
      inIoSpace: 0,
      virtualAddress: 0n,
      bankLength: 0x10000,
      readWriteBank: 1,
      bankRoutine: 0xfffff80000a02000n,
      context: 0n,
    });

  it('docs: maps like MapMemory; ReactOS: ERROR_INVALID_FUNCTION, nothing written', () => {
    const r = driver(profile);
    const got = banked(r, FRAMEBUFFER);
    if (profile === 'reactos') {
      expect(got).toEqual({
        ret: ERROR_INVALID_FUNCTION,
        branch: 'unimplemented',
        out: { length: 0x10000, inIoSpace: 0, virtualAddress: 0n },
      });
      expect(r.model.liveState().views).toEqual([]);
    } else {
      expect(got.ret).toBe(NO_ERROR);
      expect(got.out).toEqual({ length: 0x10000, inIoSpace: 0, virtualAddress: vaOf(got) });
      expect(r.model.liveState().views).toMatchObject([{ va: vaOf(got), length: 0x10000 }]);
    }
  });

  it('docs: ERROR_INVALID_PARAMETER outside the apertures; ReactOS: still 1', () => {
    const r = driver(profile);
    expect(banked(r, 0x1000n).ret).toBe(
      profile === 'docs' ? ERROR_INVALID_PARAMETER : ERROR_INVALID_FUNCTION,
    );
  });
});

describe('VideoPortMapMemory (reactos)', () => {
  // Spec §1 F [R]: "bus-translation failure → 8 (not 87); failed MmMapIoSpace / user-view
  // map → NO_ERROR with NULL VA"; HalTranslateBusAddress takes no length.
  it('zero length in an aperture: NO_ERROR with a NULL VA, the port, or a reused view', () => {
    const r = driver('reactos');
    for (const flags of [0, VIDEO_MEMORY_SPACE_USER_MODE])
      expect(map(r, FRAMEBUFFER, 0, flags)).toEqual({
        ret: NO_ERROR,
        branch: 'zero-length',
        out: { length: 0, virtualAddress: 0n },
      });
    expect(map(r, FRAMEBUFFER, 0, 0, PROCESS).out?.['virtualAddress']).toBe(0n);
    expect(map(r, VGA_PORTS, 0, VIDEO_MEMORY_SPACE_IO)).toEqual({
      ret: NO_ERROR,
      branch: 'io',
      out: { length: 0, virtualAddress: VGA_PORTS },
    });
    expect(r.model.liveState().views).toEqual([]);
    // The mapping list is searched before translating: length 0 ≤ any mapping's length.
    const fb = mapFramebuffer(r, 0x1000);
    expect(map(r, FRAMEBUFFER, 0)).toEqual({
      ret: NO_ERROR,
      branch: 'kernel',
      out: { length: 0, virtualAddress: fb },
    });
    expect(r.model.liveState().views).toMatchObject([{ va: fb, refcount: 2 }]);
  });

  it('the port number again for a longer request: every port of the longer one answers', () => {
    const r = driver('reactos');
    expect(vaOf(map(r, VGA_PORTS, 1, VIDEO_MEMORY_SPACE_IO))).toBe(VGA_PORTS);
    expect(r.call('@read', { va: VGA_PORTS, length: 32 }).misuse).toBe('read-unmapped');
    const base = r.call('VideoPortGetDeviceBase', {
      ioAddress: VGA_PORTS,
      numberOfUchars: 32,
      inIoSpace: VIDEO_MEMORY_SPACE_IO,
    });
    expect(base.ret).toBe(VGA_PORTS);
    expect(r.call('@read', { va: VGA_PORTS, length: 32 }).misuse).toBeUndefined();
    expect(r.model.liveState().views).toMatchObject([{ va: VGA_PORTS, length: 32 }]);
    // A shorter one again leaves it as long as the longest.
    map(r, VGA_PORTS, 1, VIDEO_MEMORY_SPACE_IO);
    expect(r.model.liveState().views).toMatchObject([{ va: VGA_PORTS, length: 32 }]);
  });
});
