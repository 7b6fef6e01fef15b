// Live CPU-visible ranges (buffers, pool, views) and the accesses that go through them.
// Lookups are binary searches by address (with a last-hit cache: consecutive accesses nearly
// always hit the same range), so a driver holding thousands of buffers costs log n per access.
import { PAGE_SIZE } from '../core/limits.js';
import { PageOwners } from './pageOwners.js';
import type { PageKey, PhysMem } from './physmem.js';
import { insertAt, removeAt } from './sorted.js';

export type RangeKind =
  'commonBuffer' | 'contiguous' | 'pool' | 'buffer' | 'view' | 'userView' | 'lockedList' | 'user';

/** Where a range's bytes live: a list of RAM pages, or a linear bus window. */
export type Backing =
  | { readonly kind: 'pages'; readonly keys: readonly PageKey[] }
  | { readonly kind: 'linear'; readonly base: bigint; readonly space: 'memory' | 'io' };

export interface CpuRange {
  readonly va: bigint;
  readonly length: number;
  readonly kind: RangeKind;
  readonly backing: Backing;
}

/** Predecessors looked at when ranges may overlap (ReactOS hands out port numbers as VAs). */
const overlapScan = 8;

export class RangeTable {
  private readonly live = new Map<bigint, CpuRange>();
  /** Live ranges sorted by start address, for binary search. */
  private sorted: CpuRange[] = [];
  /** RAM page → the range it backs (each RAM page backs at most one range). */
  private readonly owners = new PageOwners<CpuRange>();
  /** Ranges over a bus window (views): a bus page can be seen through several. */
  private readonly linear = new Set<CpuRange>();
  private overlapping = false;
  private last: CpuRange | undefined;
  /** last.va's offset in its page: one BigInt operation per range found, not per access. */
  private lastVaPage = 0;
  /**
   * Where the access the last find() placed starts: its offset in the range, and that range's
   * va offset in its page (valid only when find() returned a range). Callers read these
   * instead of subtracting BigInts again: every @read and @write comes through find().
   */
  foundOffset = 0;
  foundVaPage = 0;

  add(r: CpuRange): void {
    this.live.set(r.va, r);
    const i = this.lowerBound(r.va);
    const prev = this.sorted[i - 1];
    const next = this.sorted[i];
    // prev.va < r.va <= next.va: one BigInt operation a side, not two (a distance beyond 2^53,
    // inexact in Number, is beyond any length all the same).
    if (
      (prev !== undefined && Number(r.va - prev.va) < prev.length) ||
      (next !== undefined && Number(next.va - r.va) < r.length)
    ) {
      this.overlapping = true;
    }
    insertAt(this.sorted, i, r);
    if (r.backing.kind === 'pages') this.owners.add(r.backing.keys, r);
    else this.linear.add(r);
  }

  remove(va: bigint): CpuRange | undefined {
    const r = this.live.get(va);
    if (r === undefined) return undefined;
    this.live.delete(va);
    const i = this.sorted.indexOf(r, this.lowerBound(va));
    if (i >= 0) removeAt(this.sorted, i);
    if (r.backing.kind === 'pages') this.owners.remove(r.backing.keys, r);
    else this.linear.delete(r);
    if (this.last === r) this.last = undefined;
    return r;
  }

  at(va: bigint): CpuRange | undefined {
    return this.live.get(va);
  }

  /** The live range holding all of [va, va + length), if one does. O(log n). */
  find(va: bigint, length: number): CpuRange | undefined {
    const hit = this.last;
    if (hit !== undefined) {
      const off = offsetIn(hit, va, length);
      if (off >= 0) {
        this.foundOffset = off;
        this.foundVaPage = this.lastVaPage;
        return hit;
      }
    }
    const end = this.lowerBound(va + 1n); // first range starting after va
    const stop = this.overlapping ? Math.max(0, end - overlapScan) : Math.max(0, end - 1);
    for (let i = end - 1; i >= stop; i--) {
      const r = this.sorted[i];
      const off = r === undefined ? -1 : offsetIn(r, va, length);
      if (r !== undefined && off >= 0) {
        this.last = r;
        this.lastVaPage = Number(r.va & 0xfffn);
        this.foundOffset = off;
        this.foundVaPage = this.lastVaPage;
        return r;
      }
    }
    return undefined;
  }

  /** Whether any live range shares a byte with [va, va + length). O(log n). */
  overlaps(va: bigint, length: number): boolean {
    const end = va + BigInt(Math.max(1, length));
    const last = this.lowerBound(end); // first range starting at or after the access's end
    const stop = this.overlapping ? Math.max(0, last - overlapScan) : Math.max(0, last - 1);
    for (let i = last - 1; i >= stop; i--) {
      const r = this.sorted[i];
      if (r !== undefined && r.va + BigInt(r.length) > va) return true;
    }
    return false;
  }

