// Win32 status codes and VideoPort constants (spec §3). Numbers, not enums: they cross trace files.

export const NO_ERROR = 0;
export const ERROR_INVALID_FUNCTION = 1;
export const ERROR_NOT_ENOUGH_MEMORY = 8;
export const ERROR_DEV_NOT_EXIST = 55;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_INSUFFICIENT_BUFFER = 122;
export const ERROR_MORE_DATA = 234;
export const WAIT_TIMEOUT = 258;

export const VIDEO_MEMORY_SPACE_MEMORY = 0x00;
export const VIDEO_MEMORY_SPACE_IO = 0x01;
export const VIDEO_MEMORY_SPACE_USER_MODE = 0x02;
export const VIDEO_MEMORY_SPACE_DENSE = 0x04;
export const VIDEO_MEMORY_SPACE_P6CACHE = 0x08;

export const VpReadAccess = 0;
export const VpWriteAccess = 1;
export const VpModifyAccess = 2;

export const VideoPortUnlockAfterDma = 1;
export const VideoPortKeepPagesLocked = 2;
export const VideoPortDmaInitOnly = 3;

export const VpNonPagedPool = 0;
export const VpPagedPool = 1;
export const VpNonPagedPoolCacheAligned = 4;
export const VpPagedPoolCacheAligned = 5;

export const NOTIFICATION_EVENT = 1;
export const INITIAL_EVENT_STATE_SIGNALED = 2;

/**
 * What a miniport passes through without the port reading it, as every trace, table entry and
 * generated case here spells it: its HwDeviceExtension, its HwVidExecuteDma routine, and its
 * pool tag 'VDma'.
 */
export const HW_DEVICE_EXTENSION = 0xffffe00000001000n;
export const EXECUTE_DMA_ROUTINE = 0xfffff80000a01000n;
export const POOL_TAG = 0x616d4456;

/** x64 layouts (spec §3): VP_SCATTER_GATHER_LIST header and element sizes. */
export const SG_LIST_HEADER_BYTES = 16;
export const SG_ELEMENT_BYTES = 24;
/** x86 layouts (spec §3): what a 32-bit system (NT4, say) hands back. */
export const SG_LIST_X86_HEADER_BYTES = 8;
export const SG_ELEMENT_X86_BYTES = 16;

/** The largest ULONG: a length the API passes in a ULONG (`*Length`) never exceeds it. */
export const ULONG_MAX = 0xffffffff;
