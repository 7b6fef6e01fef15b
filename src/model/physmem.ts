// Physical memory as sparse 4 KiB pages: system RAM, memory apertures and I/O ports. Unwritten
// pages read as zero and cost nothing, so a 1 GiB aperture is as cheap as a 1 MiB one. Every
// write records its page, so "what did this call change?" costs what the call touched.
import { PAGE_SIZE } from '../core/limits.js';
import { zeroed } from '../core/zeroed.js';
import { TouchedPages } from './touched.js';

/** Page keys: memory-space page number, or -(port page + 1) for I/O space. */
export type PageKey = number;

export function memoryPageKey(address: bigint): PageKey {
  return Number(address >> 12n);
}

export function ioPageKey(port: bigint): PageKey {
  return -Number(port >> 12n) - 1;
}

/** Dropped page arrays kept for reuse: a fresh 4 KiB typed array costs microseconds. */
const sparePagesMax = 256;

export class PhysMem {
  private readonly pages = new Map<PageKey, Uint8Array>();
  private readonly spare: Uint8Array[] = [];
  /** Pages written since the replayer last asked, with the bytes written (touchedRanges). */
  readonly touched = new TouchedPages();
  /** Counts every byte-changing write; equal counters mean equal memory. */
  writes = 0;

  /** The page's own array, to read in place now: a dropped page's array is reused later. */
  readPage(key: PageKey): Uint8Array | undefined {
    return this.pages.get(key);
  }

  /** Copies `length` bytes at `offset` of page `key` into `dst` at `at`. */
  readInto(key: PageKey, offset: number, length: number, dst: Uint8Array, at: number): void {
    const page = this.pages.get(key);
    if (page === undefined) dst.fill(0, at, at + length);
    else dst.set(page.subarray(offset, offset + length), at);
  }

  writeFrom(key: PageKey, offset: number, src: Uint8Array, from: number, length: number): void {
    let page = this.pages.get(key);
    if (page === undefined) {
      if (isZero(src, from, length)) return; // zeros into an unwritten page change nothing
      page = this.freshPage();
      this.pages.set(key, page);
    }
    page.set(from === 0 && length === src.length ? src : src.subarray(from, from + length), offset);
    this.writes++;
    this.mark(key, offset, offset + length);
  }

  /** Copies n bytes between pages without a bounce buffer; unwritten pages read as zero. */
  copy(fromKey: PageKey, fromOff: number, toKey: PageKey, toOff: number, n: number): void {
    const src = this.pages.get(fromKey);
    if (src !== undefined) {
      this.writeFrom(toKey, toOff, src, fromOff, n);
      return;
    }
    const dst = this.pages.get(toKey);
    if (dst === undefined) return; // zeros into an unwritten page change nothing
    dst.fill(0, toOff, toOff + n);
    this.writes++;
    this.mark(toKey, toOff, toOff + n);
  }

  private mark(key: PageKey, lo: number, hi: number): void {
    this.touched.mark(key, lo, hi);
  }

  /** Zeroes a page (fresh allocations start zeroed, like the kernel's zeroed pool). */
  clearPage(key: PageKey): void {
    const page = this.pages.get(key);
    if (page === undefined) return;
    this.pages.delete(key);
    this.recycle(page);
    this.writes++;
    this.mark(key, 0, PAGE_SIZE);
  }

  /**
   * Drops the stale bytes of a page nothing maps (a free RAM page being handed out as
   * demand-zero memory): no visible byte changes, so it is neither a write nor a touch.
   */
  discardPage(key: PageKey): void {
    const page = this.pages.get(key);
    if (page === undefined) return;
    this.pages.delete(key);
    this.recycle(page);
  }

  /** A zeroed page array, reused when one is spare (nothing outside holds a page: see visit). */
  private freshPage(): Uint8Array {
    const page = this.spare.pop();
    if (page === undefined) return zeroed(PAGE_SIZE); // from a slab: a lone array costs ~4 us
    page.fill(0);
    return page;
  }

  private recycle(page: Uint8Array): void {
    if (this.spare.length < sparePagesMax) this.spare.push(page);
  }

  /** Pages holding data (for digests and snapshots). */
  pageCount(): number {
    return this.pages.size;
  }

  clone(): PhysMem {
    const copy = new PhysMem();
    for (const [k, v] of this.pages) copy.pages.set(k, v.slice());
    copy.writes = this.writes;
    return copy;
  }
}

function isZero(src: Uint8Array, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) if (src[i] !== 0) return false;
  return true;
}
