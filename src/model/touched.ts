// The pages written since the replayer last asked (Model.touched()), each with the extent of
// bytes written, in first-write order. Kept in two parallel lists reused from call to call: a
// call writes a page or two, and a Map made afresh per call (and a pair per page) was garbage
// on every step that wrote anything.
import { PAGE_SIZE } from '../core/limits.js';
import type { PageKey } from './physmem.js';

/** Pages listed before marking looks them up in a Map instead of scanning. */
const scanMax = 16;
/** An extent [lo, hi) packed in one number: both are at most PAGE_SIZE. */
const span = 2 * PAGE_SIZE;

export class TouchedPages {
  private readonly keys: PageKey[] = [];
  private readonly extents: number[] = [];
  private n = 0;
  /** Key → index, built once more than scanMax pages are listed. */
  private index: Map<PageKey, number> | undefined;

  get count(): number {
    return this.n;
  }

  key(i: number): PageKey {
    return this.keys[i] ?? 0;
  }

  lo(i: number): number {
    return Math.floor((this.extents[i] ?? 0) / span);
  }

  hi(i: number): number {
    return (this.extents[i] ?? 0) % span;
  }

  /** Records [lo, hi) of page key as written, widening its extent if listed. */
  mark(key: PageKey, lo: number, hi: number): void {
    const i = this.find(key);
    if (i >= 0) {
      const e = this.extents[i] ?? 0;
      const was = Math.floor(e / span);
      const wasHi = e % span;
      if (lo < was || hi > wasHi) this.extents[i] = Math.min(lo, was) * span + Math.max(hi, wasHi);
      return;
    }
    const at = this.n++;
    if (at < this.keys.length) {
      this.keys[at] = key;
      this.extents[at] = lo * span + hi;
    } else {
      this.keys.push(key);
      this.extents.push(lo * span + hi);
    }
    if (this.index !== undefined) this.index.set(key, at);
    else if (this.n > scanMax) {
      this.index = new Map();
      for (let k = 0; k < this.n; k++) this.index.set(this.keys[k] ?? 0, k);
    }
  }

  clear(): void {
    this.n = 0;
    this.index = undefined;
  }

  private find(key: PageKey): number {
    if (this.index !== undefined) return this.index.get(key) ?? -1;
    for (let i = this.n - 1; i >= 0; i--) if (this.keys[i] === key) return i;
    return -1;
  }
}
