// Who refers to whom in a trace. Traces reference produced values BY VALUE, so this resolves
// them exactly as the replayer does (replay/learn.ts, addressBook.ts, callPlan.ts), from the
// call table alone: every handle or range a call produces (ret/out `produces`, `fieldProduces`)
// is named by the trace's recorded value, else by the oracle's; every argument the replayer
// translates (consumed handles and addresses, opaque pointers, the VRP's pointer fields) refers
// to the latest production in its address space with that value or whose extent contains it.
// The oracle model runs alongside, so productions a generated-style trace never records are
// known too.
import { assert } from '../core/assert.js';
import { RESOURCE_SPACE, type AddressSpace, type ArgDesc } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import type { Profile } from '../model/device.js';
import { profileOf } from '../model/device.js';
import { Model } from '../model/model.js';
import type { Args, Struct, TraceCall, Value } from '../model/values.js';
import { isStruct } from '../model/values.js';
import { productionsOf, type ProducedAt } from '../trace/produced.js';
import { producedPath } from '../trace/textNames.js';
import type { Trace } from '../trace/trace.js';
import { setArg } from './argPaths.js';
import { Book, type ProdRef } from './book.js';

export type { ProdRef } from './book.js';

export interface RefSite {
  /** The referring argument: "mdl", or a VRP field such as "pVrp.inputBuffer". */
  readonly path: string;
  readonly from: ProdRef;
  /** Bytes into the produced range (0 for a handle or the range's base). */
  readonly offset: bigint;
}

export interface LinkedCall {
  readonly call: TraceCall;
  readonly refs: readonly RefSite[];
  /** What the call produced, by place ("ret", "out.ppEvent"): the trace's name for it. */
  readonly names: ReadonlyMap<string, bigint>;
}

export interface Linked {
  readonly trace: Trace;
  readonly profile: Profile;
  readonly calls: readonly LinkedCall[];
}

const VRP_POINTERS = ['statusBlock', 'inputBuffer', 'outputBuffer'] as const;

/** The space an argument translates in (replay/callPlan.ts argSpace), or none. */
export function argSpace(a: ArgDesc): AddressSpace | 'none' {
  if (a.type === 'vrp') return 'cpu';
  if (a.type !== 'ptr' && a.type !== 'u64') return 'none';
  if (a.role.kind === 'consumes') return RESOURCE_SPACE[a.role.res];
  return a.role.kind === 'opaque' && a.type === 'ptr' ? 'cpu' : 'none';
}

interface Site {
  readonly path: string;
  readonly space: AddressSpace;
  readonly value: bigint;
}

/** The non-NULL values of a call that the replayer would translate. */
function sitesOf(call: TraceCall): Site[] {
  const desc = describe(call.fn);
  assert(desc !== undefined, `unknown function ${call.fn}`);
  const sites: Site[] = [];
  for (const a of desc.args) {
    const v = call.args[a.name];
    if (a.type === 'vrp') {
      if (!isStruct(v)) continue;
      for (const f of VRP_POINTERS) {
        const fv = v[f];
        if (typeof fv === 'bigint' && fv !== 0n)
          sites.push({ path: `${a.name}.${f}`, space: 'cpu', value: fv });
      }
      continue;
    }
    const space = argSpace(a);
    if (space !== 'none' && typeof v === 'bigint' && v !== 0n)
      sites.push({ path: a.name, space, value: v });
  }
  return sites;
}

/** The value a call recorded at a production's place, if any. */
function recordedAt(call: TraceCall, at: ProducedAt): Value | undefined {
  if (at.in === 'ret') return call.ret;
  const v = call.out?.[at.name];
  if (at.field === undefined) return v;
  if (at.index !== undefined)
    return Array.isArray(v) ? (v as readonly Struct[])[at.index]?.[at.field] : undefined;
  return isStruct(v) ? v[at.field] : undefined;
}

const NO_REFS: readonly RefSite[] = Object.freeze([]);
const NO_NAMES: ReadonlyMap<string, bigint> = new Map();

/** Resolves every reference of a trace; the oracle runs with the header's device. */
export function link(trace: Trace, profile?: Profile): Linked {
  const p = profileOf(trace.header, profile);
  const model = new Model({ device: trace.header.device, profile: p });
  const book = new Book();
  const calls = trace.calls.map((call, i): LinkedCall => {
    // Most calls refer to nothing or produce nothing: they share the empty list and map.
    let refs: RefSite[] | undefined;
    let modelArgs: Args = call.args;
    for (const s of sitesOf(call)) {
      const hit = book.find(s.space, s.value);
      if (hit === undefined) continue;
      const [e, offset] = hit;
      (refs ??= []).push({ path: s.path, from: e.from, offset });
      if (e.model !== e.name) modelArgs = setArg(modelArgs, s.path, e.model + offset);
    }
    const stepped = model.step(call.fn, modelArgs);
    const asModel: { -readonly [K in keyof TraceCall]: TraceCall[K] } = {
      fn: call.fn,
      args: modelArgs,
    };
    if (stepped.ret !== undefined) asModel.ret = stepped.ret;
    if (stepped.out !== undefined) asModel.out = stepped.out;
    let names: Map<string, bigint> | undefined;
    for (const prod of productionsOf(asModel)) {
      const rec = recordedAt(call, prod.at);
      const space = RESOURCE_SPACE[prod.res];
      const at = producedPath(prod.at);
      const name = typeof rec === 'bigint' && rec !== 0n ? rec : prod.value;
      (names ??= new Map<string, bigint>()).set(at, name);
      book.learn(space, {
        from: { call: i, at },
        name,
        model: prod.value,
        length: space === 'handle' ? 0 : prod.extent,
      });
    }
    return { call, refs: refs ?? NO_REFS, names: names ?? NO_NAMES };
  });
  return { trace, profile: p, calls };
}

/** The calls that consume (transitively) what `removed` produced, not counting `removed`. */
export function dependents(linked: Linked, removed: ReadonlySet<number>): Set<number> {
  const gone = new Set(removed);
  const found = new Set<number>();
  linked.calls.forEach((c, i) => {
    if (gone.has(i)) return;
    if (c.refs.some((r) => gone.has(r.from.call))) {
      gone.add(i);
      found.add(i);
    }
  });
  return found;
}

/** The call and every call that produced (transitively) what it consumes. */
export function chainOf(linked: Linked, index: number): Set<number> {
  const chain = new Set<number>([index]);
  for (let i = index; i >= 0; i--) {
    if (!chain.has(i)) continue;
    for (const r of linked.calls[i]?.refs ?? []) chain.add(r.from.call);
  }
  return chain;
}
