// G. VideoPortAllocatePool / FreePool / AllocateBuffer / ReleaseBuffer.
import { describe, expect, it } from 'vitest';
import { ERROR_NOT_ENOUGH_MEMORY, NO_ERROR } from '../../core/constants.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import type { Stepped } from '../step.js';
import { driver, pattern, read, WILD_VA, write } from '../testDevice.js';

const ENTRY_BUFFER = 0xabcn;

function pool(r: Recorder, numberOfBytes: number, poolType = 0): Stepped {
  return r.call('VideoPortAllocatePool', { poolType, numberOfBytes, tag: 0x616d4456 });
}
function buffer(r: Recorder, size: number): Stepped {
  return r.call('VideoPortAllocateBuffer', { size, buffer: ENTRY_BUFFER });
}

describe.each(PROFILES)('VideoPortAllocatePool (%s)', (profile) => {
  it.each([0, 1, 4, 5])('pool type %i: a zeroed, writable block', (poolType) => {
    const r = driver(profile);
    const got = pool(r, 0x1234, poolType);
    expect(got.branch).toBe('ok');
    const va = got.ret as bigint;
    expect(va).not.toBe(0n);
    expect(r.model.liveState().blocks).toEqual([{ va, length: 0x1234, kind: 'pool' }]);
    expect(r.model.read(va, 0x1234)).toEqual(new Uint8Array(0x1234));
    write(r, va + 0x1230n, pattern(4));
    expect(read(r, va + 0x1230n, 4)).toEqual(pattern(4));
    expect(r.model.read(va + 0x1231n, 4)).toBeUndefined();
  });

  it('blocks are disjoint and reused pages come back zeroed', () => {
    const r = driver(profile);
    const x = pool(r, 0x2000).ret as bigint;
    write(r, x, pattern(0x2000));
    r.call('VideoPortFreePool', { ptr: x });
    const y = pool(r, 0x2000).ret as bigint;
    expect(y).not.toBe(x);
    expect(read(r, y, 0x2000)).toEqual(new Uint8Array(0x2000));
  });

  it.each([2, 3, 6, 0xffffffff])('pool type %i is misuse', (poolType) => {
    const r = driver(profile);
    expect(pool(r, 0x100, poolType)).toEqual({
      ret: 0n,
      branch: 'bad-pool-type',
      misuse: 'bad-pool-type',
    });
  });

  it.each([
    [0, 'zero-length'],
    [32 * 1024 * 1024, 'no-memory'],
    [Number.MAX_SAFE_INTEGER, 'no-memory'],
  ])('%i bytes: NULL (%s)', (n, branch) => {
    const r = driver(profile);
    expect(pool(r, n)).toEqual({ ret: 0n, branch });
    expect(r.model.liveState().blocks).toEqual([]);
  });
});

describe.each(PROFILES)('VideoPortFreePool (%s)', (profile) => {
  it('frees the block', () => {
    const r = driver(profile);
    const va = pool(r, 0x100).ret as bigint;
    expect(r.call('VideoPortFreePool', { ptr: va })).toEqual({ branch: 'ok' });
    expect(r.model.liveState().blocks).toEqual([]);
    expect(r.call('@read', { va, length: 1 }).misuse).toBe('read-unmapped');
  });

  it('double free, NULL, wild pointers and AllocateBuffer blocks are misuse', () => {
    const r = driver(profile);
    const va = pool(r, 0x100).ret as bigint;
    const other = buffer(r, 0x100).out?.['buffer'] as bigint;
    r.call('VideoPortFreePool', { ptr: va });
    const before = r.model.version();
    for (const ptr of [va, 0n, WILD_VA, other])
      expect(r.call('VideoPortFreePool', { ptr }).misuse).toBe('free-unknown-pool');
    expect(r.model.version()).toBe(before);
  });
});

describe.each(PROFILES)('VideoPortAllocateBuffer (%s)', (profile) => {
  it('NO_ERROR and *Buffer = a zeroed block', () => {
    const r = driver(profile);
    const got = buffer(r, 0x300);
    expect(got.ret).toBe(NO_ERROR);
    const va = got.out?.['buffer'] as bigint;
    expect(va).not.toBe(ENTRY_BUFFER);
    expect(r.model.liveState().blocks).toEqual([{ va, length: 0x300, kind: 'buffer' }]);
    expect(read(r, va, 0x300)).toEqual(new Uint8Array(0x300));
  });

  it.each([0, 0xffffffff])('%i bytes: ERROR_NOT_ENOUGH_MEMORY (never 122)', (size) => {
    const r = driver(profile);
    // ReactOS always writes *Buffer; the docs promise nothing on failure.
    expect(buffer(r, size)).toEqual({
      ret: ERROR_NOT_ENOUGH_MEMORY,
      branch: 'no-memory',
      out: { buffer: profile === 'reactos' ? 0n : ENTRY_BUFFER },
      ...(profile === 'reactos' ? {} : { unspecified: ['buffer'] }),
    });
  });
});

describe.each(PROFILES)('VideoPortReleaseBuffer (%s)', (profile) => {
  it('frees the block; releasing it again, or a pool block, is misuse', () => {
    const r = driver(profile);
    const va = buffer(r, 0x100).out?.['buffer'] as bigint;
    const p = pool(r, 0x100).ret as bigint;
    expect(r.call('VideoPortReleaseBuffer', { buffer: va })).toEqual({ branch: 'ok' });
    expect(r.model.liveState().blocks.map((b) => b.kind)).toEqual(['pool']);
    for (const b of [va, p, 0n])
      expect(r.call('VideoPortReleaseBuffer', { buffer: b }).misuse).toBe('release-unknown-buffer');
  });
});
