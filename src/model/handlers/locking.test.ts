// C. VideoPortLockBuffer / UnlockBuffer / LockPages / UnlockPages.
import { describe, expect, it } from 'vitest';
import { VpModifyAccess, VpReadAccess, VpWriteAccess } from '../../core/constants.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import {
  allocatePool,
  driver,
  getAdapter,
  lockPool,
  mapFramebuffer,
  pattern,
  startDma,
  WILD_VA,
  write,
} from '../testDevice.js';
import type { Struct } from '../values.js';
import { coalesce } from './locking.js';

const USER_BUFFER = 0x10000n;

function lock(r: Recorder, va: bigint, length: number, operation = VpModifyAccess): Stepped {
  return r.call('VideoPortLockBuffer', { baseAddress: va, length, operation });
}

function vrp(input: bigint, length: number): Struct {
  return {
    ioControlCode: 0x232000,
    statusBlock: 0xffffe00000003000n,
    inputBuffer: input,
    inputBufferLength: length,
    outputBuffer: 0xffffe00000004000n,
    outputBufferLength: 0x40,
  };
}

function lockPages(r: Recorder, packet: Struct | bigint, dmaFlags = 3): Stepped {
  return r.call('VideoPortLockPages', {
    pVrp: packet,
    pUEvent: 0n,
    pDisplayEvent: 0n,
    dmaFlags,
  });
}

describe.each(PROFILES)('VideoPortLockBuffer (%s)', (profile) => {
  it.each([VpReadAccess, VpWriteAccess, VpModifyAccess])(
    'locks a pool buffer for operation %i and returns its MDL',
    (operation) => {
      const r = driver(profile);
      const va = allocatePool(r, 0x2000);
      const got = lock(r, va + 0x10n, 0x1ff0, operation);
      expect(got.branch).toBe('ok');
      expect(got.ret).not.toBe(0n);
      expect(r.model.liveState().mdls).toEqual([
        { handle: got.ret, va: va + 0x10n, length: 0x1ff0, inFlight: 0 },
      ]);
    },
  );

  it('locks user memory, common buffers and device views', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const common = r.ptr('VideoPortAllocateCommonBuffer', {
      vpDmaAdapter: a,
      desiredLength: 0x1000,
      cacheEnabled: false,
      reserved: 0n,
    });
    const view = mapFramebuffer(r, 0x10000);
    for (const [va, n] of [
      [USER_BUFFER + 0x234n, 0x3000],
      [common, 0x1000],
      [view + 0x1000n, 0x2000],
    ] as const) {
      expect(lock(r, va, n).branch).toBe('ok');
    }
    expect(r.model.liveState().mdls).toHaveLength(3);
  });

  it('zero length returns NULL without locking anything', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    expect(lock(r, va, 0)).toEqual({ ret: 0n, branch: 'zero-length' });
    expect(r.model.liveState().mdls).toEqual([]);
  });

  it('an operation outside VP_LOCK_OPERATION is misuse', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    expect(lock(r, va, 0x1000, 3)).toMatchObject({ ret: 0n, misuse: 'bad-operation' });
  });

  it('an invalid buffer raises: misuse (ReactOS does not catch the exception)', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    const tag = profile === 'reactos' ? 'unhandled-probe-exception' : 'invalid-buffer';
    for (const [base, n] of [
      [WILD_VA, 0x1000],
      [va, 0x1001],
      [0n, 0x10],
      [USER_BUFFER, 0xffffffff],
    ] as const) {
      expect(lock(r, base, n)).toMatchObject({ ret: 0n, misuse: tag });
    }
    expect(r.model.liveState().mdls).toEqual([]);
  });

  it('a failed lock of huge user memory takes no RAM with it', () => {
    const r = driver(profile);
    expect(lock(r, USER_BUFFER, 0xffffffff).ret).toBe(0n);
    expect(allocatePool(r, 0x100000)).not.toBe(0n);
  });
});

describe.each(PROFILES)('VideoPortUnlockBuffer (%s)', (profile) => {
  it('unlocks: the MDL is gone', () => {
    const r = driver(profile);
    const { mdl } = lockPool(r, 0x1000);
    expect(r.call('VideoPortUnlockBuffer', { mdl })).toEqual({ branch: 'ok' });
    expect(r.model.liveState().mdls).toEqual([]);
  });

  it('NULL: a no-op in ReactOS, misuse per the docs', () => {
    const r = driver(profile);
    lockPool(r, 0x1000);
    const before = r.model.version();
    const got = r.call('VideoPortUnlockBuffer', { mdl: 0n });
    expect(got.misuse).toBe(profile === 'reactos' ? undefined : 'unlock-null');
    expect(r.model.version()).toBe(before);
  });

  it('unknown and double unlocks are misuse and change nothing', () => {
    const r = driver(profile);
    const { mdl } = lockPool(r, 0x1000);
    r.call('VideoPortUnlockBuffer', { mdl });
    const before = r.model.version();
    expect(r.call('VideoPortUnlockBuffer', { mdl }).misuse).toBe('unlock-unknown-mdl');
    expect(r.call('VideoPortUnlockBuffer', { mdl: WILD_VA }).misuse).toBe('unlock-unknown-mdl');
    expect(r.model.version()).toBe(before);
  });

  it('unlocking with a transfer in flight is misuse; the device can no longer use it', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    startDma(r, a, mdl, { length: 0x1000, writeToDevice: true });
    const sgList = r.call('@executeDma', { vpDmaAdapter: a }).out?.['sgList'] as bigint;
    expect(r.call('VideoPortUnlockBuffer', { mdl }).misuse).toBe('unlock-with-transfer-in-flight');
    const dma = r.call('@deviceDma', { sgList, deviceAddress: 0xe0000000n });
    expect(dma).toMatchObject({ ret: 0, misuse: 'device-dma-after-unlock' });
  });
});

