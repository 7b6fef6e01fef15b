// B. VideoPortAllocateCommonBuffer / VideoPortReleaseCommonBuffer.
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../device.js';
import {
  allocateCommon,
  commonBuf,
  ENTRY_LOGICAL,
  getCommon,
  releaseCommon,
  driver,
  getAdapter,
  pattern,
  read,
  write,
  type CommonBuf,
} from '../testDevice.js';

describe.each(PROFILES)('VideoPortAllocateCommonBuffer (%s)', (profile) => {
  it('returns a zeroed, CPU-writable buffer and its page-aligned 32-bit logical address', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const got = allocateCommon(r, a, 0x1800, true);
    expect(got.branch).toBe('ok');
    const b = commonBuf(got, 0x1800, true);
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
    const x = commonBuf(allocateCommon(r, a, 0x2000), 0x2000, false);
    const y = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
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
    const got = allocateCommon(r, a, length);
    expect(got).toEqual({
      ret: 0n,
      branch,
      out: { logicalAddress: ENTRY_LOGICAL },
      unspecified: ['logicalAddress'],
    });
    expect(r.model.version()).toBe(before);
  });

  it('NULL adapter: ReactOS returns NULL quietly, the docs make it misuse', () => {
    const r = driver(profile);
    const got = allocateCommon(r, 0n, 0x1000);
    expect(got.ret).toBe(0n);
    expect(got.out).toEqual({ logicalAddress: ENTRY_LOGICAL });
    expect(got.misuse).toBe(profile === 'reactos' ? undefined : 'unknown-adapter');
    expect(r.model.liveState().commonBuffers).toEqual([]);
  });

  it('an unknown adapter is misuse in both profiles', () => {
    const r = driver(profile);
    expect(allocateCommon(r, 0xffffe00099999900n, 0x1000)).toMatchObject({
      ret: 0n,
      misuse: 'unknown-adapter',
    });
  });
});

describe.each(PROFILES)('VideoPortReleaseCommonBuffer (%s)', (profile) => {
  it('frees an exact match: gone from the state and unmapped', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
    expect(releaseCommon(r, a, b)).toEqual({ branch: 'ok' });
    expect(r.model.liveState().commonBuffers).toEqual([]);
    expect(write(r, b.va, pattern(4)).misuse).toBe('write-unmapped');
  });

  it.each<[string, Partial<CommonBuf>]>([
    ['length', { length: 0x800 }],
    ['logical address', { logical: 0x1000n }],
    ['cacheEnabled', { cacheEnabled: true }],
  ])('a mismatched %s is misuse (ReactOS frees anyway)', (_what, over) => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
    expect(releaseCommon(r, a, b, over).misuse).toBe('release-mismatch');
    expect(r.model.liveState().commonBuffers).toHaveLength(profile === 'reactos' ? 0 : 1);
  });

  it('the wrong adapter is a mismatch', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const other = getAdapter(r);
    const b = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
    expect(releaseCommon(r, other, b).misuse).toBe('release-mismatch');
  });

  it('double release is misuse and changes nothing', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
    releaseCommon(r, a, b);
    const before = r.model.version();
    expect(releaseCommon(r, a, b).misuse).toBe('release-unknown-buffer');
    expect(r.model.version()).toBe(before);
  });

  it('NULL adapter: ReactOS returns silently, the docs call it a mismatch; the buffer stays', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(allocateCommon(r, a, 0x1000), 0x1000, false);
    const got = releaseCommon(r, 0n, b);
    if (profile === 'reactos') expect(got).toEqual({ branch: 'null-adapter' });
    else expect(got.misuse).toBe('release-mismatch');
    expect(r.model.liveState().commonBuffers).toHaveLength(1);
  });

  it('releasing a GetCommonBuffer buffer is misuse', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const b = commonBuf(getCommon(r, 0x1000), 0x1000, true);
    expect(releaseCommon(r, a, b).misuse).toBe('release-of-get-buffer');
  });
});
