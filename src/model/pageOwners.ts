// Which live range a RAM page backs, kept as runs of consecutive pages. The allocator hands a
// buffer its pages mostly as one run, so adding or removing a 1 MiB buffer touches a run or
// two instead of 256 map entries (a profile of large common buffers spent 30% of a replay on
// those). The answers are those of a page → owner map where adding takes pages over from
// whoever had them and removing drops only the pages still the remover's.
import type { PageKey } from './physmem.js';
import { insertAt, removeAt } from './sorted.js';

interface Run<T> {
  readonly start: PageKey;
  /** Exclusive. */
  readonly end: PageKey;
  readonly owner: T;
}

export class PageOwners<T> {
  /** Sorted by start, disjoint. */
  private runs: Run<T>[] = [];

  add(keys: readonly PageKey[], owner: T): void {
    this.byRuns(keys, owner, true);
  }

  remove(keys: readonly PageKey[], owner: T): void {
    this.byRuns(keys, owner, false);
  }

  /** Adds or removes each maximal run of consecutive keys, ascending or descending, in order. */
  private byRuns(keys: readonly PageKey[], owner: T, adding: boolean): void {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i <= keys.length; i++) {
      const k = keys[i];
      if (k !== undefined && hi > lo && k === hi) hi++;
      else if (k !== undefined && hi > lo && k === lo - 1) lo--;
      else {
        if (hi > lo) {
          if (adding) this.addRun(lo, hi, owner);
          else this.carve(lo, hi, owner);
        }
        if (k === undefined) return;
        lo = k;
        hi = k + 1;
      }
    }
  }

  get(key: PageKey): T | undefined {
    const r = this.runs[this.firstAfter(key) - 1];
    return r !== undefined && key < r.end ? r.owner : undefined;
  }

  /** Number of runs (for tests). */
  get size(): number {
    return this.runs.length;
  }

  private addRun(start: PageKey, end: PageKey, owner: T): void {
    this.carve(start, end, undefined);
    insertAt(this.runs, this.firstAfter(start), { start, end, owner });
  }

  /** Takes [start, end) out of every run there (of `only`'s runs, when given). */
  private carve(start: PageKey, end: PageKey, only: T | undefined): void {
    const from = Math.max(0, this.firstAfter(start) - 1);
    // The usual cases first, without building a list: no run to cut (fresh pages), or one
    // run wholly inside (a buffer's own run, freed).
    let hits = 0;
    let hit = -1;
    for (let to = from, r = this.runs[to]; r !== undefined && r.start < end; r = this.runs[++to]) {
      if (r.end <= start || (only !== undefined && r.owner !== only)) continue;
      hits++;
      hit = to;
    }
    if (hits === 0) return;
    const one = this.runs[hit];
    if (hits === 1 && one !== undefined && one.start >= start && one.end <= end) {
      removeAt(this.runs, hit);
      return;
    }
    const kept: Run<T>[] = [];
    let to = from;
    for (let r = this.runs[to]; r !== undefined && r.start < end; r = this.runs[++to]) {
      if (r.end <= start || (only !== undefined && r.owner !== only)) {
        kept.push(r);
        continue;
      }
      if (r.start < start) kept.push({ start: r.start, end: start, owner: r.owner });
      if (r.end > end) kept.push({ start: end, end: r.end, owner: r.owner });
    }
    if (to > from) this.runs.splice(from, to - from, ...kept);
  }

  /** Index of the first run starting after key. */
  private firstAfter(key: PageKey): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.runs[mid]?.start ?? 0) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
