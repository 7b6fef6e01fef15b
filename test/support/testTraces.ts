// Small driver-shaped traces for the minimizer's and the replay worker's tests (not shipped in any command).
import { POOL_TAG } from '../../src/core/constants.js';
import { Recorder } from '../../src/model/recorder.js';
import type { Struct } from '../../src/model/values.js';
import { emptyHeader, type Trace } from '../../src/trace/trace.js';

const SG_DESCRIPTION: Struct = {
  scatterGather: true,
  dma32BitAddresses: true,
  dma64BitAddresses: false,
  maximumLength: 0x100000,
};

/**
 * Pool, adapter, common buffer, a write inside the buffer, a MapDmaMemory whose VRP points into
 * the pool and whose VirtualAddress is the buffer, then freeing the pool: a reference of every
 * shape (handle, range base, interior address, VRP field, opaque pointer).
 */
export function smallTrace(captured = false): Trace {
  const r = new Recorder({}, captured);
  const pool = r.ptr('VideoPortAllocatePool', {
    poolType: 0,
    numberOfBytes: 0x1000,
    tag: POOL_TAG,
  });
  const adapter = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: SG_DESCRIPTION });
  const cb = r.ptr('VideoPortAllocateCommonBuffer', {
    vpDmaAdapter: adapter,
    desiredLength: 0x2000,
    cacheEnabled: true,
    reserved: 0n,
  });
  r.call('@write', { va: cb + 0x10n, data: new Uint8Array([1, 2, 3, 4]) });
  r.call('VideoPortMapDmaMemory', {
    pVrp: {
      ioControlCode: 0x230000,
      statusBlock: 0n,
      inputBuffer: pool,
      inputBufferLength: 0x40,
      outputBuffer: 0n,
      outputBufferLength: 0,
    },
    boardAddress: 0xe0000000n,
    length: 0x1000,
    inIoSpace: 0,
    mappedUserEvent: 0n,
    displayDriverEvent: 0n,
    virtualAddress: cb,
  });
  r.call('VideoPortFreePool', { ptr: pool });
  return { header: emptyHeader(), calls: r.calls };
}

/** A framebuffer from GetDeviceBase, then `pairs` @write/@read pairs through it (2 calls each). */
export function framebufferTraffic(r: Recorder, pairs: number): void {
  const fb = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: 0xe0000000n,
    numberOfUchars: 0x10000,
    inIoSpace: 0,
  });
  for (let i = 0; i < pairs; i++) {
    r.call('@write', { va: fb + BigInt(i * 16), data: new Uint8Array([i & 0xff, 1]) });
    r.call('@read', { va: fb + BigInt(i * 16), length: 2 });
  }
}
