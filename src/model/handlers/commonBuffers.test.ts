// B. Allocate/Release and Get/Free common buffers, AllocateContiguousMemory.
import { describe, expect, it } from 'vitest';
import { POISON_PTR, POISON_U32 } from '../args.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import { driver, getAdapter, pattern, read, write } from '../testDevice.js';

const ENTRY_LOGICAL = 0x5555n;
const ENTRY_ACTUAL = 0x77;

function allocate(r: Recorder, adapter: bigint, length: number, cacheEnabled = false): Stepped {
  return r.call('VideoPortAllocateCommonBuffer', {
    vpDmaAdapter: adapter,
    desiredLength: length,
    logicalAddress: ENTRY_LOGICAL,
    cacheEnabled,
    reserved: 0n,
  });
}

function get(r: Recorder, length: number, alignment = 0): Stepped {
  return r.call('VideoPortGetCommonBuffer', {
    desiredLength: length,
    alignment,
    logicalAddress: ENTRY_LOGICAL,
    pActualLength: ENTRY_ACTUAL,
    cacheEnabled: true,
  });
}

interface Buf {
  va: bigint;
  logical: bigint;
  length: number;
  cacheEnabled: boolean;
}

function bufOf(s: Stepped, length: number, cacheEnabled: boolean): Buf {
  return {
    va: s.ret as bigint,
    logical: s.out?.['logicalAddress'] as bigint,
    length,
    cacheEnabled,
  };
}

function release(r: Recorder, adapter: bigint, b: Buf, over: Partial<Buf> = {}): Stepped {
  const x = { ...b, ...over };
  return r.call('VideoPortReleaseCommonBuffer', {
    vpDmaAdapter: adapter,
    length: x.length,
    logicalAddress: x.logical,
    virtualAddress: x.va,
    cacheEnabled: x.cacheEnabled,
  });
}

function free(r: Recorder, b: Buf, over: Partial<Buf> = {}): Stepped {
  const x = { ...b, ...over };
  return r.call('VideoPortFreeCommonBuffer', {
    length: x.length,
    virtualAddress: x.va,
    logicalAddress: x.logical,
    cacheEnabled: x.cacheEnabled,
  });
}

describe.each(PROFILES)('VideoPortAllocateCommonBuffer (%s)', (profile) => {
  it('returns a zeroed, CPU-writable buffer and its page-aligned 32-bit logical address', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const got = allocate(r, a, 0x1800, true);
    expect(got.branch).toBe('ok');
    const b = bufOf(got, 0x1800, true);
    expect(b.va).not.toBe(0n);
    expect(b.logical).not.toBe(ENTRY_LOGICAL);
    expect(b.logical % 0x1000n).toBe(0n);
    expect(b.logical + 0x1800n).toBeLessThanOrEqual(0x100000000n);
    expect(r.model.liveState().commonBuffers).toEqual([b]);
    expect(r.model.read(b.va, 0x1800)).toEqual(new Uint8Array(0x1800));
    write(r, b.va + 0x7ffn, pattern(2));
    expect(read(r, b.va + 0x7ffn, 2)).toEqual(pattern(2));
    expect(r.model.read(b.va, 0x1801)).toBeUndefined();
  });

  it('gives disjoint buffers', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const x = bufOf(allocate(r, a, 0x2000), 0x2000, false);
    const y = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    expect(x.va).not.toBe(y.va);
    const disjoint = x.logical + 0x2000n <= y.logical || y.logical + 0x1000n <= x.logical;
    expect(disjoint).toBe(true);
  });

  it.each([
    [0, 'zero-length'],
    [0xffffffff, 'no-memory'],
    [32 * 1024 * 1024, 'no-memory'],
  ])('length %i fails with NULL (%s), *LogicalAddress unwritten', (length, branch) => {
    const r = driver(profile);
    const a = getAdapter(r);
    const before = r.model.version();
    const got = allocate(r, a, length);
    expect(got).toEqual({ ret: 0n, branch, out: { logicalAddress: ENTRY_LOGICAL } });
    expect(r.model.version()).toBe(before);
  });

  it('NULL adapter: ReactOS returns NULL quietly, the docs make it misuse', () => {
    const r = driver(profile);
    const got = allocate(r, 0n, 0x1000);
    expect(got.ret).toBe(0n);
    expect(got.out).toEqual({ logicalAddress: ENTRY_LOGICAL });
    expect(got.misuse).toBe(profile === 'reactos' ? undefined : 'unknown-adapter');
    expect(r.model.liveState().commonBuffers).toEqual([]);
  });

  it('an unknown adapter is misuse in both profiles', () => {
    const r = driver(profile);
    expect(allocate(r, 0xffffe00099999900n, 0x1000)).toMatchObject({
      ret: 0n,
      misuse: 'unknown-adapter',
    });
  });
});

