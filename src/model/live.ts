// The oracle's live objects by kind, in creation order: what the generator resolves slots
// against (src/fuzz) and what the replayer's address book keeps learned values for (a value
// whose object is gone may be forgotten).
import type { ResourceKind } from './callTypes.js';
import type { Mdl, ModelState } from './state.js';

/** A live object: a handle (length 0) or a range. */
export interface Live {
  readonly v: bigint;
  readonly length: number;
}

const handles = (m: ReadonlyMap<bigint, unknown>): Live[] =>
  Array.from(m.keys(), (v) => ({ v, length: 0 }));

function blocks(s: ModelState, kind: string): Live[] {
  const out: Live[] = [];
  for (const b of s.blocks.values()) if (b.kind === kind) out.push({ v: b.va, length: b.length });
  return out;
}

/**
 * Whether a driver can name this MDL in a later call: LockBuffer returns its handle. The
 * documented LockPages hands out a scatter/gather list and keeps its MDL to itself; ReactOS's
 * returns the MDL in OutputBuffer, but that field is learned as what the documentation says it
 * is (a locked list), so a later MDL argument carrying it could not be translated for a target
 * that numbers its objects differently. A program passing such a handle would blame a correct
 * implementation for not knowing the oracle's number.
 */
export function driverHolds(m: Pick<Mdl, 'origin'>): boolean {
  return m.origin === 'LockBuffer';
}

/** Every live object of a kind, in creation order (MDLs: those the driver holds). */
export function liveOf(s: ModelState, res: ResourceKind): Live[] {
  switch (res) {
    case 'adapter':
      return handles(s.adapters);
    case 'mdl':
      return [...s.mdls.values()].filter(driverHolds).map((m) => ({ v: m.handle, length: 0 }));
    case 'event':
      return handles(s.events);
    case 'sgList': {
      const out: Live[] = [];
      for (const t of s.transfers.values())
        if (t.state === 'delivered') out.push({ v: t.sgList, length: 0 });
      return out;
    }
    case 'sgElement':
      return [...s.transfers.values()].flatMap((t) =>
        t.state === 'delivered' ? t.elements.map((e) => ({ v: e.address, length: e.length })) : [],
      );
    case 'commonBuffer':
      return Array.from(s.commonBuffers.values(), (b) => ({ v: b.va, length: b.length }));
    case 'logical':
      return Array.from(s.commonBuffers.values(), (b) => ({ v: b.logical, length: b.length }));
    case 'view':
      return Array.from(s.views.values(), (w) => ({ v: w.va, length: w.length }));
    case 'userView':
      return [...s.views.values()]
        .filter((w) => w.process !== 0n)
        .map((w) => ({ v: w.va, length: w.length }));
    case 'pool':
    case 'buffer':
    case 'contiguous':
    case 'lockedList':
      return blocks(s, res);
    case 'cpu':
      return Array.from(s.ranges.all(), (r) => ({ v: r.va, length: r.length }));
    case 'pdma':
      return [];
  }
}

/**
 * Whether a value (the oracle's) is a live object of a kind, as of now: one Set per kind asked,
 * built on first use, so a caller deciding about many values pays O(live objects) once.
 */
export function liveSnapshot(s: ModelState): (res: ResourceKind, v: bigint) => boolean {
  const sets = new Map<ResourceKind, Set<bigint>>();
  return (res, v) => {
    let set = sets.get(res);
    if (set === undefined) {
      set = new Set(liveOf(s, res).map((l) => l.v));
      sets.set(res, set);
    }
    return set.has(v);
  };
}

/**
 * Whether `v` (the oracle's) is a live object of a kind, by one lookup: for a value learned
 * anew that another object still holds (clash.ts). Undefined for the kinds where one value may
 * rightly name two live objects (a view of memory mapped twice, the pages of a buffer locked
 * twice) or that no lookup by value tells (a common buffer's logical address).
 */
export function liveAt(s: ModelState, res: ResourceKind, v: bigint): boolean | undefined {
  switch (res) {
    case 'adapter':
      return s.adapters.has(v);
    case 'event':
      return s.events.has(v);
    case 'mdl': {
      const m = s.mdls.get(v);
      return m !== undefined && driverHolds(m);
    }
    case 'sgList':
      return s.transfers.get(v)?.state === 'delivered';
    case 'commonBuffer':
      return s.commonBuffers.has(v);
    case 'pool':
    case 'buffer':
    case 'contiguous':
    case 'lockedList':
      return s.blocks.get(v)?.kind === res;
    default:
      return undefined;
  }
}

/**
 * Whether `v` (the oracle's) is a live object of a kind, by one lookup, views included (two
 * views at one value are two objects to clash.ts, one lookup here): undefined where no lookup
 * tells. The replay's address book asks it to choose between a target value's aliases.
 */
export function liveByLookup(s: ModelState, res: ResourceKind, v: bigint): boolean | undefined {
  if (res === 'view') return s.views.has(v);
  if (res === 'userView') return (s.views.get(v)?.process ?? 0n) !== 0n;
  return liveAt(s, res, v);
}
