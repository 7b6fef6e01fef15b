// Resolving slots against the oracle model's live state (the generator's view of "what exists
// right now"). Live lists follow the model's Map insertion order, so a slot resolves to the
// same object every time the same calls came before it.
import { RESOURCE_SPACE, type ResourceKind } from '../model/callTypes.js';
import { driverHolds, liveOf, type Live } from '../model/live.js';
import type { ModelState } from '../model/state.js';
import type { Struct, Value } from '../model/values.js';
import { firstUnfilled } from './fill.js';
import { ROOM_MAX, USER_BUFFER, type Place, type Slot } from './program.js';

export function place(base: bigint, length: number, p: Place): bigint {
  switch (p.at) {
    case 'base':
      return base;
    case 'end':
      return base + BigInt(length);
    case 'off':
      return base + p.off;
    case 'frac': {
      const raw = Math.floor((length * p.frac) / 65536);
      return base + BigInt(raw - (raw % Math.max(1, p.align)));
    }
    case 'pageLast': {
      const end = base + BigInt(length);
      const last = (base + BigInt(Math.floor((length * p.frac) / 65536))) | 0xfffn;
      return last < end ? last : end > base ? end - 1n : base;
    }
  }
}

/**
 * What resolving needed and did not find: the builder may run a producer first. `dead:K`: a
 * value of kind K that is no longer live (a hostile stale slot's), made by freeing one.
 */
export type Need = ResourceKind | 'pending' | 'legacyBuffer' | 'fill' | `dead:${ResourceKind}`;

export interface Resolver {
  readonly state: ModelState;
  /**
   * Values this program resolved before, per kind, in first-use order (the pool `stale` slots
   * draw from). Sets, not lists: a lifted capture of 100,000 calls remembers as many values,
   * and looking each up in a list made `corpus prune` quadratic.
   */
  readonly used: Map<ResourceKind, Set<bigint>>;
}

/** Notes `v` as a value of kind `res` the program used (a stale slot's pool). */
export function remember(r: Resolver, res: ResourceKind, v: bigint): void {
  const seen = r.used.get(res);
  if (seen === undefined) r.used.set(res, new Set([v]));
  else seen.add(v); // a value seen before keeps its place
}

/** A value of kind `res` the program used that is no longer live, if any. */
function stale(r: Resolver, res: ResourceKind, pick: number): bigint | undefined {
  const seen = r.used.get(res);
  if (seen === undefined) return undefined;
  const live = new Set(liveOf(r.state, res).map((l) => l.v));
  const dead = [...seen].filter((v) => !live.has(v));
  // Counted from the most recently used, so pick 0 is usually what was just freed.
  return dead.length === 0 ? undefined : dead[dead.length - 1 - (pick % dead.length)];
}

/** Kinds a foreign value is borrowed from. */
const FOREIGN: readonly ResourceKind[] = ['adapter', 'mdl', 'event', 'sgList', 'view', 'pool'];

/** A live object of another kind than `res` (for a CPU address: not CPU memory either). */
function foreign(r: Resolver, res: ResourceKind, pick: number): bigint | undefined {
  const kinds = FOREIGN.filter((k) => k !== res && (res !== 'cpu' || RESOURCE_SPACE[k] !== 'cpu'));
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[(pick + i) % kinds.length] as ResourceKind;
    const hit = livePick(r.state, k, pick);
    if (hit !== undefined) return hit.v;
  }
  return undefined;
}

/** The list handle of a started transfer not yet delivered (pending or queued), if any. */
function early(s: ModelState, pick: number): bigint | undefined {
  let i = 0;
  for (const t of s.transfers.values()) if (t.state !== 'delivered') i++;
  if (i === 0) return undefined;
  i = pick % i;
  for (const t of s.transfers.values()) if (t.state !== 'delivered' && i-- === 0) return t.sgList;
  return undefined;
}

/**
 * A hostile slot's value, whatever the call's coherence. Stale and early ask (`ask`) for what
 * they lack to be made first (an object freed, a transfer started); when nothing of the class
 * exists, and it cannot be made, the slot's wild pointer rather than NULL.
 */
function hostile(
  r: Resolver,
  slot: Extract<Slot, { s: 'hostile' }>,
  ask: boolean,
): bigint | { need: Need } {
  switch (slot.how) {
    case 'null':
      return 0n;
    case 'wild':
      return slot.wild;
    case 'foreign':
      return foreign(r, slot.res, slot.pick) ?? slot.wild;
    case 'stale': {
      const v = stale(r, slot.res, slot.pick);
      if (v !== undefined) return v;
      return ask ? { need: `dead:${slot.res}` } : slot.wild;
    }
    case 'early': {
      const v = early(r.state, slot.pick);
      if (v !== undefined) return v;
      return ask ? { need: 'pending' } : (stale(r, slot.res, slot.pick) ?? slot.wild);
    }
  }
}

/** The live object a `live` slot names, if any. */
export function liveTarget(r: Resolver, slot: Slot): Live | undefined {
  if (slot.s !== 'live') return undefined;
  return livePick(r.state, slot.res, slot.pick);
}

