// Every bound in one place, qualifier last. An unbounded loop or buffer is a bug.

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12n;

/** Calls in one trace (JSONL or .vpt). */
export const callsMax = 10_000_000;
/** One JSONL line, bytes. */
export const lineBytesMax = 4 * 1024 * 1024;
/** One byte-string argument (`@write` data, `@read` result), bytes. */
export const bytesArgMax = 1024 * 1024;
/** Live objects of one kind in the model (adapters, buffers, MDLs, ...). */
export const objectsMax = 4096;
/** Put adapters the model remembers (to tell a double put from a wild one). */
export const deadAdaptersMax = 1 << 16;
/** Elements in one scatter/gather list. */
export const sgElementsMax = 4096;
/** Largest single allocation the model grants, bytes. */
export const allocationBytesMax = 1024 * 1024 * 1024;
/** Largest aperture the model accepts in a device description, bytes. */
export const apertureBytesMax = 64 * 1024 * 1024 * 1024;
/** Largest `.vpt` frame payload, bytes (a length field above this is damage, not a frame). */
export const frameBytesMax = 16 * 1024 * 1024;
/**
 * Edge ids in one coverage answer of a target (docs/target-protocol.md; 4 MiB as a process
 * target's bin): far above the basic blocks of any VideoPort implementation.
 */
export const coverageEdgesMax = 1 << 20;
/** Depth of nested JSON values in one call. */
export const jsonDepthMax = 8;
/** Fields in one JSON object. */
export const jsonFieldsMax = 64;
/** A target call's --timeout, ms, in every command (an hour: longer is no longer a hang check). */
export const timeoutMsMax = 3_600_000;
