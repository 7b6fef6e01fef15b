// The deterministic allocator: where handles, virtual addresses and physical pages come from.
// Virtual addresses are never reused (a stale pointer stays stale); physical pages are.
// An alternate layout exists so tests can prove a target that allocates differently is still
// judged correct (implementation-defined values are learned, not compared).
import { PAGE_SHIFT, PAGE_SIZE } from '../core/limits.js';

export interface Layout {
  readonly handleBase: bigint;
  readonly handleStride: bigint;
  readonly kernelVaBase: bigint;
  readonly viewVaBase: bigint;
  readonly userViewVaBase: bigint;
  /** Logical window of adapter i's map registers (non-scatter/gather transfers). */
  readonly mapWindowBase: bigint;
  /** Allocate contiguous RAM from the top of memory instead of the bottom. */
  readonly topDown: boolean;
}

export const DEFAULT_LAYOUT: Layout = {
  handleBase: 0xffffe00010000000n,
  handleStride: 0x100n,
  kernelVaBase: 0xffffa00000000000n,
  viewVaBase: 0xffffc00000000000n,
  userViewVaBase: 0x0000800000000000n,
  mapWindowBase: 0xc0000000n,
  topDown: false,
};

export const ALTERNATE_LAYOUT: Layout = {
  handleBase: 0xffff900000000040n,
  handleStride: 0x40n,
  kernelVaBase: 0xffffb10000000000n,
  viewVaBase: 0xffffd20000000000n,
  userViewVaBase: 0x0000900000000000n,
  mapWindowBase: 0xa0000000n,
  topDown: true,
};

/** First page of system RAM the allocator hands out (the low megabyte is firmware's). */
const RAM_FIRST_PAGE = 0x100;

/**
 * RAM's page runs: [RAM_FIRST_PAGE, ramPages) less the holes (the memory apertures: a bus
 * address decodes to one device), with what the holes took remapped above them, as firmware
 * remaps the RAM under the PCI hole. Without holes in the way: the one run it always was.
 */
export function ramRuns(
  ramPages: number,
  holes: readonly (readonly [number, number])[],
): Array<[number, number]> {
  const sorted = [...holes].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const runs: Array<[number, number]> = [];
  let want = Math.max(0, ramPages - RAM_FIRST_PAGE);
  let at = RAM_FIRST_PAGE;
  for (const [a, b] of sorted) {
    if (want === 0) break;
    if (b <= at) continue;
    if (a > at) {
      const n = Math.min(want, a - at);
      runs.push([at, at + n]);
      want -= n;
    }
    at = Math.max(at, b);
  }
  if (want > 0) runs.push([at, at + want]);
  return runs;
}

/** Free physical pages as sorted, coalesced [start, end) runs. */
export class PhysAllocator {
  private runs: Array<[number, number]>;
  /** The pages in runs, kept as they change: asked before every allocation. */
  private freePages = 0;

  constructor(
    ramPages: number,
    private readonly topDown: boolean,
    holes: readonly (readonly [number, number])[] = [],
  ) {
    this.runs = ramRuns(ramPages, holes);
    for (const [a, b] of this.runs) this.freePages += b - a;
  }

  /** n physically contiguous pages whose last byte is at or below `highest`; first fit. */
  contiguous(n: number, highest: bigint): number | undefined {
    // Pages below this one end at or below `highest` (clamped: `highest` may be 2^64 - 1).
    const limit = Number(BigInt.asUintN(64, highest + 1n) >> PAGE_SHIFT);
    const ceiling = highest >= 0xffffffffffffffffn ? Number.MAX_SAFE_INTEGER : limit;
    // Run by run from the bottom (top-down: from the top), without listing their indexes.
    const count = this.runs.length;
    for (let k = 0; k < count; k++) {
      const i = this.topDown ? count - 1 - k : k;
      const run = this.runs[i];
      if (run === undefined || run[1] - run[0] < n) continue;
      // Top-down takes the highest fit under the ceiling, not just the run's top.
      const start = this.topDown ? Math.min(run[1], ceiling) - n : run[0];
      if (start < run[0] || start + n > ceiling) continue;
      this.take(i, start, n);
      return start;
    }
    return undefined;
  }

  /**
   * n pages, deliberately not contiguous: taken one at a time from the high end (or low end,
   * top-down, then reversed), so ascending virtual pages map to descending physical ones and a
   * buffer's scatter/gather list has one element per page, as pool memory often does.
   */
  scattered(n: number): number[] | undefined {
    if (this.free() < n) return undefined;
    const pages: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = this.topDown ? 0 : this.runs.length - 1;
      const run = this.runs[i];
      if (run === undefined) return undefined;
      const page = this.topDown ? run[0] : run[1] - 1;
      this.take(i, page, 1);
      pages.push(page);
    }
    return this.topDown ? pages.reverse() : pages;
  }

  release(pages: readonly number[]): void {
    for (const p of pages) this.insert(p);
  }

  free(): number {
    return this.freePages;
  }

  private take(i: number, start: number, n: number): void {
    const run = this.runs[i];
    if (run === undefined) return;
    const [a, b] = run;
    this.freePages -= n; // callers take from within one run
    // Taking from either end (the usual case) shrinks the run in place.
    if (start === a && start + n < b) run[0] = start + n;
    else if (start > a && start + n === b) run[1] = start;
    else if (start === a) this.runs.splice(i, 1);
    else this.runs.splice(i, 1, [a, start], [start + n, b]);
  }

  private insert(page: number): void {
    this.freePages++;
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.runs[mid]?.[0] ?? 0) < page) lo = mid + 1;
      else hi = mid;
    }
    const prev = this.runs[lo - 1];
    const next = this.runs[lo];
    if (prev !== undefined && prev[1] === page) {
      prev[1] = page + 1;
      if (next !== undefined && next[0] === page + 1) {
        prev[1] = next[1];
        this.runs.splice(lo, 1);
      }
    } else if (next !== undefined && next[0] === page + 1) next[0] = page;
    else this.runs.splice(lo, 0, [page, page + 1]);
  }
}

/** A bump allocator of page-aligned virtual ranges with a guard page after each. */
export class VaBump {
  constructor(private next: bigint) {}

  take(bytes: number): bigint {
    const va = this.next;
    const pages = BigInt(Math.ceil(Math.max(bytes, 1) / PAGE_SIZE) + 1);
    this.next += pages * BigInt(PAGE_SIZE);
    return va;
  }
}
