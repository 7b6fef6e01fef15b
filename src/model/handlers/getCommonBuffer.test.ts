// B. The obsolete VideoPortGetCommonBuffer / VideoPortFreeCommonBuffer and
// VideoPortAllocateContiguousMemory.
import { describe, expect, it } from 'vitest';
import { POISON_PTR, POISON_U32 } from '../args.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import {
  allocateCommon,
  commonBuf,
  driver,
  ENTRY_ACTUAL,
  ENTRY_LOGICAL,
  freeCommon,
  getAdapter,
  getCommon,
  pattern,
  write,
} from '../testDevice.js';

describe.each(PROFILES)('VideoPortGetCommonBuffer (%s)', (profile) => {
  it('allocates DesiredLength, ignores Alignment, writes *pActualLength', () => {
    const r = driver(profile);
    getAdapter(r);
    for (const alignment of [0, 0x1000, 0xffffffff]) {
      const got = getCommon(r, 0x3000, alignment);
      expect(got.branch).toBe('ok');
      expect(got.out?.['pActualLength']).toBe(0x3000);
      const b = commonBuf(got, 0x3000, true);
      expect(b.va).not.toBe(0n);
      expect(r.model.liveState().commonBuffers).toContainEqual(b);
    }
  });

  it('a failed allocation writes *pActualLength = 0, binding only for ReactOS', () => {
    const r = driver(profile);
    getAdapter(r);
    expect(getCommon(r, 0)).toEqual({
      ret: 0n,
      branch: 'zero-length',
      out: { logicalAddress: ENTRY_LOGICAL, pActualLength: 0 },
      unspecified: profile === 'reactos' ? ['logicalAddress'] : ['logicalAddress', 'pActualLength'],
    });
  });

  it('before any GetDmaAdapter: docs allocate, ReactOS returns NULL without writing', () => {
    const r = driver(profile);
    const got = getCommon(r, 0x1000);
    if (profile === 'docs') expect(got.out?.['pActualLength']).toBe(0x1000);
    else
      expect(got).toEqual({
        ret: 0n,
        branch: 'no-adapter',
        out: { logicalAddress: ENTRY_LOGICAL, pActualLength: ENTRY_ACTUAL },
      });
  });

  it('ReactOS caps DesiredLength at 0x40000 ("maximum palette size"), the docs do not', () => {
    const r = driver(profile);
    getAdapter(r);
    expect(getCommon(r, 0x40000).out?.['pActualLength']).toBe(0x40000);
    const over = getCommon(r, 0x40001);
    if (profile === 'docs') expect(over.out?.['pActualLength']).toBe(0x40001);
    else
      expect(over).toEqual({
        ret: 0n,
        branch: 'over-palette-cap',
        out: { logicalAddress: ENTRY_LOGICAL, pActualLength: ENTRY_ACTUAL },
      });
  });

  it('an omitted out-only parameter keeps its poison when unwritten', () => {
    const r = driver(profile);
    const got = r.call('VideoPortGetCommonBuffer', {
      desiredLength: 0x40001,
      alignment: 0,
      cacheEnabled: false,
    });
    if (profile === 'reactos')
      expect(got.out).toEqual({ logicalAddress: POISON_PTR, pActualLength: POISON_U32 });
    else expect(got.out?.['pActualLength']).toBe(0x40001);
  });

  it('ReactOS takes the first adapter, so putting it with the buffer live is misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    getAdapter(r);
    getCommon(r, 0x1000);
    const put = r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    expect(put.misuse).toBe(profile === 'reactos' ? 'put-with-live-buffers' : undefined);
  });
});

describe.each(PROFILES)('VideoPortFreeCommonBuffer (%s)', (profile) => {
  it('frees a buffer matching the Get call except Alignment', () => {
    const r = driver(profile);
    getAdapter(r);
    const b = commonBuf(getCommon(r, 0x2000, 0x10000), 0x2000, true);
    expect(freeCommon(r, b)).toEqual({ branch: 'ok' });
    expect(r.model.liveState().commonBuffers).toEqual([]);
    expect(r.model.read(b.va, 1)).toBeUndefined();
  });

  it('a mismatched length is misuse (ReactOS frees anyway)', () => {
    const r = driver(profile);
    getAdapter(r);
    const b = commonBuf(getCommon(r, 0x2000), 0x2000, true);
    expect(freeCommon(r, b, { length: 0x1000 }).misuse).toBe('free-mismatch');
    expect(r.model.liveState().commonBuffers).toHaveLength(profile === 'reactos' ? 0 : 1);
  });

  it('freeing an AllocateCommonBuffer buffer or an unknown address is misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
    expect(freeCommon(r, b).misuse).toBe('free-of-allocate-buffer');
    const unknown = freeCommon(r, { ...b, va: 0xffff800000000000n });
    expect(unknown.misuse).toBe('free-unknown-buffer');
  });

  it('double free is misuse', () => {
    const r = driver(profile);
    getAdapter(r);
    const b = commonBuf(getCommon(r, 0x1000), 0x1000, true);
    freeCommon(r, b);
    expect(freeCommon(r, b).misuse).toBe('free-unknown-buffer');
  });

  it('with no adapter left, ReactOS asserts (misuse); the docs free normally', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(getCommon(r, 0x1000), 0x1000, true);
    r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    const got = freeCommon(r, b);
    if (profile === 'reactos') expect(got.misuse).toBe('free-without-adapter-asserts');
    else expect(got).toEqual({ branch: 'ok' });
  });
});

describe.each(PROFILES)('VideoPortAllocateContiguousMemory (%s)', (profile) => {
  const contiguous = (r: Recorder, n: number, highest: bigint): Stepped =>
    r.call('VideoPortAllocateContiguousMemory', {
      numberOfBytes: n,
      highestAcceptableAddress: highest,
    });

  it('returns a zeroed, writable block recorded as contiguous memory', () => {
    const r = driver(profile);
    const got = contiguous(r, 0x3000, 0xffffffffn);
    expect(got.branch).toBe('ok');
    const va = got.ret as bigint;
    expect(r.model.liveState().blocks).toEqual([{ va, length: 0x3000, kind: 'contiguous' }]);
    expect(r.model.read(va, 0x3000)).toEqual(new Uint8Array(0x3000));
    expect(write(r, va + 0x2fffn, pattern(1)).branch).toBe('ok');
  });

  it.each([
    [0, 0xffffffffn, 'zero-length'],
    [0x40000001, 0xffffffffn, 'too-large'],
    [0x1000, 0xfffffn, 'no-memory'],
    [0x1000, 0n, 'no-memory'],
    [32 * 1024 * 1024, 0xffffffffffffffffn, 'no-memory'],
  ])('%i bytes below %s fails with NULL (%s)', (n, highest, branch) => {
    const r = driver(profile);
    expect(contiguous(r, n, highest)).toEqual({ ret: 0n, branch });
    expect(r.model.liveState().blocks).toEqual([]);
  });

  it.each(['default', 'alternate'] as const)(
    'honours HighestAcceptableAddress below the top of RAM (%s layout)',
    (layout) => {
      const r = driver(profile, { systemMemoryBytes: 64 * 1024 * 1024 }, layout);
      const got = contiguous(r, 0x4000, 0x1ffffffn);
      expect(got.branch).toBe('ok');
      const range = r.model.liveRanges().find((x) => x.va === got.ret);
      const keys = range?.backing.kind === 'pages' ? range.backing.keys : [];
      expect(keys).toHaveLength(4);
      for (const k of keys) expect(k * 0x1000 + 0xfff).toBeLessThanOrEqual(0x1ffffff);
    },
  );
});