  /** The range a RAM page backs, if any. */
  ownerOf(key: PageKey): CpuRange | undefined {
    return this.owners.get(key);
  }

  /** Ranges that look at bus memory (views of apertures). */
  views(): ReadonlySet<CpuRange> {
    return this.linear;
  }

  all(): IterableIterator<CpuRange> {
    return this.live.values();
  }

  get size(): number {
    return this.live.size;
  }

  /** Index of the first range starting at or after va. */
  private lowerBound(va: bigint): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid]?.va ?? 0n) < va) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The offset of va in r when r holds all of [va, va + length), else -1. */
function offsetIn(r: CpuRange, va: bigint, length: number): number {
  if (va < r.va) return -1;
  // One BigInt operation, not three: this runs for every access. An offset beyond 2^53, made
  // inexact by Number, is beyond any range's length all the same.
  const off = Number(va - r.va);
  return off + length <= r.length ? off : -1;
}

/** One page's share of an access: `page` is undefined for a page never written (zeros). */
export type PageVisitor = (
  page: Uint8Array | undefined,
  pageOff: number,
  n: number,
  at: number,
) => boolean;

/** Sees the pages behind [off, off + length) of r in order, without copying; stops on false. */
export function visitRange(
  mem: PhysMem,
  r: CpuRange,
  off: number,
  length: number,
  visit: PageVisitor,
  vaPage = -1,
): boolean {
  // Loops here and in writeRange/readRange rather than one walker taking a closure: every
  // @read and @write comes through, and a closure per access was a tenth of a step's garbage.
  const b = r.backing;
  const start = startOf(r, off, vaPage);
  const page = b.kind === 'pages' ? 0 : firstBusPage(b.base, off);
  let done = 0;
  while (done < length) {
    const pageOff = (start + done) % PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - pageOff, length - done);
    if (!visit(mem.readPage(keyAt(b, start + done, page)), pageOff, n, done)) return false;
    done += n;
  }
  return true;
}

/** Copies [off, off + out.length) of r into out, which must hold zeros (unwritten pages). */
export function readRange(
  mem: PhysMem,
  r: CpuRange,
  off: number,
  out: Uint8Array,
  vaPage = -1,
): void {
  const b = r.backing;
  const start = startOf(r, off, vaPage);
  const page = b.kind === 'pages' ? 0 : firstBusPage(b.base, off);
  const length = out.length;
  let done = 0;
  while (done < length) {
    const pageOff = (start + done) % PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - pageOff, length - done);
    const data = mem.readPage(keyAt(b, start + done, page));
    if (data !== undefined) out.set(data.subarray(pageOff, pageOff + n), done);
    done += n;
  }
}

export function writeRange(
  mem: PhysMem,
  r: CpuRange,
  off: number,
  data: Uint8Array,
  vaPage = -1,
): void {
  const b = r.backing;
  const start = startOf(r, off, vaPage);
  const page = b.kind === 'pages' ? 0 : firstBusPage(b.base, off);
  const length = data.length;
  let done = 0;
  while (done < length) {
    const pageOff = (start + done) % PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - pageOff, length - done);
    mem.writeFrom(keyAt(b, start + done, page), pageOff, data, done, n);
    done += n;
  }
}

/** Bus windows below this base take byte offsets in Number arithmetic, exactly (off < 2^32). */
const exactBaseMax = BigInt(Number.MAX_SAFE_INTEGER) - 0x100000000n;

/**
 * Byte `off` of r lies this many bytes into the first page keyAt counts from. vaPage is
 * r.va's offset in its page when the caller has it (RangeTable.foundVaPage), else -1.
 */
function startOf(r: CpuRange, off: number, vaPage: number): number {
  const b = r.backing;
  if (b.kind === 'pages') return (vaPage >= 0 ? vaPage : Number(r.va & 0xfffn)) + off;
  return b.base <= exactBaseMax
    ? (Number(b.base) + off) % PAGE_SIZE
    : Number((b.base + BigInt(off)) & 0xfffn);
}

/** The bus page number holding byte `off` of a window at `base`. */
function firstBusPage(base: bigint, off: number): number {
  return base <= exactBaseMax
    ? Math.floor((Number(base) + off) / PAGE_SIZE)
    : Number((base + BigInt(off)) >> 12n);
}

/** The key of the page holding position `pos` counted from startOf (page: firstBusPage). */
function keyAt(b: Backing, pos: number, page: number): PageKey {
  const i = Math.floor(pos / PAGE_SIZE);
  if (b.kind === 'pages') return b.keys[i] ?? 0;
  // As memoryPageKey and ioPageKey (physmem.ts) number them.
  return b.space === 'io' ? -(page + i) - 1 : page + i;
}
