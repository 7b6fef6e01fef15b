// Physical memory as sparse 4 KiB pages: system RAM, memory apertures and I/O ports. Unwritten
// pages read as zero and cost nothing, so a 1 GiB aperture is as cheap as a 1 MiB one. Every
// write records its page, so "what did this call change?" costs what the call touched.
import { PAGE_SIZE } from '../core/limits.js';

/** Page keys: memory-space page number, or -(port page + 1) for I/O space. */
export type PageKey = number;

export function memoryPageKey(address: bigint): PageKey {
  return Number(address >> 12n);
}

export function ioPageKey(port: bigint): PageKey {
  return -Number(port >> 12n) - 1;
}

export class PhysMem {
  private readonly pages = new Map<PageKey, Uint8Array>();
  /** Pages written since the last drainTouched(), in first-write order. */
  private touched: PageKey[] = [];
  private readonly touchedSet = new Set<PageKey>();
  /** Counts every byte-changing write; equal counters mean equal memory. */
  writes = 0;

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
      page = new Uint8Array(PAGE_SIZE);
      this.pages.set(key, page);
    }
    page.set(src.subarray(from, from + length), offset);
    this.writes++;
    if (!this.touchedSet.has(key)) {
      this.touchedSet.add(key);
      this.touched.push(key);
    }
  }

  /** Zeroes a page (fresh allocations start zeroed, like the kernel's zeroed pool). */
  clearPage(key: PageKey): void {
    const page = this.pages.get(key);
    if (page === undefined) return;
    this.pages.delete(key);
    this.writes++;
    if (!this.touchedSet.has(key)) {
      this.touchedSet.add(key);
      this.touched.push(key);
    }
  }

  drainTouched(): PageKey[] {
    const t = this.touched;
    this.touched = [];
    this.touchedSet.clear();
    return t;
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
