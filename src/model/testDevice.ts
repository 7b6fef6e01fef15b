// Small helpers so model tests read like driver code: a device description, a tiny device,
// and the usual sequences (get an adapter, lock a pool buffer, run one packet-DMA cycle).
// Imported by tests only; pure like the rest of the model.
import { EXECUTE_DMA_ROUTINE, NO_ERROR, POOL_TAG, VpModifyAccess } from '../core/constants.js';
import type { DeviceSpec, Profile } from './device.js';
import { DEFAULT_PROFILE } from './device.js';
import { Recorder } from './recorder.js';
import type { Stepped } from './step.js';
import type { Args, Struct } from './values.js';

export const FRAMEBUFFER = 0xe0000000n;
export const FRAMEBUFFER_BYTES = 16 * 1024 * 1024;
export const MMIO = 0xf0000000n;
export const VGA_PORTS = 0x3c0n;
/** A driver-side address nobody mapped: kernel space, not in any live range. */
export const WILD_VA = 0xffff800012345000n;
export const DMA_CONTEXT = 0xffffe00000002000n;

/** VideoPortGetDeviceBase's arguments for a view of the frame buffer's first bytes. */
export function deviceBaseArgs(numberOfUchars: number): Args {
  return { ioAddress: FRAMEBUFFER, numberOfUchars, inIoSpace: 0 };
}

/** VideoPortMapDmaMemory's arguments for a page of the frame buffer, no packet, no events. */
export function mapDmaArgs(over: Args = {}): Args {
  return {
    pVrp: 0n,
    boardAddress: FRAMEBUFFER,
    length: 0x1000,
    inIoSpace: 0,
    mappedUserEvent: 0n,
    displayDriverEvent: 0n,
    virtualAddress: 0n,
    ...over,
  };
}

/** VP_DEVICE_DESCRIPTION as a driver fills it in HwVidFindAdapter. */
export function deviceDescription(over: Struct = {}): Struct {
  return {
    scatterGather: true,
    dma32BitAddresses: true,
    dma64BitAddresses: false,
    maximumLength: 0x100000,
    ...over,
  };
}

/** The default apertures, 16 MiB of RAM and a few map registers, so limits are easy to hit. */
export function tinyDevice(dma: DeviceSpec['dma'] = {}): DeviceSpec {
  return { systemMemoryBytes: 16 * 1024 * 1024, dma: { mapRegisters: 8, ...dma } };
}

export function driver(
  profile: Profile = DEFAULT_PROFILE,
  device: DeviceSpec = tinyDevice(),
  layout: 'default' | 'alternate' = 'default',
): Recorder {
  return new Recorder({ profile, device, layout });
}

export function getAdapter(r: Recorder, over: Struct = {}): bigint {
  return r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: deviceDescription(over) });
}

export function allocatePool(r: Recorder, bytes: number): bigint {
  return r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: bytes, tag: POOL_TAG });
}

export interface Locked {
  readonly va: bigint;
  readonly mdl: bigint;
}

/** A nonpaged pool buffer of `bytes`, locked for modify access. */
export function lockPool(r: Recorder, bytes: number): Locked {
  const va = allocatePool(r, bytes);
  const mdl = r.ptr('VideoPortLockBuffer', {
    baseAddress: va,
    length: bytes,
    operation: VpModifyAccess,
  });
  return { va, mdl };
}

/** A kernel view of the framebuffer (or of `bytes` of it). */
export function mapFramebuffer(r: Recorder, bytes = FRAMEBUFFER_BYTES, at = FRAMEBUFFER): bigint {
  return r.ptr('VideoPortGetDeviceBase', { ioAddress: at, numberOfUchars: bytes, inIoSpace: 0 });
}

export function write(r: Recorder, va: bigint, data: Uint8Array): Stepped {
  return r.call('@write', { va, data });
}

export function read(r: Recorder, va: bigint, length: number): Uint8Array {
  const got = r.call('@read', { va, length }).ret;
  if (!(got instanceof Uint8Array)) throw new Error('@read returned no bytes');
  return got;
}

/** Deterministic non-zero bytes, different for each seed. */
export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = ((i * 31 + seed * 17) % 255) + 1;
  return out;
}

