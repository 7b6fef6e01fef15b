// Freeing memory a live MDL still locks is a use after free: where the device's DMA then lands
// depends on which allocation reuses the pages, which is the implementation's choice. Misuse,
// never a defined answer the oracle would hold a correct target to.
import { describe, expect, it } from 'vitest';
import { VpModifyAccess } from '../../core/constants.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import {
  allocateCommon,
  commonBuf,
  driver,
  freeCommon,
  getAdapter,
  getCommon,
  lockPool,
  releaseCommon,
} from '../testDevice.js';

function lock(r: Recorder, va: bigint, length: number): bigint {
  return r.ptr('VideoPortLockBuffer', { baseAddress: va, length, operation: VpModifyAccess });
}
const unlock = (r: Recorder, mdl: bigint): void => {
  r.call('VideoPortUnlockBuffer', { mdl });
};

describe.each(PROFILES)('freeing locked memory (%s)', (profile) => {
  it('FreePool of a block a live MDL locks is misuse; after UnlockBuffer it frees', () => {
    const r = driver(profile);
    const { va, mdl } = lockPool(r, 0x3000);
    expect(r.call('VideoPortFreePool', { ptr: va })).toMatchObject({
      misuse: 'free-locked-pool',
    });
    unlock(r, mdl);
    expect(r.call('VideoPortFreePool', { ptr: va })).toEqual({ branch: 'ok' });
  });

  it('a lock on one page of the block is enough', () => {
    const r = driver(profile);
    const va = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x3000, tag: 1 });
    lock(r, va + 0x2ff0n, 8);
    expect(r.call('VideoPortFreePool', { ptr: va }).misuse).toBe('free-locked-pool');
  });

  it('ReleaseBuffer of a locked AllocateBuffer block is misuse', () => {
    const r = driver(profile);
    const got = r.call('VideoPortAllocateBuffer', { size: 0x1000, buffer: 0n });
    const va = got.out?.['buffer'] as bigint;
    lock(r, va, 0x1000);
    expect(r.call('VideoPortReleaseBuffer', { buffer: va }).misuse).toBe('release-locked-buffer');
  });

  it('ReleaseCommonBuffer and FreeCommonBuffer of a locked buffer are misuse', () => {
    const r = driver(profile);
    const adapter = getAdapter(r);
    const a = commonBuf(allocateCommon(r, adapter, 0x2000), 0x2000, false);
    const mdl = lock(r, a.va, 0x2000);
    expect(releaseCommon(r, adapter, a).misuse).toBe('release-locked-buffer');
    unlock(r, mdl);
    expect(releaseCommon(r, adapter, a).misuse).toBeUndefined();
    const g = commonBuf(getCommon(r, 0x1000), 0x1000, true);
    lock(r, g.va, 0x1000);
    expect(freeCommon(r, g).misuse).toBe('free-locked-buffer');
  });
});
