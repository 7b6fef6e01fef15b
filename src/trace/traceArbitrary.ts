// fast-check arbitraries of valid traces, derived from the call table, for property tests
// anywhere in the project. Consumed arguments usually refer to values earlier calls produced
// (sometimes at an offset inside their range), so rN naming and translation are exercised.
import fc from 'fast-check';
import type { ArgDesc, ArgType, CallDesc } from '../model/callTypes.js';
import { CALLS } from '../model/calls.js';
import type { Args, CallMeta, TraceCall, Value } from '../model/values.js';
import { assert } from '../core/assert.js';
import type { Trace, TraceHeader } from './trace.js';
import { formatTraceError } from './traceError.js';
import { validateCall } from './validate.js';
import { validateHeader } from './header.js';
import { productionsOf } from './produced.js';
import { callMetaArbitrary, headerArbitrary } from './headerArbitrary.js';
import { valueArbitrary, producedArbitrary } from './valueArbitrary.js';

export { headerArbitrary } from './headerArbitrary.js';
export { valueArbitrary } from './valueArbitrary.js';

const U64_MAX = (1n << 64n) - 1n;

/** A consumed argument still to be resolved against what earlier calls produced. */
class RefDraft {
  constructor(
    readonly pick: number,
    readonly offset: number,
    readonly fallback: Value,
  ) {}
}

type Draft = Value | RefDraft;
interface CallDraft {
  readonly desc: CallDesc;
  readonly args: Record<string, Draft>;
  readonly ret: Value | null;
  readonly out: Record<string, Value> | null;
}

function argDraft(a: ArgDesc): fc.Arbitrary<Draft> {
  const plain = valueArbitrary(a.type, a.values);
  if (a.role.kind !== 'consumes') return plain;
  const ref = fc
    .tuple(fc.nat(), fc.oneof(fc.constant(0), fc.nat({ max: 0x3fff })), plain)
    .map(([pick, offset, fallback]) => new RefDraft(pick, offset, fallback));
  return fc.oneof({ weight: 3, arbitrary: ref }, { weight: 1, arbitrary: plain });
}

function outArbitrary(desc: CallDesc): fc.Arbitrary<Record<string, Value>> {
  const model: Record<string, fc.Arbitrary<Value>> = {};
  for (const o of desc.out) {
    const produces = o.produces !== undefined || o.fieldProduces !== undefined;
    model[o.name] = produces ? producedArbitrary(o.type) : valueArbitrary(o.type);
  }
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, Value>>;
}

function callDraft(desc: CallDesc): fc.Arbitrary<CallDraft> {
  const argModel: Record<string, fc.Arbitrary<Draft>> = {};
  const required: string[] = [];
  for (const a of desc.args) {
    argModel[a.name] = argDraft(a);
    if (a.outOnly !== true && a.optional !== true) required.push(a.name);
  }
  const retArb: fc.Arbitrary<Value> =
    desc.ret === undefined
      ? fc.constant(0n)
      : desc.ret.produces !== undefined
        ? producedArbitrary(desc.ret.type)
        : valueArbitrary(desc.ret.type);
  return fc.record({
    desc: fc.constant(desc),
    args: fc.record(argModel, { requiredKeys: required }),
    ret: desc.ret === undefined ? fc.constant(null) : fc.option(retArb),
    out: desc.out.length === 0 ? fc.constant(null) : fc.option(outArbitrary(desc)),
  });
}

const ANY_CALL: fc.Arbitrary<CallDraft> = fc.oneof(...CALLS.map((d) => callDraft(d)));

/** Turns drafts into calls, resolving references in order, and normalizes by validation. */
function resolve(drafts: readonly CallDraft[], metas: readonly (CallMeta | null)[]): TraceCall[] {
  const produced: bigint[] = [];
  const extents: number[] = [];
  return drafts.map((d, i) => {
    const args: Record<string, Value> = {};
    for (const a of d.desc.args) {
      const v = d.args[a.name];
      if (v === undefined) continue;
      args[a.name] = v instanceof RefDraft ? resolveRef(v, a.type, produced, extents) : v;
    }
    const raw: { fn: string; args: Args; ret?: Value; out?: Args; meta?: CallMeta } = {
      fn: d.desc.fn,
      args,
    };
    if (d.ret !== null) raw.ret = d.ret;
    if (d.out !== null) raw.out = d.out;
    const meta = metas[i];
    if (meta !== undefined && meta !== null) raw.meta = meta;
    const c = validateCall(raw, {});
    assert(c.ok, `traceArbitrary built an invalid call: ${c.ok ? '' : formatTraceError(c.error)}`);
    for (const p of productionsOf(c.value)) {
      produced.push(p.value);
      extents.push(p.extent);
    }
    return c.value;
  });
}

function resolveRef(r: RefDraft, type: ArgType, produced: bigint[], extents: number[]): Value {
  if (produced.length === 0 || (type !== 'ptr' && type !== 'u64')) return r.fallback;
  const i = r.pick % produced.length;
  const extent = extents[i] ?? 0;
  const base = produced[i] ?? 0n;
  const offset = extent > 0 ? BigInt(r.offset % extent) : 0n;
  // A range may reach the top of the address space: stay a 64-bit value.
  return base + offset <= U64_MAX ? base + offset : base;
}

function normalizeHeader(h: TraceHeader): TraceHeader {
  const v = validateHeader(h, {});
  assert(v.ok, `headerArbitrary built an invalid header: ${v.ok ? '' : formatTraceError(v.error)}`);
  return v.value;
}

/**
 * Random valid, normalized traces (as a decoder would return them). About a third are
 * captures whose calls carry meta (about half of their calls); the rest have none, as a
 * generated trace has none. Metas are drawn after the calls, so a seed's header and calls
 * are what they were before calls had meta.
 */
export function traceArbitrary(constraints: { callsMax?: number } = {}): fc.Arbitrary<Trace> {
  const callsMax = constraints.callsMax ?? 30;
  const metas = fc.array(fc.option(callMetaArbitrary(), { freq: 2 }), { maxLength: callsMax });
  return fc
    .record({
      header: headerArbitrary(),
      drafts: fc.array(ANY_CALL, { maxLength: callsMax }),
      metas: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: metas }),
    })
    .map(({ header, drafts, metas: m }) => ({
      header: normalizeHeader(header),
      calls: resolve(drafts, m),
    }));
}
