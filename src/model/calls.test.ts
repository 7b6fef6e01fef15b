// The call-description table against the spec and the handler table.
import { describe, expect, it } from 'vitest';
import {
  CALLS,
  describe as describeCall,
  INERT_FNS,
  RELEASING_FNS,
  releasesObject,
  tableRevision,
} from './calls.js';
import type { ArgType } from './callTypes.js';
import { HANDLERS } from './step.js';

/** Every function of spec §1, sections A–H, spelled out from the spec. */
const SPEC: Readonly<Record<string, readonly string[]>> = {
  A: ['VideoPortGetDmaAdapter', 'VideoPortPutDmaAdapter'],
  B: [
    'VideoPortAllocateCommonBuffer',
    'VideoPortReleaseCommonBuffer',
    'VideoPortGetCommonBuffer',
    'VideoPortFreeCommonBuffer',
    'VideoPortAllocateContiguousMemory',
  ],
  C: ['VideoPortLockBuffer', 'VideoPortUnlockBuffer', 'VideoPortLockPages', 'VideoPortUnlockPages'],
  D: ['VideoPortStartDma', 'VideoPortCompleteDma'],
  E: [
    'VideoPortDoDma',
    'VideoPortGetDmaContext',
    'VideoPortSetDmaContext',
    'VideoPortSignalDmaComplete',
    'VideoPortAssociateEventsWithDmaHandle',
    'VideoPortGetBytesUsed',
    'VideoPortSetBytesUsed',
    'VideoPortGetMdl',
    'VideoPortMapDmaMemory',
    'VideoPortUnmapDmaMemory',
  ],
  F: [
    'VideoPortGetDeviceBase',
    'VideoPortFreeDeviceBase',
    'VideoPortMapMemory',
    'VideoPortUnmapMemory',
    'VideoPortMapBankedMemory',
  ],
  G: [
    'VideoPortAllocatePool',
    'VideoPortFreePool',
    'VideoPortAllocateBuffer',
    'VideoPortReleaseBuffer',
  ],
  H: [
    'VideoPortCreateEvent',
    'VideoPortDeleteEvent',
    'VideoPortSetEvent',
    'VideoPortClearEvent',
    'VideoPortReadStateEvent',
    'VideoPortWaitForSingleObject',
  ],
};
const EVENTS = ['@write', '@read', '@executeDma', '@deviceDma'];

