// The model's live objects as a census: each object by kind and identity, and the map
// registers in use. Two censuses taken around a call say what it created and what it ended
// (`replay --explain` prints it), read from the state itself, not re-derived from the trace.
import type { ModelState, PoolBlock, Transfer } from './state.js';

/** Kinds of object, named as a driver writer says them, in the order a census lists them. */
export const OBJECT_KINDS = [
  'adapter',
  'common buffer',
  'MDL',
  'queued transfer',
  'pending transfer',
  'delivered transfer',
  'view',
  'user view',
  'event',
  'pool block',
  'buffer',
  'contiguous block',
  'locked list',
] as const;

export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** One live object: its kind and the value that names it (handle or address). */
export interface CensusObject {
  readonly kind: ObjectKind;
  readonly id: bigint;
}

export interface Census {
  /** Every live object, keyed by family and identity (a transfer keeps its key across states). */
  readonly objects: ReadonlyMap<string, CensusObject>;
  /** Map registers in use over all adapters, and all the adapters have. */
  readonly mapRegistersUsed: number;
  readonly mapRegisters: number;
}

const BLOCK_KIND: Readonly<Record<PoolBlock['kind'], ObjectKind>> = {
  pool: 'pool block',
  buffer: 'buffer',
  contiguous: 'contiguous block',
  lockedList: 'locked list',
};

const TRANSFER_KIND: Readonly<Record<Transfer['state'], ObjectKind>> = {
  queued: 'queued transfer',
  pending: 'pending transfer',
  delivered: 'delivered transfer',
};

/** The live objects of the state, now. Costs O(live objects). */
export function censusOf(s: ModelState): Census {
  const objects = new Map<string, CensusObject>();
  const add = (family: string, kind: ObjectKind, id: bigint): void => {
    objects.set(`${family}:${id.toString(16)}`, { kind, id });
  };
  let used = 0;
  let total = 0;
  for (const a of s.adapters.values()) {
    add('adapter', 'adapter', a.handle);
    used += a.mapRegistersUsed;
    total += a.mapRegisters;
  }
  for (const b of s.commonBuffers.values()) add('commonBuffer', 'common buffer', b.va);
  for (const m of s.mdls.values()) add('mdl', 'MDL', m.handle);
  for (const t of s.transfers.values()) add('transfer', TRANSFER_KIND[t.state], t.sgList);
  for (const v of s.views.values()) add('view', v.process === 0n ? 'view' : 'user view', v.va);
  for (const e of s.events.values()) add('event', 'event', e.handle);
  for (const b of s.blocks.values()) add('block', BLOCK_KIND[b.kind], b.va);
  return { objects, mapRegistersUsed: used, mapRegisters: total };
}

/** What happened between two censuses, in census order. */
export interface CensusChange {
  readonly created: readonly CensusObject[];
  readonly ended: readonly CensusObject[];
  /** Objects still live whose kind changed (a transfer delivered), as they are now. */
  readonly changed: readonly CensusObject[];
}

export function censusChange(before: Census, after: Census): CensusChange {
  const created: CensusObject[] = [];
  const ended: CensusObject[] = [];
  const changed: CensusObject[] = [];
  for (const [key, o] of after.objects) {
    const was = before.objects.get(key);
    if (was === undefined) created.push(o);
    else if (was.kind !== o.kind) changed.push(o);
  }
  for (const [key, o] of before.objects) if (!after.objects.has(key)) ended.push(o);
  return { created, ended, changed };
}

export const EMPTY_CENSUS: Census = { objects: new Map(), mapRegistersUsed: 0, mapRegisters: 0 };

/** How many live objects of each kind, kinds with none left out, in OBJECT_KINDS order. */
export function censusCounts(c: Census): [ObjectKind, number][] {
  const counts = new Map<ObjectKind, number>();
  for (const o of c.objects.values()) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return OBJECT_KINDS.flatMap((k) => {
    const n = counts.get(k) ?? 0;
    return n === 0 ? [] : [[k, n] as [ObjectKind, number]];
  });
}
