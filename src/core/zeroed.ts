// Small zeroed byte arrays carved out of shared 64 KiB slabs, as Node's Buffer pool does:
// allocating a typed array with its own backing store costs 3 to 4 microseconds here (an
// external allocation the garbage collector tracks), against about 0.5 from a slab, and the
// memory checks pay it for every page they read. A slab region is handed out once and never
// reused, so it is zero when handed out; a slab stays alive while any array carved from it
// does (at most 16 pages' worth held by one kept page-sized read).
const slabBytes = 64 << 10;
const pooledMax = 4096;

let slab = new ArrayBuffer(slabBytes);
let used = 0;

/** A zeroed Uint8Array of `length` bytes (from a slab when small). */
export function zeroed(length: number): Uint8Array {
  if (length > pooledMax || length === 0) return new Uint8Array(length);
  if (used + length > slabBytes) {
    slab = new ArrayBuffer(slabBytes);
    used = 0;
  }
  const out = new Uint8Array(slab, used, length);
  used += (length + 7) & ~7; // keep regions 8-byte aligned
  return out;
}