describe('the call-description table', () => {
  it('describes exactly the functions the handler table models', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(CALLS.map((c) => c.fn).sort());
    expect(new Set(CALLS.map((c) => c.fn)).size).toBe(CALLS.length);
  });

  it('holds every spec §1 A–H function, in its section, plus the four environment events', () => {
    for (const [section, fns] of Object.entries(SPEC))
      for (const fn of fns) expect(describeCall(fn)?.section, fn).toBe(section);
    const all = [...Object.values(SPEC).flat(), ...EVENTS];
    expect(all).toHaveLength(42);
    expect(CALLS.map((c) => c.fn).sort()).toEqual(all.sort());
    for (const fn of EVENTS)
      expect(describeCall(fn)).toMatchObject({ section: 'env', family: 'event' });
  });

  it('has no VideoPortGetScatterGatherList (it does not exist)', () => {
    expect(describeCall('VideoPortGetScatterGatherList')).toBeUndefined();
  });

  it('calls the whole of section E, and only it, inert', () => {
    expect([...INERT_FNS].sort()).toEqual([...(SPEC['E'] ?? [])].sort());
  });

  it('names arguments after the C parameters and lists out-params among them', () => {
    for (const c of CALLS) {
      const names = c.args.map((a) => a.name);
      expect(new Set(names).size, c.fn).toBe(names.length);
      if (c.section !== 'env') expect(names[0], c.fn).toMatch(/^hwDeviceExtension$/);
      for (const o of c.out) {
        if (c.section === 'env') continue;
        expect(names, `${c.fn} out ${o.name}`).toContain(o.name);
      }
      for (const a of c.args) expect(a.name, c.fn).toMatch(/^[a-z][A-Za-z0-9]*$/);
    }
  });

  it('gives generation hints of the argument type, in range', () => {
    const fits: Record<ArgType, (v: unknown) => boolean> = {
      ptr: (v) => typeof v === 'bigint' && v >= 0n && v < 1n << 64n,
      u64: (v) => typeof v === 'bigint' && v >= 0n && v < 1n << 64n,
      i64: (v) => typeof v === 'bigint' && v >= -(1n << 63n) && v < 1n << 63n,
      u8: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xff,
      u32: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff,
      i32: (v) => Number.isInteger(v) && Math.abs(v as number) <= 0x80000000,
      usize: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
      bool: (v) => typeof v === 'boolean',
      bytes: () => false,
      vrp: () => false,
      devdesc: () => false,
      sglist: () => false,
    };
    for (const c of CALLS)
      for (const a of c.args)
        for (const v of a.values ?? [])
          expect(fits[a.type](v), `${c.fn}.${a.name}=${v}`).toBe(true);
  });

  it('marks obsolete functions and weights every call', () => {
    const obsolete = CALLS.filter((c) => c.obsolete).map((c) => c.fn);
    expect(obsolete).toEqual(
      expect.arrayContaining([
        ...(SPEC['E'] ?? []),
        'VideoPortGetCommonBuffer',
        'VideoPortLockPages',
      ]),
    );
    expect(obsolete).not.toContain('VideoPortStartDma');
    for (const c of CALLS) expect(c.weight, c.fn).toBeGreaterThan(0);
  });

  it('notes each ReactOS divergence the spec lists', () => {
    for (const fn of [
      'VideoPortGetCommonBuffer',
      'VideoPortLockPages',
      'VideoPortUnlockPages',
      'VideoPortStartDma',
      'VideoPortGetMdl',
      'VideoPortGetDeviceBase',
      'VideoPortFreeDeviceBase',
      'VideoPortMapMemory',
      'VideoPortUnmapMemory',
      'VideoPortMapBankedMemory',
      'VideoPortAllocateBuffer',
      'VideoPortDeleteEvent',
    ])
      expect(describeCall(fn)?.reactos, fn).toBeTruthy();
  });

  it('marks the calls that end an object, each ending a kind some call produces', () => {
    const produced = new Set(
      CALLS.flatMap((c) => [
        ...(c.ret?.produces === undefined ? [] : [c.ret.produces.res]),
        ...c.out.flatMap((o) => (o.produces === undefined ? [] : [o.produces.res])),
      ]),
    );
    for (const c of CALLS)
      for (const a of c.args.filter(releasesObject)) {
        expect(c.family, c.fn).toBe('api');
        if (a.role.kind === 'consumes') expect(produced, `${c.fn}.${a.name}`).toContain(a.role.res);
      }
    // The calls spec §1 says free, unmap, unlock, put, delete or complete; a call that only
    // uses a handle (SetEvent, StartDma's MDL) ends nothing.
    expect([...RELEASING_FNS].sort()).toEqual([
      'VideoPortCompleteDma',
      'VideoPortDeleteEvent',
      'VideoPortFreeCommonBuffer',
      'VideoPortFreeDeviceBase',
      'VideoPortFreePool',
      'VideoPortPutDmaAdapter',
      'VideoPortReleaseBuffer',
      'VideoPortReleaseCommonBuffer',
      'VideoPortUnlockBuffer',
      'VideoPortUnmapMemory',
    ]);
    expect(RELEASING_FNS.has('VideoPortSetEvent')).toBe(false);
  });

  it('has a stable revision that is a function of the table', () => {
    expect(tableRevision()).toMatch(/^[0-9a-f]{8}$/);
    expect(tableRevision()).toBe(tableRevision());
  });
});
