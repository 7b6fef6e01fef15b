// Case i of a campaign, from (seed, i, the base corpus) alone: a fresh program drawn from the
// call table with fast-check's Random (draw.ts), or a mutation of a base-corpus program
// (entries chosen by their energy, energy.ts), with the swarm configuration of its slot, and
// the case's watch call (watch.ts). `caseProgram` is what workers run; `generateCase` materializes the same
// calls against a private oracle, which is how the main thread recovers a case's trace (for
// the corpus, for a repro) without anything from the worker.
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { memo } from '../core/memo.js';
import { chance, int, rngFor, weighted } from '../core/rng.js';
import { CALLS } from '../model/calls.js';
import { profileOf, resolveDevice, type Profile } from '../model/device.js';
import { Model } from '../model/model.js';
import type { TraceCall } from '../model/values.js';
import { TRACE_FORMAT, TRACE_VERSION, type Trace, type TraceHeader } from '../trace/trace.js';
import { CaseBuilder } from './builder.js';
import { drawProgram } from './draw.js';
import { atMoments, mutate } from './mutate.js';
import type { Program } from './program.js';
import { watchCalls } from './watch.js';
import { swarmFor, swarmSlotOf, type Swarm } from './weights.js';

export interface BaseEntry {
  /** The corpus file name (content address) or bundled trace name. */
  readonly name: string;
  readonly header: TraceHeader;
  readonly program: Program;
  /** Relative chance of being chosen for mutation (energy.ts), >= 1. */
  readonly weight: number;
}

export interface CaseContext {
  readonly seed: number;
  /** As the user gave it, for trace headers. */
  readonly seedText: string;
  readonly callsMax: number;
  readonly base: readonly BaseEntry[];
  /**
   * With --rounds, on the thread that runs the campaign: the entries case `index` mutates
   * (rounds.ts), `base` and the cases kept in the rounds before its own. Absent: `base`.
   */
  readonly baseFor?: (index: number) => readonly BaseEntry[];
  /** The oracle profile (default: each base trace's, else docs). */
  readonly profile?: Profile;
  /** Functions never called (`--disable`). */
  readonly disabled?: ReadonlySet<string>;
}

export interface CaseProgram {
  readonly header: TraceHeader;
  readonly program: Program;
  /** Obsolete calls run at each new shape of the DMA state (watch.ts). */
  readonly watch?: Program;
  /** Functions the builder never emits (`--disable`). */
  readonly disabled?: ReadonlySet<string>;
  /** Calls run after the first misuse, at most (the slot's swarm knob; absent: 2). */
  readonly misuseTailMax?: number;
}

/** Out of 100: cases that mutate a base program when there is one. */
const mutatePct = 50;

const programSwarms = new Map<string, Swarm>();

/** The configuration fresh programs are drawn with: `sw` without the disabled functions. */
function programSwarm(seed: number, sw: Swarm, disabled: ReadonlySet<string> | undefined): Swarm {
  if (disabled === undefined || disabled.size === 0) return sw;
  const off = [...disabled].join(',');
  return memo(programSwarms, `${seed}:${sw.slot}:${off}`, 64, () => withoutDisabled(sw, disabled));
}

/** The configuration with disabled functions weighted 0: fresh programs spend no call on them. */
function withoutDisabled(sw: Swarm, disabled: ReadonlySet<string>): Swarm {
  return { ...sw, weights: sw.weights.map((w, i) => (disabled.has(CALLS[i]?.fn ?? '') ? 0 : w)) };
}

/** A mutated case runs on its base trace's device, a fresh one on its configuration's. */
function header(ctx: CaseContext, index: number, sw: Swarm, from?: BaseEntry): TraceHeader {
  const meta = { source: 'vpdma fuzz', seed: ctx.seedText, case: index };
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    profile: profileOf(from?.header, ctx.profile),
    device: from === undefined ? sw.device : from.header.device,
    meta: from === undefined ? meta : { ...meta, parent: from.name },
  };
}

interface Listed {
  readonly donors: readonly Program[];
  readonly weights: readonly number[];
  readonly total: number;
}

const lists = new WeakMap<readonly BaseEntry[], Listed>();

/** The base's programs and weights, listed once per base rather than for every case. */
function listed(base: readonly BaseEntry[]): Listed {
  let l = lists.get(base);
  if (l === undefined) {
    const weights = base.map((b) => b.weight);
    l = { donors: base.map((b) => b.program), weights, total: weights.reduce((s, w) => s + w, 0) };
    lists.set(base, l);
  }
  return l;
}

export function caseProgram(ctx: CaseContext, index: number): CaseProgram {
  const rng = rngFor(ctx.seed, index);
  const sw = swarmFor(ctx.seed, swarmSlotOf(index));
  const base = ctx.baseFor?.(index) ?? ctx.base;
  if (base.length > 0 && chance(rng, mutatePct, 100)) {
    const { donors, weights, total } = listed(base);
    const from = base[weighted(rng, weights, total)] as BaseEntry;
    const m = { rng, swarm: sw, callsMax: ctx.callsMax, donors };
    const program = mutate(from.program, m);
    const watch = watchCalls(m);
    return withDisabled(ctx, { header: header(ctx, index, sw, from), program, watch, ...tail(sw) });
  }
  const random = new fc.Random(xoroshiro128plus(int(rng, 0, 0x7fffffff)));
  const drawn = drawProgram(programSwarm(ctx.seed, sw, ctx.disabled), ctx.callsMax, random);
  const m = { rng, swarm: sw, callsMax: ctx.callsMax, donors: [] };
  const program = atMoments(drawn, m);
  return withDisabled(ctx, {
    header: header(ctx, index, sw),
    program,
    watch: watchCalls(m),
    ...tail(sw),
  });
}

const tail = (sw: Swarm): { misuseTailMax: number } => ({ misuseTailMax: sw.misuseTailMax });

function withDisabled(ctx: CaseContext, c: CaseProgram): CaseProgram {
  return ctx.disabled === undefined || ctx.disabled.size === 0
    ? c
    : { ...c, disabled: ctx.disabled };
}

/** Materializes a program against a fresh oracle (default layout), as a generated trace. */
export function materialize(c: CaseProgram, callsMax: number, callsReplayed = callsMax): Trace {
  const model = new Model({
    device: resolveDevice(c.header.device),
    profile: profileOf(c.header),
  });
  const b = new CaseBuilder(c.program, Math.min(callsMax, callsReplayed), c.watch, c.disabled);
  const calls: TraceCall[] = [];
  for (let call = b.next(model.state); call !== undefined; call = b.next(model.state)) {
    calls.push(call);
    model.step(call.fn, call.args);
  }
  return { header: c.header, calls };
}

/** Case `index` as a trace: the calls a worker replayed (cut to `callsReplayed` if it stopped). */
export function generateCase(ctx: CaseContext, index: number, callsReplayed?: number): Trace {
  return materialize(caseProgram(ctx, index), ctx.callsMax, callsReplayed);
}
