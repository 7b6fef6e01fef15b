// Learned implementation-defined values, as apitrace's retrace keeps them: the value a trace
// names (recorded, or the oracle's when unrecorded), the oracle model's value, and the
// target's value for each produced handle or range. An address inside a learned range
// translates by its offset; anything never learned passes through unchanged.
//
// Bounded: the newest values are always kept, older ones only while the oracle says their
// object is still live (`Liveness`), so a mapping made at the start of a long trace still
// translates after millions of short-lived objects, and the book does not grow with the trace.
// A stale value (an object freed long ago, used again) then passes through unchanged.
import type { AddressSpace, ResourceKind } from '../model/callTypes.js';

export type Side = 'trace' | 'model' | 'target';

interface Entry {
  readonly trace: bigint;
  readonly model: bigint;
  readonly target: bigint;
  /** 0 for handles: exact matches only. */
  readonly length: number;
  /**
   * The target's extent, where its answer differs from the oracle's for a range whose size is
   * the implementation's (the scatter/gather list LockPages returns): listReach.ts. Always
   * present (undefined when the same), so every entry has one shape.
   */
  readonly targetLength: number | undefined;
  /** Learning order: when ranges overlap (a reused address), the latest wins. */
  readonly seq: number;
  /** What produced it, for asking whether it is still live (undefined: never asked). */
  readonly kind: ResourceKind | undefined;
  /** The call that produced it (-1: not said), for naming it in a clash (clash.ts). */
  readonly call: number;
}

/** What an exact value was learned as, latest first (clash.ts). */
export interface Learned {
  readonly model: bigint;
  readonly kind: ResourceKind | undefined;
  readonly call: number;
}

/**
 * Whether the oracle's value is a live object of a kind, as of the call (a snapshot: the
 * book asks for one per compaction and then asks it about many values).
 */
export type Liveness = () => (kind: ResourceKind, modelValue: bigint) => boolean;

/**
 * Whether the oracle's value is a live object of a kind, by one lookup (undefined: no lookup
 * tells): asked of the entry a translation picked, once the book holds aliases.
 */
export type LiveOne = (kind: ResourceKind, modelValue: bigint) => boolean | undefined;

/** Newest ranges searched for interior addresses whatever their liveness. */
const rangesKept = 4096;
/**
 * Newest values kept whatever their liveness (recently freed ones still translate). Per
 * address space, and held up to twice over between compactions: at about 200 bytes a value,
 * at most about 20 MB in all.
 */
const exactKept = 1 << 14;
/** Overlapping candidates looked at below an address (reuse makes a few, not many). */
const overlapScan = 16;

/**
 * One side's ranges sorted by that side's base, for binary search. Not shared with
 * minimize/book.ts's Ranges: that one holds the trace side only, forgets strictly the oldest
 * at each add and searches every range that may hold a value (exact links for the minimizer);
 * this one is re-sorted by another side when the sides split, trimmed in batches by liveness,
 * and looks at `overlapScan` candidates at most, a bound paid for on every argument replayed.
 */
class SortedRanges {
  constructor(
    private readonly side: Side,
    private list: Entry[] = [],
  ) {}

  /** The same entries, sorted by another side (used when the sides stop being equal). */
  resortedBy(side: Side): SortedRanges {
    return new SortedRanges(
      side,
      [...this.list].sort((a, b) => (a[side] < b[side] ? -1 : a[side] > b[side] ? 1 : 0)),
    );
  }

  add(e: Entry): void {
    this.list.splice(this.upperBound(e[this.side]), 0, e);
  }

  /** Keeps only the entries `keep` accepts (used when trimming the oldest). */
  retain(keep: (e: Entry) => boolean): void {
    this.list = this.list.filter(keep);
  }

  size(): number {
    return this.list.length;
  }

  // find and findWhere keep a loop each: find runs for every value translated, and one loop
  // for both (an offset floor, an optional `ok`) measured 1-5% slower there once findWhere
  // had run in the process (in-thread A/B by CPU time, session 33): not worth ten lines.
  find(v: bigint): [Entry, bigint] | undefined {
    let best: [Entry, bigint] | undefined;
    const end = this.upperBound(v);
    for (let i = end - 1; i >= 0 && i >= end - overlapScan; i--) {
      const e = this.list[i];
      if (e === undefined) continue;
      const off = v - e[this.side];
      if (off > 0n && off < BigInt(e.length) && (best === undefined || e.seq > best[0].seq))
        best = [e, off];
    }
    return best;
  }

