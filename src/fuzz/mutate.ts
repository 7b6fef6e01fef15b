// Cheap mutations of kept programs (libFuzzer's and syzkaller's mutators), driven by the
// project Rng: insert a generated call, insert an obsolete call right after a call that made
// or changed something (the "interesting moments" for VideoPortMapDmaMemory), delete a run of
// calls, splice in another program's tail, change one argument, flip coherence, duplicate.
// Only inserted calls and changed arguments are drawn (draw.ts), one call at a time.
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { chance, int, pick, type Rng } from '../core/rng.js';
import { describe, INERT_FNS, MAP_DMA_FN, RELEASING_FNS } from '../model/calls.js';
import { anyCallDrawer, callDrawer } from './draw.js';
import { WILD, type AbsCall, type Program, type Slot } from './program.js';
import type { Swarm } from './weights.js';

export interface MutationContext {
  readonly rng: Rng;
  readonly swarm: Swarm;
  readonly callsMax: number;
  /** Other programs to splice from. */
  readonly donors: readonly Program[];
}

/** Mutations applied to one case, at most. */
const mutationsMax = 4;
/** The obsolete functions other than MapDmaMemory, in table order (its siblings). */
export const SIBLING_FNS: readonly string[] = [...INERT_FNS].filter((fn) => fn !== MAP_DMA_FN);
/** Calls after which an obsolete call is most telling: something was just made or moved. */
export const MOMENTS: ReadonlySet<string> = new Set([
  'VideoPortAllocateCommonBuffer',
  'VideoPortGetCommonBuffer',
  'VideoPortStartDma',
  '@executeDma',
  '@deviceDma',
  'VideoPortGetDeviceBase',
  'VideoPortMapMemory',
  'VideoPortLockBuffer',
  'VideoPortLockPages',
  '@write',
]);

function fcRandom(rng: Rng): fc.Random {
  return new fc.Random(xoroshiro128plus(int(rng, 0, 0x7fffffff)));
}

/** A call of `fn` (or of any function, by the swarm's weights), drawn as fast-check would (draw.ts). */
export function generated(m: MutationContext, fn?: string, random = fcRandom(m.rng)): AbsCall {
  const desc = fn === undefined ? undefined : describe(fn);
  return (desc === undefined ? anyCallDrawer(m.swarm) : callDrawer(desc, m.swarm))(random);
}

type Mutation = (p: AbsCall[], m: MutationContext) => void;

const insert: Mutation = (p, m) => p.splice(int(m.rng, 0, p.length), 0, generated(m));

/**
 * An obsolete call, generated: MapDmaMemory one time in two, else one of its siblings (each
 * 1/18; they were 1/30 while MapDmaMemory had two in three, and met half its DMA states).
 */
function inertCall(m: MutationContext, random?: fc.Random): AbsCall {
  const fn = chance(m.rng, 1, 2) ? MAP_DMA_FN : pick(m.rng, SIBLING_FNS);
  return generated(m, fn, random);
}

/**
 * The indices (plus `shift`) of the calls of `fns`, in order. A loop, not `flatMap` with an
 * array per call: V8 runs flatMap generically, and it was 3% of a fuzz case's CPU.
 */
function indicesOf(p: readonly AbsCall[], fns: ReadonlySet<string>, shift: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) if (fns.has((p[i] as AbsCall).fn)) out.push(i + shift);
  return out;
}

const insertInert: Mutation = (p, m) => {
  // Right after the call, or a call or two later (while what it started is still going on).
  const moments = indicesOf(p, MOMENTS, 1);
  const after = moments.length > 0 ? pick(m.rng, moments) + int(m.rng, 0, 2) : undefined;
  const at = after === undefined ? int(m.rng, 0, p.length) : Math.min(after, p.length);
  p.splice(at, 0, inertCall(m));
};

/**
 * A fresh program with obsolete calls at its interesting moments: after one in
 * `swarm.momentsEvery` calls that made or moved something, an obsolete call right after it or a
 * call or two later. (Drawn from the weights alone, a MapDmaMemory rarely lands while what such
 * a call started is still going on.) At most callsMax calls long.
 */
