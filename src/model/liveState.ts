// Plain-data views of the model's state: the live objects (what a target's optional state()
// returns, in its own address space), the live CPU ranges, and what memory a call touched.
import { PAGE_SIZE } from '../core/limits.js';
import type { CpuRange } from './ranges.js';
import type { ModelState } from './state.js';

export interface LiveState {
  readonly adapters: readonly { handle: bigint; mapRegisters: number; mapRegistersUsed: number }[];
  readonly commonBuffers: readonly {
    va: bigint;
    logical: bigint;
    length: number;
    cacheEnabled: boolean;
  }[];
  readonly mdls: readonly { handle: bigint; va: bigint; length: number; inFlight: number }[];
  readonly transfers: readonly {
    sgList: bigint;
    adapter: bigint;
    mdl: bigint;
    offset: number;
    length: number;
    writeToDevice: boolean;
    mapRegisters: number;
    firstRegister: number;
    /** Its scatter/gather list, in device logical addresses (while queued, as if granted at 0). */
    elements: readonly { logical: bigint; length: number }[];
    state: string;
  }[];
  readonly views: readonly {
    va: bigint;
    length: number;
    bus: bigint;
    space: string;
    process: bigint;
    refcount: number;
  }[];
  readonly events: readonly { handle: bigint; signaled: boolean }[];
  readonly blocks: readonly { va: bigint; length: number; kind: string }[];
}

export interface AddressRange {
  readonly address: bigint;
  readonly length: number;
}

export function liveState(s: ModelState): LiveState {
  // A loop, not Array.from(m.values(), f): that allocates an iterator result per object, and
  // a model target's state() runs this before every obsolete call that follows a change.
  const map = <T, U>(m: Map<bigint, T>, f: (t: T) => U): U[] => {
    const out: U[] = [];
    for (const t of m.values()) out.push(f(t));
    return out;
  };
  return {
    adapters: map(s.adapters, (a) => ({
      handle: a.handle,
      mapRegisters: a.mapRegisters,
      mapRegistersUsed: a.mapRegistersUsed,
    })),
    commonBuffers: map(s.commonBuffers, (b) => ({
      va: b.va,
      logical: b.logical,
      length: b.length,
      cacheEnabled: b.cacheEnabled,
    })),
    mdls: map(s.mdls, (m) => ({
      handle: m.handle,
      va: m.va,
      length: m.length,
      inFlight: m.inFlight,
    })),
    transfers: map(s.transfers, (t) => ({
      sgList: t.sgList,
      adapter: t.adapter,
      mdl: t.mdl,
      offset: t.offset,
      length: t.length,
      writeToDevice: t.writeToDevice,
      mapRegisters: t.mapRegisters,
      firstRegister: t.firstRegister,
      elements: t.elements.map((e) => ({ logical: e.address, length: e.length })),
      state: t.state,
    })),
    views: map(s.views, (v) => ({
      va: v.va,
      length: v.length,
      bus: v.bus,
      space: v.space,
      process: v.process,
      refcount: v.refcount,
    })),
    events: map(s.events, (e) => ({ handle: e.handle, signaled: e.signaled })),
    blocks: map(s.blocks, (b) => ({ va: b.va, length: b.length, kind: b.kind })),
  };
}

/** Every live CPU range (buffers, pool, views), the memory the integrity checks cover. */
export function liveRanges(s: ModelState): CpuRange[] {
  return Array.from(s.ranges.all());
}

/**
 * The spans of one touchedRanges() call, gathered in a list reused from call to call and
 * copied out at their exact count: pushing onto a fresh [] gave every answer room for 17
 * (about 150 bytes), where most answers hold one or two.
 */
class SpanList {
  private readonly list: AddressRange[] = [];
  private n = 0;

  clear(): void {
    this.n = 0;
  }

  push(r: AddressRange): void {
    if (this.n < this.list.length) this.list[this.n] = r;
    else this.list.push(r);
    this.n++;
  }

  take(): AddressRange[] {
    const got = this.list.slice(0, this.n);
    this.list.fill(noSpan, 0, this.n); // holds no answer's objects once handed out
    return got;
  }
}

const noSpan: AddressRange = { address: 0n, length: 0 };
const spans = new SpanList();

/**
 * The CPU address ranges whose bytes changed since the last call (per page, the span from the
 * first to the last byte written). Costs the
 * number of touched pages times live ranges: independent of how much memory is mapped.
 */
export function touchedRanges(s: ModelState): AddressRange[] {
  const touched = s.mem.touched;
  if (touched.count === 0) return [];
  const out = spans;
  out.clear();
  for (let i = 0; i < touched.count; i++) {
    const key = touched.key(i);
    const lo = touched.lo(i);
    const hi = touched.hi(i);
    const user = s.userPageOf.get(key);
    if (user !== undefined) out.push({ address: spanStart(user << 12n, lo), length: hi - lo });
    // A RAM page backs one range; a bus page shows through every view of it.
    const owner = s.ranges.ownerOf(key);
    if (owner !== undefined) rangeSpanOfKey(owner, key, lo, hi, out);
    else for (const r of s.ranges.views()) rangeSpanOfKey(r, key, lo, hi, out);
  }
  touched.clear();
  return out.take();
}

function rangeSpanOfKey(r: CpuRange, key: number, lo: number, hi: number, out: SpanList): void {
  const b = r.backing;
  let index: number;
  if (b.kind === 'pages') index = keyIndex(b.keys, key);
  else {
    const basePage = busPage(b.base);
    index = b.space === 'io' ? -basePage - 1 - key : key - basePage;
  }
  const startInPage = vaPageOf(r);
  const pages = Math.ceil((startInPage + r.length) / PAGE_SIZE);
  if (index < 0 || index >= pages) return;
  const from = Math.max(0, index * PAGE_SIZE + lo - startInPage);
  const to = Math.min(r.length, index * PAGE_SIZE + hi - startInPage);
  if (to > from) out.push({ address: spanStart(r.va, from), length: to - from });
}

/** base + offset: base itself at offset 0 (a write at a buffer's start, often), no sum made. */
function spanStart(base: bigint, offset: number): bigint {
  return offset === 0 ? base : base + BigInt(offset);
}

/**
 * keys.indexOf(key) for a range's distinct page keys, trying first where the key lies if the
 * range's pages are one ascending or descending run (how the allocator hands most of them
 * out): a 1 MiB buffer's 256 keys were scanned for every page written.
 */
function keyIndex(keys: readonly number[], key: number): number {
  const first = keys[0];
  if (first === undefined) return -1;
  const up = key - first;
  if (up >= 0 && up < keys.length && keys[up] === key) return up;
  const down = first - key;
  if (down >= 0 && down < keys.length && keys[down] === key) return down;
  return keys.indexOf(key);
}

/** The range the last vaPageOf() asked about, and its va's offset in its page. */
let vaPageRange: CpuRange | undefined;
let vaPage = 0;

/** r.va & 0xfff as a number, computed once for a run of pages touched in one range. */
function vaPageOf(r: CpuRange): number {
  if (r !== vaPageRange) {
    vaPageRange = r;
    vaPage = Number(r.va & 0xfffn);
  }
  return vaPage;
}

/** base >> 12 as a number; in Number arithmetic (no BigInt made) when base is exact there. */
function busPage(base: bigint): number {
  return base <= exactMax ? Math.floor(Number(base) / PAGE_SIZE) : Number(base >> 12n);
}

const exactMax = BigInt(Number.MAX_SAFE_INTEGER);