  /** The latest range holding v (its base too) that `ok` accepts. */
  findWhere(v: bigint, ok: (e: Entry) => boolean): [Entry, bigint] | undefined {
    let best: [Entry, bigint] | undefined;
    const end = this.upperBound(v);
    for (let i = end - 1; i >= 0 && i >= end - overlapScan; i--) {
      const e = this.list[i];
      if (e === undefined) continue;
      const off = v - e[this.side];
      if (off < BigInt(e.length) && (best === undefined || e.seq > best[0].seq) && ok(e))
        best = [e, off];
    }
    return best;
  }

  /** The first index whose entry lies above v (no `v + 1n`: a new bigint per lookup). */
  private upperBound(v: bigint): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.list[mid]?.[this.side] ?? 0n) <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * One address space's learned values. While every entry holds one value on all three sides
 * (the usual case against an in-process model) the sides share one map and one sorted list,
 * so learning costs one insertion instead of three; the first entry that differs splits them.
 */
class SpaceBook {
  private exact: Record<Side, Map<bigint, Entry>>;
  private ranges: Record<Side, SortedRanges>;
  private shared = true;
  /** Whether any entry learned has a targetLength (else resized() need not look). */
  resizedAny = false;
  private seq = 0;
  /** Values and ranges held, and how many more before the next compaction. */
  private values = 0;
  private valuesMax = 2 * exactKept;
  private rangeCount = 0;
  private rangesMax = 2 * rangesKept;
  /**
   * Whether a trace or target value was learned that an entry for another oracle value holds
   * (ReactOS gives GetDeviceBase and MapMemory of one range one view; the docs oracle two):
   * from then on a translation that picks a dead object's entry looks for a live one.
   */
  private aliased = false;

  constructor(
    private readonly liveness: Liveness | undefined,
    private readonly liveOne: LiveOne | undefined,
  ) {
    const map = new Map<bigint, Entry>();
    const ranges = new SortedRanges('trace');
    this.exact = { trace: map, model: map, target: map };
    this.ranges = { trace: ranges, model: ranges, target: ranges };
  }

  learn(
    trace: bigint,
    model: bigint,
    target: bigint,
    length: number,
    kind: ResourceKind | undefined,
    targetLength: number | undefined,
    call: number,
  ): void {
    // No conditional spread: this runs for every value a call produces.
    const theirs = targetLength === length ? undefined : targetLength;
    const seq = this.seq++;
    const e: Entry = { trace, model, target, length, targetLength: theirs, seq, kind, call };
    if (theirs !== undefined) this.resizedAny = true;
    if (this.shared && (trace !== model || trace !== target)) this.split();
    if (!this.shared && !this.aliased && this.liveOne !== undefined)
      this.aliased =
        this.differs(this.exact.trace.get(trace), e) ||
        this.differs(this.exact.target.get(target), e);
    this.exact.trace.set(trace, e);
    if (!this.shared) {
      this.exact.model.set(model, e);
      this.exact.target.set(target, e);
    }
    // Amortized: a compaction costs what is held, and comes after at least as many learns.
    if (++this.values > this.valuesMax) {
      this.compactValues();
      this.values = this.exact.trace.size;
      this.valuesMax = 2 * Math.max(exactKept, this.values);
    }
    if (length === 0) return;
    this.ranges.trace.add(e);
    if (!this.shared) {
      this.ranges.model.add(e);
      this.ranges.target.add(e);
    }
    if (++this.rangeCount > this.rangesMax) {
      const keep = this.keeper(rangesKept);
      this.ranges.trace.retain(keep);
      if (!this.shared) {
        this.ranges.model.retain(keep);
        this.ranges.target.retain(keep);
      }
      this.rangeCount = this.ranges.trace.size();
      this.rangesMax = 2 * Math.max(rangesKept, this.rangeCount);
    }
  }

  /**
   * Which entries stay: the newest `newest`, and older ones that are the latest for their
   * oracle value and whose object the oracle still has.
   */
  private keeper(newest: number): (e: Entry) => boolean {
    const cut = this.seq - newest;
    const live = this.liveness?.();
    const byModel = this.exact.model;
    return (e) =>
      e.seq >= cut ||
      (live !== undefined &&
        e.kind !== undefined &&
        byModel.get(e.model) === e &&
        live(e.kind, e.model));
  }

  private compactValues(): void {
    const keep = this.keeper(exactKept);
    const drop = (m: Map<bigint, Entry>): void => {
      for (const [k, e] of m) if (!keep(e)) m.delete(k);
    };
    // The model side last: keep() looks entries up there.
    if (!this.shared) {
      drop(this.exact.trace);
      drop(this.exact.target);
    }
    drop(this.exact.model);
  }

  private split(): void {
    this.shared = false;
    const map = this.exact.trace;
    const ranges = this.ranges.trace;
    this.exact = { trace: map, model: new Map(map), target: new Map(map) };
    this.ranges = {
      trace: ranges,
      model: ranges.resortedBy('model'),
      target: ranges.resortedBy('target'),
    };
  }