export function atMoments(program: Program, m: MutationContext): Program {
  const p: AbsCall[] = [];
  const random = fcRandom(m.rng); // one source for the program's calls: a Random costs ~1 us
  let due: number[] = [];
  for (const c of program) {
    p.push(c);
    due = due.map((d) => d - 1);
    while (due.includes(0)) {
      due.splice(due.indexOf(0), 1);
      p.push(inertCall(m, random));
    }
    if (MOMENTS.has(c.fn) && chance(m.rng, 1, m.swarm.momentsEvery)) {
      const later = int(m.rng, 0, 2);
      if (later === 0) p.push(inertCall(m, random));
      else due.push(later);
    }
  }
  if (p.length > m.callsMax) p.length = m.callsMax;
  return p;
}

const remove: Mutation = (p, m) => {
  if (p.length < 2) return;
  const at = int(m.rng, 0, p.length - 1);
  p.splice(at, int(m.rng, 1, Math.min(3, p.length - at)));
};

const splice: Mutation = (p, m) => {
  if (m.donors.length === 0) return;
  const donor = pick(m.rng, m.donors);
  if (donor.length === 0) return;
  const cut = int(m.rng, 0, p.length);
  const from = int(m.rng, 0, donor.length - 1);
  p.splice(cut, p.length - cut, ...donor.slice(from));
};

const changeArg: Mutation = (p, m) => {
  if (p.length === 0) return;
  const at = int(m.rng, 0, p.length - 1);
  const old = p[at];
  if (old === undefined) return;
  const names = Object.keys(old.args);
  if (names.length === 0) return;
  const name = pick(m.rng, names);
  const fresh = generated(m, old.fn);
  const slot = fresh.args[name];
  const args = { ...old.args };
  if (slot === undefined) delete args[name];
  else args[name] = slot;
  p[at] = { ...old, args };
};

const flipCoherence: Mutation = (p, m) => {
  if (p.length === 0) return;
  const at = int(m.rng, 0, p.length - 1);
  const old = p[at];
  if (old !== undefined) p[at] = { ...old, coherent: !old.coherent };
};

/** Repeats a call that ends an object (table: `releases`) later on the same (now stale) object. */
const refree: Mutation = (p, m) => {
  const at = indicesOf(p, RELEASING_FNS, 0);
  if (at.length === 0) return;
  const i = pick(m.rng, at);
  const c = p[i] as AbsCall;
  const args: Record<string, Slot> = {};
  for (const [k, s] of Object.entries(c.args))
    args[k] = s.s === 'live' ? { s: 'hostile', how: 'stale', res: s.res, pick: 0, wild: WILD } : s;
  p.splice(int(m.rng, i + 1, p.length), 0, { fn: c.fn, args, coherent: false });
};

const duplicate: Mutation = (p, m) => {
  if (p.length === 0) return;
  const at = int(m.rng, 0, p.length - 1);
  const n = int(m.rng, 1, Math.min(4, p.length - at));
  p.splice(at + n, 0, ...p.slice(at, at + n));
};

const MUTATIONS: readonly [Mutation, number][] = [
  [insert, 4],
  [insertInert, 4],
  [remove, 3],
  [splice, 2],
  [changeArg, 5],
  [flipCoherence, 1],
  [duplicate, 1],
  [refree, 1],
];
const TOTAL = MUTATIONS.reduce((n, [, w]) => n + w, 0);

function one(m: MutationContext): Mutation {
  let r = int(m.rng, 0, TOTAL - 1);
  for (const [mutation, w] of MUTATIONS) {
    r -= w;
    if (r < 0) return mutation;
  }
  return insert;
}

/** A mutated copy of `program` (1 to mutationsMax mutations), at most callsMax calls long. */
export function mutate(program: Program, m: MutationContext): Program {
  const p = [...program];
  const n = 1 + (chance(m.rng, 1, 2) ? 0 : int(m.rng, 1, mutationsMax - 1));
  for (let i = 0; i < n; i++) one(m)(p, m);
  if (p.length > m.callsMax) p.length = m.callsMax;
  return p;
}
