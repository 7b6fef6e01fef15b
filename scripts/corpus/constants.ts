// What the corpus scenarios' drivers know about their hardware: the default apertures of the
// header's device (DESIGN.md), VideoPort constants, a few IOCTL codes, and a deterministic
// byte pattern for buffers the driver fills.
import type { Struct } from '../../src/model/values.js';

export {
  ERROR_NOT_ENOUGH_MEMORY,
  EXECUTE_DMA_ROUTINE as EXECUTE_DMA,
  NO_ERROR,
  POOL_TAG as TAG,
  VIDEO_MEMORY_SPACE_DENSE as DENSE,
  VIDEO_MEMORY_SPACE_IO as IO,
  VIDEO_MEMORY_SPACE_MEMORY as MEMORY,
  VIDEO_MEMORY_SPACE_P6CACHE as P6CACHE,
  VIDEO_MEMORY_SPACE_USER_MODE as USER_MODE,
  VideoPortDmaInitOnly,
  VideoPortKeepPagesLocked,
  VideoPortUnlockAfterDma,
  VpModifyAccess,
  VpNonPagedPool,
  VpNonPagedPoolCacheAligned,
  VpPagedPool,
  VpPagedPoolCacheAligned,
  VpReadAccess,
  VpWriteAccess,
} from '../../src/core/constants.js';

/** Bus addresses of the default device's apertures. */
export const FB = 0xe0000000n;
export const FB_BYTES = 16 * 1024 * 1024;
export const MMIO = 0xf0000000n;
export const MMIO_BYTES = 0x10000;
export const VGA = 0x3c0n;
export const VGA_PORTS = 0x20;

/** A nonpaged context inside the miniport's extension, for its HwVidExecuteDma routine. */
export const DMA_CONTEXT = 0xffffe00000001200n;
/** NtCurrentProcess(), and the handle a display driver passes in VIDEO_SHARE_MEMORY. */
export const CURRENT_PROCESS = 0xffffffffffffffffn;
export const CLIENT_PROCESS = 0x4c8n;

/** CTL_CODE(FILE_DEVICE_VIDEO, fn, METHOD_BUFFERED, FILE_ANY_ACCESS). */
const videoIoctl = (fn: number): number => (0x23 << 16) | (fn << 2);
export const IOCTL_VIDEO_MAP_VIDEO_MEMORY = videoIoctl(0x116);
export const IOCTL_VIDEO_SHARE_VIDEO_MEMORY = videoIoctl(0x11d);
/** Private miniport IOCTLs (function codes from 0x800). */
export const IOCTL_DRIVER_START_DMA = videoIoctl(0x800);
export const IOCTL_DRIVER_MAP_DMA = videoIoctl(0x801);

/** Event flags (spec §3). */
export const SYNCHRONIZATION_EVENT = 0;
export const NOTIFICATION_EVENT = 1;
export const INITIALLY_SIGNALED = 2;

/** KeWaitForSingleObject-style relative timeouts in 100 ns units. */
export const ONE_MS = -10000n;
export const NO_WAIT = 0n;

/** VP_DEVICE_DESCRIPTION as a miniport fills it in HwVidFindAdapter. */
export function deviceDescription(over: Partial<Record<string, boolean | number>> = {}): Struct {
  return {
    scatterGather: true,
    dma32BitAddresses: true,
    dma64BitAddresses: false,
    maximumLength: 0x100000,
    ...over,
  };
}

/** A VIDEO_REQUEST_PACKET whose input and output share one system buffer (spec §3). */
export function requestPacket(
  ioControlCode: number,
  buffer: bigint,
  length: number,
  statusBlock: bigint,
): Struct {
  return {
    ioControlCode,
    statusBlock,
    inputBuffer: buffer,
    inputBufferLength: length,
    outputBuffer: buffer,
    outputBufferLength: length,
  };
}

/** n bytes of a recognisable pattern: seed-dependent, never all zero. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 0x3b + i * 7 + (i >> 8)) & 0xff || 0x5a;
  return out;
}

/** Little-endian encodings of register values the drivers write. */
export function u32le(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0, true));
  return out;
}

export function u64le(...values: bigint[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, v), true));
  return out;
}