/** The value at (pick mod size) in iteration order. */
function nth<T>(values: Iterable<T>, size: number, pick: number): T | undefined {
  if (size === 0) return undefined;
  let i = pick % size;
  for (const v of values) if (i-- === 0) return v;
  return undefined;
}

/**
 * nth over a map's own keys or values: the iterator made where it is walked, so the optimizing
 * compiler need not allocate a result object per step (the generic `nth` got iterators of
 * several kinds, and their results were about 1% of a fuzz case's allocation).
 */
function nthKey<K>(m: ReadonlyMap<K, unknown>, pick: number): K | undefined {
  if (m.size === 0) return undefined;
  let i = pick % m.size;
  for (const k of m.keys()) if (i-- === 0) return k;
  return undefined;
}

function nthValue<V>(m: ReadonlyMap<unknown, V>, pick: number): V | undefined {
  if (m.size === 0) return undefined;
  let i = pick % m.size;
  for (const v of m.values()) if (i-- === 0) return v;
  return undefined;
}

const handle = (v: bigint | undefined): Live | undefined =>
  v === undefined ? undefined : { v, length: 0 };

/** A live range as a Live: its address (`at`, for a common buffer maybe its logical one). */
function extent<K extends string>(
  o: (Record<K, bigint> & { readonly length: number }) | undefined,
  at: K,
): Live | undefined {
  return o === undefined ? undefined : { v: o[at], length: o.length };
}

/**
 * liveOf(s, res)[pick % count] without listing every live object (a slot is resolved per
 * generated argument; a driver may hold thousands of objects of a kind).
 */
export function livePick(s: ModelState, res: ResourceKind, pick: number): Live | undefined {
  switch (res) {
    case 'adapter':
      return handle(nthKey(s.adapters, pick));
    case 'mdl': {
      // Counted, then walked: no list of the held MDLs per slot.
      let held = 0;
      for (const m of s.mdls.values()) if (driverHolds(m)) held++;
      if (held === 0) return undefined;
      let i = pick % held;
      for (const m of s.mdls.values()) if (driverHolds(m) && i-- === 0) return handle(m.handle);
      return undefined;
    }
    case 'event':
      return handle(nthKey(s.events, pick));
    case 'commonBuffer':
      return extent(nthValue(s.commonBuffers, pick), 'va');
    case 'logical':
      return extent(nthValue(s.commonBuffers, pick), 'logical');
    case 'view':
      return extent(nthValue(s.views, pick), 'va');
    case 'cpu':
      return extent(nth(s.ranges.all(), s.ranges.size, pick), 'va');
    default: {
      const list = liveOf(s, res);
      return list.length === 0 ? undefined : list[pick % list.length];
    }
  }
}

function bus(r: Resolver, slot: Extract<Slot, { s: 'bus' }>): bigint {
  const aps = r.state.device.apertures.filter(
    (a) => slot.space === 'any' || a.space === slot.space,
  );
  const ap = aps[slot.pick % Math.max(1, aps.length)];
  return ap === undefined ? 0x1000n : place(ap.base, ap.length, slot.place);
}

/**
 * A slot's value, or the kind of object it needed and did not find (only when `strict`: a
 * coherent call asks the builder for a producer instead of passing NULL; a hostile slot asks
 * whenever `ask`, the builder's first tries).
 */
export function resolveSlot(
  r: Resolver,
  slot: Slot,
  strict: boolean,
  ask = true,
): Value | { need: Need } {
  switch (slot.s) {
    case 'lit':
      return slot.v;
    case 'wild':
      return slot.v;
    case 'user':
      return USER_BUFFER + BigInt(slot.off);
    case 'fill':
      // Asked for only when there is one (coherence.ts, `@deviceDma`).
      return firstUnfilled(r.state)?.start ?? USER_BUFFER;
    case 'room': {
      const left = r.state.phys.free() * 0x1000;
      return left > 0 && left <= ROOM_MAX ? left : 0x1000;
    }
    case 'bus':
      return bus(r, slot);
    case 'mapped': {
      const v = nthValue(r.state.views, slot.pick);
      return v === undefined
        ? resolveSlot(r, slot.or, strict, ask)
        : place(v.bus, v.length, slot.place);
    }
    case 'hostile':
      return hostile(r, slot, ask);
    case 'live': {
      const hit = liveTarget(r, slot);
      if (hit === undefined) return strict ? { need: slot.res } : 0n;
      remember(r, slot.res, hit.v);
      return place(hit.v, hit.length, slot.place);
    }
    case 'vrp': {
      const buf = resolveSlot(r, slot.buf, strict, ask);
      if (typeof buf === 'object' && 'need' in buf) return buf;
      const b = typeof buf === 'bigint' ? buf : 0n;
      const packet: Struct = {
        ioControlCode: slot.ioControlCode,
        statusBlock: 0n,
        inputBuffer: b,
        inputBufferLength: slot.length,
        outputBuffer: b,
        outputBufferLength: slot.length,
      };
      return packet;
    }
  }
}