describe.each(PROFILES)('VideoPortReleaseCommonBuffer (%s)', (profile) => {
  it('frees an exact match: gone from the state and unmapped', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    expect(release(r, a, b)).toEqual({ branch: 'ok' });
    expect(r.model.liveState().commonBuffers).toEqual([]);
    expect(write(r, b.va, pattern(4)).misuse).toBe('write-unmapped');
  });

  it.each<[string, Partial<Buf>]>([
    ['length', { length: 0x800 }],
    ['logical address', { logical: 0x1000n }],
    ['cacheEnabled', { cacheEnabled: true }],
  ])('a mismatched %s is misuse (ReactOS frees anyway)', (_what, over) => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    expect(release(r, a, b, over).misuse).toBe('release-mismatch');
    expect(r.model.liveState().commonBuffers).toHaveLength(profile === 'reactos' ? 0 : 1);
  });

  it('the wrong adapter is a mismatch', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const other = getAdapter(r);
    const b = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    expect(release(r, other, b).misuse).toBe('release-mismatch');
  });

  it('double release is misuse and changes nothing', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    release(r, a, b);
    const before = r.model.version();
    expect(release(r, a, b).misuse).toBe('release-unknown-buffer');
    expect(r.model.version()).toBe(before);
  });

  it('NULL adapter: ReactOS returns silently, the docs call it a mismatch; the buffer stays', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    const got = release(r, 0n, b);
    if (profile === 'reactos') expect(got).toEqual({ branch: 'null-adapter' });
    else expect(got.misuse).toBe('release-mismatch');
    expect(r.model.liveState().commonBuffers).toHaveLength(1);
  });

  it('releasing a GetCommonBuffer buffer is misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(get(r, 0x1000), 0x1000, true);
    expect(release(r, a, b).misuse).toBe('release-of-get-buffer');
  });
});

describe.each(PROFILES)('VideoPortGetCommonBuffer (%s)', (profile) => {
  it('allocates DesiredLength, ignores Alignment, writes *pActualLength', () => {
    const r = driver(profile);
    getAdapter(r);
    for (const alignment of [0, 0x1000, 0xffffffff]) {
      const got = get(r, 0x3000, alignment);
      expect(got.branch).toBe('ok');
      expect(got.out?.['pActualLength']).toBe(0x3000);
      const b = bufOf(got, 0x3000, true);
      expect(b.va).not.toBe(0n);
      expect(r.model.liveState().commonBuffers).toContainEqual(b);
    }
  });

  it('a failed allocation writes *pActualLength = 0', () => {
    const r = driver(profile);
    getAdapter(r);
    expect(get(r, 0)).toEqual({
      ret: 0n,
      branch: 'zero-length',
      out: { logicalAddress: ENTRY_LOGICAL, pActualLength: 0 },
    });
  });

  it('before any GetDmaAdapter: docs allocate, ReactOS returns NULL without writing', () => {
    const r = driver(profile);
    const got = get(r, 0x1000);
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
    expect(get(r, 0x40000).out?.['pActualLength']).toBe(0x40000);
    const over = get(r, 0x40001);
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
    get(r, 0x1000);
    const put = r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    expect(put.misuse).toBe(profile === 'reactos' ? 'put-with-live-buffers' : undefined);
  });
});

describe.each(PROFILES)('VideoPortFreeCommonBuffer (%s)', (profile) => {
  it('frees a buffer matching the Get call except Alignment', () => {
    const r = driver(profile);
    getAdapter(r);
    const b = bufOf(get(r, 0x2000, 0x10000), 0x2000, true);
    expect(free(r, b)).toEqual({ branch: 'ok' });
    expect(r.model.liveState().commonBuffers).toEqual([]);
    expect(r.model.read(b.va, 1)).toBeUndefined();
  });

  it('a mismatched length is misuse (ReactOS frees anyway)', () => {
    const r = driver(profile);
    getAdapter(r);
    const b = bufOf(get(r, 0x2000), 0x2000, true);
    expect(free(r, b, { length: 0x1000 }).misuse).toBe('free-mismatch');
    expect(r.model.liveState().commonBuffers).toHaveLength(profile === 'reactos' ? 0 : 1);
  });

  it('freeing an AllocateCommonBuffer buffer or an unknown address is misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(allocate(r, a, 0x1000), 0x1000, false);
    expect(free(r, b).misuse).toBe('free-of-allocate-buffer');
    const unknown = free(r, { ...b, va: 0xffff800000000000n });
    expect(unknown.misuse).toBe('free-unknown-buffer');
  });

  it('double free is misuse', () => {
    const r = driver(profile);
    getAdapter(r);
    const b = bufOf(get(r, 0x1000), 0x1000, true);
    free(r, b);
    expect(free(r, b).misuse).toBe('free-unknown-buffer');
  });

  it('with no adapter left, ReactOS asserts (misuse); the docs free normally', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = bufOf(get(r, 0x1000), 0x1000, true);
    r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    const got = free(r, b);
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