export interface DmaOptions {
  readonly offset?: number;
  readonly length: number;
  readonly writeToDevice: boolean;
  readonly deviceAddress?: bigint;
}

export interface DmaCycle {
  readonly start: Stepped;
  readonly execute: Stepped;
  readonly device: Stepped;
  readonly complete: Stepped;
  readonly sgList: bigint;
  readonly elements: readonly Struct[];
}

export function startDma(r: Recorder, adapter: bigint, mdl: bigint, o: DmaOptions): Stepped {
  return r.call('VideoPortStartDma', startArgs(adapter, mdl, o));
}

export function startArgs(adapter: bigint, mdl: bigint, o: DmaOptions): Args {
  return {
    vpDmaAdapter: adapter,
    mdl,
    offset: o.offset ?? 0,
    pLength: o.length,
    executeDmaRoutine: EXECUTE_DMA_ROUTINE,
    context: DMA_CONTEXT,
    writeToDevice: o.writeToDevice,
  };
}

/** StartDma → @executeDma → @deviceDma → CompleteDma, failing loudly if StartDma fails. */
export function dmaCycle(r: Recorder, adapter: bigint, mdl: bigint, o: DmaOptions): DmaCycle {
  const start = startDma(r, adapter, mdl, o);
  if (start.ret !== NO_ERROR) throw new Error(`StartDma failed: ${start.branch}`);
  const execute = r.call('@executeDma', { vpDmaAdapter: adapter });
  const sgList = execute.out?.['sgList'];
  const elements = execute.out?.['elements'];
  if (typeof sgList !== 'bigint' || !Array.isArray(elements)) throw new Error('no SG list');
  const device = r.call('@deviceDma', { sgList, deviceAddress: o.deviceAddress ?? FRAMEBUFFER });
  const complete = r.call('VideoPortCompleteDma', {
    vpDmaAdapter: adapter,
    vpScatterGather: sgList,
    writeToDevice: o.writeToDevice,
  });
  return { start, execute, device, complete, sgList, elements: elements as readonly Struct[] };
}

// Common buffers: the allocation calls and the release calls that must repeat them.

/** Entry values of out-parameters, so a test can tell written from untouched. */
export const ENTRY_LOGICAL = 0x5555n;
export const ENTRY_ACTUAL = 0x77;

export function allocateCommon(
  r: Recorder,
  adapter: bigint,
  length: number,
  cacheEnabled = false,
): Stepped {
  return r.call('VideoPortAllocateCommonBuffer', {
    vpDmaAdapter: adapter,
    desiredLength: length,
    logicalAddress: ENTRY_LOGICAL,
    cacheEnabled,
    reserved: 0n,
  });
}

export function getCommon(r: Recorder, length: number, alignment = 0): Stepped {
  return r.call('VideoPortGetCommonBuffer', {
    desiredLength: length,
    alignment,
    logicalAddress: ENTRY_LOGICAL,
    pActualLength: ENTRY_ACTUAL,
    cacheEnabled: true,
  });
}

/** What ReleaseCommonBuffer / FreeCommonBuffer must repeat of the allocation. */
export interface CommonBuf {
  va: bigint;
  logical: bigint;
  length: number;
  cacheEnabled: boolean;
}

export function commonBuf(s: Stepped, length: number, cacheEnabled: boolean): CommonBuf {
  return {
    va: s.ret as bigint,
    logical: s.out?.['logicalAddress'] as bigint,
    length,
    cacheEnabled,
  };
}

export function releaseCommon(
  r: Recorder,
  adapter: bigint,
  b: CommonBuf,
  over: Partial<CommonBuf> = {},
): Stepped {
  const x = { ...b, ...over };
  return r.call('VideoPortReleaseCommonBuffer', {
    vpDmaAdapter: adapter,
    length: x.length,
    logicalAddress: x.logical,
    virtualAddress: x.va,
    cacheEnabled: x.cacheEnabled,
  });
}

export function freeCommon(r: Recorder, b: CommonBuf, over: Partial<CommonBuf> = {}): Stepped {
  const x = { ...b, ...over };
  return r.call('VideoPortFreeCommonBuffer', {
    length: x.length,
    virtualAddress: x.va,
    logicalAddress: x.logical,
    cacheEnabled: x.cacheEnabled,
  });
}