  private differs(old: Entry | undefined, e: Entry): boolean {
    return old !== undefined && old.model !== e.model && e.length > 0;
  }

  find(from: Side, v: bigint): [Entry, bigint] | undefined {
    const hit = this.exact[from].get(v);
    const found = hit !== undefined ? ([hit, 0n] as [Entry, bigint]) : this.ranges[from].find(v);
    // The oracle's values never alias: only a trace or target value can stand for two.
    if (!this.aliased || found === undefined || from === 'model') return found;
    return this.livePreferred(from, v, found);
  }

  /**
   * The found entry, unless its oracle object is gone and another range holding v has a live
   * one: the target's one view of a range stays after the oracle unmapped one of its two.
   */
  private livePreferred(from: Side, v: bigint, found: [Entry, bigint]): [Entry, bigint] {
    const live = this.liveOne;
    const e = found[0];
    if (live === undefined || e.kind === undefined || live(e.kind, e.model) !== false) return found;
    const isLive = (c: Entry): boolean => c.kind !== undefined && live(c.kind, c.model) === true;
    return this.ranges[from].findWhere(v, isLive) ?? found;
  }

  exactly(from: Side, v: bigint): Learned | undefined {
    return this.exact[from].get(v);
  }

  translate(from: Side, to: Side, v: bigint): bigint | undefined {
    const found = this.find(from, v);
    return found === undefined ? undefined : found[0][to] + found[1];
  }

  size(): number {
    return this.exact.trace.size;
  }
}

export class AddressBook {
  private readonly spaces: Record<AddressSpace, SpaceBook>;
  /** True while every learned value is the same on both sides: translation is the identity. */
  private sameModel = true;
  private sameTarget = true;

  /**
   * Without `liveness`, only the newest values are kept; without `liveOne`, of two entries
   * holding a value the latest wins, live or not.
   */
  constructor(liveness?: Liveness, liveOne?: LiveOne) {
    this.spaces = {
      handle: new SpaceBook(liveness, liveOne),
      cpu: new SpaceBook(liveness, liveOne),
      device: new SpaceBook(liveness, liveOne),
    };
  }

  learn(
    space: AddressSpace,
    trace: bigint,
    model: bigint,
    target: bigint,
    length = 0,
    kind?: ResourceKind,
    targetLength?: number,
    call = -1,
  ): void {
    if (trace !== model) this.sameModel = false;
    if (trace !== target || model !== target) this.sameTarget = false;
    const range = space !== 'handle';
    this.spaces[space].learn(
      trace,
      model,
      target,
      range ? length : 0,
      kind,
      range ? targetLength : undefined,
      call,
    );
  }

  /** What `v` is the latest exact value of on a side, if anything (no interior addresses). */
  learnedAs(space: AddressSpace, from: Side, v: bigint): Learned | undefined {
    return this.spaces[space].exactly(from, v);
  }

  /**
   * Where v lies in a learned range whose extent the target answered differently from the
   * oracle: its offset there and both extents (undefined for any other value).
   */
  resized(
    space: AddressSpace,
    from: Side,
    v: bigint,
  ): { offset: number; length: number; targetLength: number } | undefined {
    const book = this.spaces[space];
    // Against a target whose lists are the oracle's (nearly always), no entry is resized:
    // no lookup for every @write.
    if (!book.resizedAny) return undefined;
    const found = book.find(from, v);
    const e = found?.[0];
    if (found === undefined || e?.targetLength === undefined) return undefined;
    return { offset: Number(found[1]), length: e.length, targetLength: e.targetLength };
  }

  /** Whether translating between these sides can change any value (false: skip it). */
  moves(from: Side, to: Side): boolean {
    if (from === to) return false;
    if (from === 'target' || to === 'target') return !(this.sameTarget && this.sameModel);
    return !this.sameModel;
  }

  /** v translated between sides; NULL and unknown values pass through unchanged. */
  map(space: AddressSpace, from: Side, to: Side, v: bigint): bigint {
    if (v === 0n || !this.moves(from, to)) return v;
    return this.spaces[space].translate(from, to, v) ?? v;
  }

  /** Like map(), but undefined when v was never learned (to tell wild values apart). */
  lookup(space: AddressSpace, from: Side, to: Side, v: bigint): bigint | undefined {
    return this.spaces[space].translate(from, to, v);
  }

  knows(space: AddressSpace, from: Side, v: bigint): boolean {
    return this.spaces[space].find(from, v) !== undefined;
  }

  size(): number {
    return this.spaces.handle.size() + this.spaces.cpu.size() + this.spaces.device.size();
  }
}
