// Live CPU-visible ranges (buffers, pool, views) and the accesses that go through them.
// Lookups are linear over live ranges with a last-hit cache: drivers hold tens of mappings,
// and consecutive accesses nearly always hit the same one.
import { PAGE_SIZE } from '../core/limits.js';
import { ioPageKey, memoryPageKey, type PageKey, type PhysMem } from './physmem.js';

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

/** Page key and in-page offset of byte `off` of a range. */
export function locate(r: CpuRange, off: number): [PageKey, number] {
  const b = r.backing;
  if (b.kind === 'pages') {
    const pageOff = Number(r.va & 0xfffn) + off;
    return [b.keys[Math.floor(pageOff / PAGE_SIZE)] ?? 0, pageOff % PAGE_SIZE];
  }
  const addr = b.base + BigInt(off);
  const key = b.space === 'io' ? ioPageKey(addr) : memoryPageKey(addr);
  return [key, Number(addr & 0xfffn)];
}

export class RangeTable {
  private readonly live = new Map<bigint, CpuRange>();
  private last: CpuRange | undefined;

  add(r: CpuRange): void {
    this.live.set(r.va, r);
  }

  remove(va: bigint): CpuRange | undefined {
    const r = this.live.get(va);
    if (r !== undefined) this.live.delete(va);
    if (this.last === r) this.last = undefined;
    return r;
  }

  at(va: bigint): CpuRange | undefined {
    return this.live.get(va);
  }

  /** The live range holding all of [va, va + length), if one does. */
  find(va: bigint, length: number): CpuRange | undefined {
    const hit = this.last;
    if (hit !== undefined && inside(hit, va, length)) return hit;
    for (const r of this.live.values()) {
      if (inside(r, va, length)) {
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  all(): IterableIterator<CpuRange> {
    return this.live.values();
  }

  get size(): number {
    return this.live.size;
  }
}

function inside(r: CpuRange, va: bigint, length: number): boolean {
  if (va < r.va) return false;
  const off = va - r.va;
  return off + BigInt(length) <= BigInt(r.length);
}

/** Copies [off, off + length) of range r out of memory. */
export function readRange(mem: PhysMem, r: CpuRange, off: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const [key, pageOff] = locate(r, off + done);
    const n = Math.min(PAGE_SIZE - pageOff, length - done);
    mem.readInto(key, pageOff, n, out, done);
    done += n;
  }
  return out;
}

export function writeRange(mem: PhysMem, r: CpuRange, off: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.length) {
    const [key, pageOff] = locate(r, off + done);
    const n = Math.min(PAGE_SIZE - pageOff, data.length - done);
    mem.writeFrom(key, pageOff, data, done, n);
    done += n;
  }
}
