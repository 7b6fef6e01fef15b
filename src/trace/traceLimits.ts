// Bounds specific to trace headers and files (the shared ones live in core/limits.ts).

/** Apertures in one device description. */
export const aperturesMax = 64;
/** Characters in an aperture name. */
export const apertureNameMax = 64;
/** Simulated system RAM, bytes (64 GiB). */
export const systemMemoryBytesMax = 64 * 1024 * 1024 * 1024;
/** Map registers one adapter may own. */
export const mapRegistersMax = 65536;
/** The header's free-form `meta`, measured as its JSON text, bytes. */
export const metaBytesMax = 64 * 1024;
/** One call's `meta`, measured as its JSON text (UTF-8, as the JSONL printer writes it), bytes. */
export const callMetaBytesMax = 4 * 1024;
/** A text or JSONL file read whole (bigger ones must be .vpt, which streams), bytes. */
export const wholeFileBytesMax = 512 * 1024 * 1024;
/** Calls batched into one .vpt call frame. */
export const frameCallsMax = 512;
/** Target payload of one .vpt call frame before it is cut, bytes. */
export const frameBytesTarget = 256 * 1024;
