// One driver-shaped trace that exercises every bundled mutant's trigger, for tests: a correct
// target replays it cleanly, and each mutant must be reported with its own violation kind.
import { EXECUTE_DMA_ROUTINE, POOL_TAG } from '../../src/core/constants.js';
import { Recorder } from '../../src/model/recorder.js';
import type { DeviceSpec } from '../../src/model/device.js';
import type { Struct, TraceCall } from '../../src/model/values.js';
import type { TraceHeader } from '../../src/trace/trace.js';

export const KITCHEN_DEVICE: DeviceSpec = { dma: { mapRegisters: 4 } };

/** A header for the kitchen-sink calls: this device, oracle profile docs. */
export const KITCHEN_HEADER: TraceHeader = {
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device: KITCHEN_DEVICE,
  meta: {},
};

const description: Struct = {
  scatterGather: true,
  dma32BitAddresses: true,
  dma64BitAddresses: false,
  maximumLength: 0x100000,
};

/**
 * The calls (captured style, or without ret/out) of the kitchen-sink scenario; with the
 * alternate layout, every handle and address is where a system other than the oracle put it.
 */
export function kitchenSink(
  captured = true,
  layout: 'default' | 'alternate' = 'default',
): TraceCall[] {
  const r = new Recorder({ device: KITCHEN_DEVICE, layout }, captured);
  const adapter = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  const fb = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: 0xe0000000n,
    numberOfUchars: 0x100000,
    inIoSpace: 0,
  });
  const ev = r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n }).out?.[
    'ppEvent'
  ] as bigint;
  const pool = r.ptr('VideoPortAllocatePool', {
    poolType: 0,
    numberOfBytes: 0x8000,
    tag: POOL_TAG,
  });
  r.call('@write', { va: pool, data: Uint8Array.from({ length: 0x40 }, (_, i) => i + 1) });
  r.call('@write', {
    va: pool + 0x3fe0n,
    data: Uint8Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  });
  const mdl = r.ptr('VideoPortLockBuffer', { baseAddress: pool, length: 0x8000, operation: 2 });
  const start = {
    vpDmaAdapter: adapter,
    mdl,
    executeDmaRoutine: EXECUTE_DMA_ROUTINE,
    context: pool,
  };
  r.call('VideoPortStartDma', { ...start, offset: 0, pLength: 0x8000, writeToDevice: true });
  const cb = r.call('VideoPortAllocateCommonBuffer', {
    vpDmaAdapter: adapter,
    desiredLength: 0x2000,
    cacheEnabled: true,
    reserved: 0n,
  });
  const cbVa = cb.ret as bigint;
  const vrp = {
    ioControlCode: 0x230000,
    statusBlock: 0n,
    inputBuffer: pool,
    inputBufferLength: 0x40,
    outputBuffer: pool,
    outputBufferLength: 0x40,
  };
  const mapDma = { pVrp: vrp, length: 0x1000, mappedUserEvent: 0n, displayDriverEvent: 0n };
  r.call('VideoPortMapDmaMemory', {
    ...mapDma,
    boardAddress: 0xe0000000n,
    inIoSpace: 0,
    virtualAddress: 0n,
  });
  r.call('VideoPortMapDmaMemory', {
    ...mapDma,
    boardAddress: 0x1000n,
    inIoSpace: 2,
    virtualAddress: cbVa,
  });
  r.call('VideoPortGetDmaContext', { pDma: 0n });
  const exec = r.call('@executeDma', { vpDmaAdapter: adapter });
  const sg = exec.out?.['sgList'] as bigint;
  r.call('@deviceDma', { sgList: sg, deviceAddress: 0xe0010000n });
  r.call('VideoPortCompleteDma', {
    vpDmaAdapter: adapter,
    vpScatterGather: sg,
    writeToDevice: true,
  });
  r.call('VideoPortStartDma', { ...start, offset: 0, pLength: 0x1000, writeToDevice: false });
  const sg2 = r.call('@executeDma', { vpDmaAdapter: adapter }).out?.['sgList'] as bigint;
  r.call('@deviceDma', { sgList: sg2, deviceAddress: 0xe0020000n });
  r.call('VideoPortCompleteDma', {
    vpDmaAdapter: adapter,
    vpScatterGather: sg2,
    writeToDevice: false,
  });
  r.call('@read', { va: fb + 0x10000n, length: 0x40 });
  r.call('@read', { va: pool, length: 0x40 });
  r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
  r.call('VideoPortGetBytesUsed', { pDma: 0n });
  r.call('VideoPortAssociateEventsWithDmaHandle', {
    pVrp: vrp,
    mappedUserEvent: ev,
    displayDriverEvent: 0n,
  });
  r.call('VideoPortDoDma', { pDma: 0n, dmaFlags: 1 });
  r.call('VideoPortUnmapDmaMemory', {
    virtualAddress: fb,
    processHandle: 0n,
    boardMemoryHandle: 0n,
  });
  r.call('VideoPortSetEvent', { pEvent: ev });
  r.call('VideoPortWaitForSingleObject', { object: ev, timeout: 0n });
  r.call('VideoPortReleaseCommonBuffer', {
    vpDmaAdapter: adapter,
    length: 0x2000,
    logicalAddress: cb.out?.['logicalAddress'] as bigint,
    virtualAddress: cbVa,
    cacheEnabled: true,
  });
  r.call('VideoPortUnlockBuffer', { mdl });
  r.call('VideoPortFreePool', { ptr: pool });
  r.call('VideoPortFreePool', { ptr: pool });
  return r.calls;
}