describe('VideoPortLockPages', () => {
  it('docs: InitOnly locks InputBuffer and returns the SG list in OutputBuffer', () => {
    const r = driver('docs');
    const va = allocatePool(r, 0x3000);
    const packet = vrp(va + 0x800n, 0x2000);
    const got = lockPages(r, packet);
    expect(got).toMatchObject({ ret: true, branch: 'ok' });
    const out = got.out?.['pVrp'] as Struct;
    // Pool pages are not physically contiguous: one element per page touched (3).
    expect(out).toEqual({ ...packet, outputBuffer: out['outputBuffer'], outputBufferLength: 88 });
    const list = r.model.read(out['outputBuffer'] as bigint, 88) ?? new Uint8Array(0);
    // The read may be a view into a shared slab (core/zeroed.ts): its own bytes, not offset 0.
    const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
    expect(view.getUint32(0, true)).toBe(3);
    const lengths = [0, 1, 2].map((i) => view.getUint32(16 + i * 24 + 8, true));
    expect(lengths).toEqual([0x800, 0x1000, 0x800]);
    expect(view.getBigUint64(16, true) % 0x1000n).toBe(0x800n);
    expect(r.model.liveState().mdls).toMatchObject([{ va: va + 0x800n, length: 0x2000 }]);
  });

  it('reactos: InitOnly returns the MDL itself and OutputBufferLength = InputBufferLength', () => {
    const r = driver('reactos');
    const va = allocatePool(r, 0x3000);
    const packet = vrp(va, 0x2345);
    const got = lockPages(r, packet);
    expect(got.ret).toBe(true);
    const [mdl] = r.model.liveState().mdls;
    expect(mdl).toMatchObject({ va, length: 0x2345 });
    expect(got.out?.['pVrp']).toEqual({
      ...packet,
      outputBuffer: mdl?.handle,
      outputBufferLength: 0x2345,
    });
  });

  it.each(PROFILES)('%s: flags other than DmaInitOnly return FALSE and lock nothing', (p) => {
    const r = driver(p);
    const va = allocatePool(r, 0x1000);
    const packet = vrp(va, 0x1000);
    for (const flags of [0, 1, 2, 4]) {
      const got = lockPages(r, packet, flags);
      expect(got.ret).toBe(false);
      // ReactOS NULLs OutputBuffer before looking at the flags.
      expect(got.out?.['pVrp']).toEqual(p === 'reactos' ? { ...packet, outputBuffer: 0n } : packet);
    }
    expect(r.model.liveState().mdls).toEqual([]);
  });

  it.each(PROFILES)('%s: a bad or empty input buffer returns FALSE', (p) => {
    const r = driver(p);
    const cleared = (packet: Struct): Struct =>
      p === 'reactos' ? { ...packet, outputBuffer: 0n } : packet;
    const wild = vrp(WILD_VA, 0x1000);
    const bad = lockPages(r, wild);
    expect(bad.ret).toBe(false);
    expect(bad.misuse).toBe(p === 'reactos' ? 'unhandled-probe-exception' : 'invalid-buffer');
    expect(bad.out?.['pVrp']).toEqual(cleared(wild));
    const empty = vrp(allocatePool(r, 0x1000), 0);
    expect(lockPages(r, empty)).toEqual({
      ret: false,
      branch: 'zero-length',
      out: { pVrp: cleared(empty) },
    });
    expect(r.model.liveState().mdls).toEqual([]);
  });

  it.each(PROFILES)('%s: a NULL packet is misuse', (p) => {
    const r = driver(p);
    expect(lockPages(r, 0n)).toMatchObject({ ret: false, misuse: 'null-vrp' });
  });
});

describe.each(PROFILES)('VideoPortUnlockPages (%s)', (profile) => {
  it('docs: TRUE; ReactOS: a stub returning FALSE; neither unlocks anything', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    lockPages(r, vrp(va, 0x1000));
    write(r, va, pattern(8));
    r.model.touched();
    const before = r.model.version();
    const got = r.call('VideoPortUnlockPages', { pDma: 0n });
    expect(got).toEqual(
      profile === 'reactos'
        ? { ret: false, branch: 'stub' }
        : {
            ret: true,
            branch: 'ok',
          },
    );
    expect(r.call('VideoPortUnlockPages', { pDma: WILD_VA }).ret).toBe(profile === 'docs');
    expect(r.model.version()).toBe(before);
    expect(r.model.touched()).toEqual([]);
    expect(r.model.liveState().mdls).toHaveLength(1);
  });
});

describe('coalesce (scatter/gather elements of a page list)', () => {
  const el = (page: number, off: number, length: number) => ({
    address: BigInt(page) * 0x1000n + BigInt(off),
    length,
  });

  it('merges physically consecutive pages and splits at every gap', () => {
    expect(coalesce([5, 6, 7, 9, 8, 9], 0x800, 0x5000)).toEqual([
      el(5, 0x800, 0x2800),
      el(9, 0, 0x1000),
      el(8, 0, 0x1800),
    ]);
  });

  it('stops at the length and handles a single partial page', () => {
    expect(coalesce([3, 4, 5], 0x10, 0x20)).toEqual([el(3, 0x10, 0x20)]);
    expect(coalesce([3, 4, 5], 0xff0, 0x20)).toEqual([el(3, 0xff0, 0x20)]);
    expect(coalesce([3, 2, 1], 0, 0x3000)).toEqual([
      el(3, 0, 0x1000),
      el(2, 0, 0x1000),
      el(1, 0, 0x1000),
    ]);
    expect(coalesce([], 0, 0x1000)).toEqual([]);
  });
});
