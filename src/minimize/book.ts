// The replayer's address book, trace side only (replay/addressBook.ts resolves the same way):
// a value names the latest production with that name, else the latest of the most recent
// ranges that holds it inside. The ranges are kept sorted by base, so an interior address is
// found by a binary search and a look at the ranges that start close enough below it, not by
// scanning all of them (link() of a 500,000-call capture scanned up to 1,024 per argument).
//
// Not shared with replay/addressBook.ts's SortedRanges, though both keep ranges sorted by
// base: only the binary search is alike. This one forgets the oldest range at every add and
// finds the latest holding range exactly (every range starting within the longest length
// below), so link() names one production for a value whatever the overlap; the replayer's
// keeps live ranges past its newest 4,096, is sorted by any of three sides, compacts in
// batches and looks at 16 candidates only, a bound it takes on every argument replayed.
// One structure for both would change one's links or cost the replay's hot path a callback.
import type { AddressSpace } from '../model/callTypes.js';

/** A production: the call that made it and where in its ret/out ("ret", "out.sgList"). */
export interface ProdRef {
  readonly call: number;
  readonly at: string;
}

export interface Entry {
  readonly from: ProdRef;
  /** The trace's name for it (its recorded value, else the oracle's). */
  readonly name: bigint;
  /** The oracle's value. */
  readonly model: bigint;
  /** Bytes in the range (0: a handle, found by its name only). */
  readonly length: number;
}

/** Interior addresses match this many most recent ranges (the replayer: 4,096 and live ones). */
export const rangesMax = 1024;

interface Range {
  readonly e: Entry;
  readonly end: bigint;
  /** Order learned: the latest wins. */
  readonly seq: number;
}

/** The most recent `max` ranges of one space, sorted by base (then by order learned). */
class Ranges {
  private readonly byBase: Range[] = [];
  /** Learned order, oldest first from `head`: the next one to forget. */
  private order: Range[] = [];
  private head = 0;
  private seq = 0;
  /** The longest live range's length: a range holding v starts less than this below it. */
  private lengthMax = 0n;

  constructor(private readonly max: number) {}

  add(e: Entry): void {
    const length = BigInt(e.length);
    const r: Range = { e, end: e.name + length, seq: this.seq++ };
    this.byBase.splice(this.after(e.name), 0, r);
    this.order.push(r);
    if (length > this.lengthMax) this.lengthMax = length;
    if (this.order.length - this.head > this.max) this.forget();
  }

  private forget(): void {
    const old = this.order[this.head++] as Range;
    if (this.head > 4096) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    for (let i = this.before(old.e.name); i < this.byBase.length; i++)
      if (this.byBase[i] === old) {
        this.byBase.splice(i, 1);
        break;
      }
    if (old.end - old.e.name < this.lengthMax) return;
    let m = 0n;
    for (const r of this.byBase) if (r.end - r.e.name > m) m = r.end - r.e.name;
    this.lengthMax = m;
  }

  /** The latest range with base < v < end, with v's offset into it. */
  find(v: bigint): [Entry, bigint] | undefined {
    let best: Range | undefined;
    for (let i = this.before(v) - 1; i >= 0; i--) {
      const r = this.byBase[i] as Range;
      if (r.e.name + this.lengthMax <= v) break; // this one and all below end before v
      if (r.end > v && (best === undefined || r.seq > best.seq)) best = r;
    }
    return best === undefined ? undefined : [best.e, v - best.e.name];
  }

  /** The first index whose base is >= v. */
  private before(v: bigint): number {
    let lo = 0;
    let hi = this.byBase.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.byBase[mid] as Range).e.name < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose base is > v. */
  private after(v: bigint): number {
    let lo = 0;
    let hi = this.byBase.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.byBase[mid] as Range).e.name <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Name → production, by address space. */
export class Book {
  private readonly exact = new Map<AddressSpace, Map<bigint, Entry>>();
  private readonly ranges = new Map<AddressSpace, Ranges>();

  constructor(private readonly max = rangesMax) {}

  learn(space: AddressSpace, e: Entry): void {
    let m = this.exact.get(space);
    if (m === undefined) this.exact.set(space, (m = new Map<bigint, Entry>()));
    m.set(e.name, e);
    if (space === 'handle' || e.length <= 0) return;
    let r = this.ranges.get(space);
    if (r === undefined) this.ranges.set(space, (r = new Ranges(this.max)));
    r.add(e);
  }

  /** The production `v` names in `space`, and `v`'s offset into it. */
  find(space: AddressSpace, v: bigint): [Entry, bigint] | undefined {
    const hit = this.exact.get(space)?.get(v);
    if (hit !== undefined) return [hit, 0n];
    return this.ranges.get(space)?.find(v);
  }
}
