// Validation of one call, driven entirely by the call-description table (model/calls.ts).
// Accepts the JSONL spelling and the in-memory one and returns the normalized in-memory call,
// built from known keys only (no prototype pollution).
//
// Hot path: every decoder runs this per call. Keys are walked with for-in and read as
// raw[key] inside it (V8 serves those from the enumeration cache), which avoids the
// megamorphic lookups of reading each table field by name from objects of many shapes.
import type { ArgType, CallDesc } from '../model/callTypes.js';
import { CALLS } from '../model/calls.js';
import type { Args, CallMeta, TraceCall, Value } from '../model/values.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { TraceError, Where } from './traceError.js';
import { describeValue, traceError } from './traceError.js';
import { isPlainObject, unknownKeyMessage } from './structs.js';
import { didYouMean } from './didYouMean.js';
import { TRACE_FORMAT } from './trace.js';
import { Bad, validateValue } from './validateValue.js';
import { callMetaFromJson, validateCallMeta } from './meta.js';

export { validateHeader } from './header.js';

export interface FieldPlan {
  readonly name: string;
  readonly type: ArgType;
  readonly index: number;
  readonly required: boolean;
}

/** `args` or `out` of one function: its typed fields, in table order. */
export interface RecordPlan {
  /** Its place among all plans' records (0, 1, ...), for callers that cache per plan. */
  readonly id: number;
  readonly prefix: 'args' | 'out';
  /** The function whose record it is. */
  readonly fn: string;
  readonly what: string;
  readonly fields: readonly FieldPlan[];
  readonly byName: ReadonlyMap<string, FieldPlan>;
  readonly required: number;
}

export interface CallPlan {
  readonly desc: CallDesc;
  readonly args: RecordPlan;
  readonly out: RecordPlan;
}

let recordPlans = 0;

function recordPlan(
  prefix: 'args' | 'out',
  fn: string,
  what: string,
  fields: FieldPlan[],
): RecordPlan {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const required = fields.filter((f) => f.required).length;
  return { id: recordPlans++, prefix, fn, what, fields, byName, required };
}

const PLANS: ReadonlyMap<string, CallPlan> = new Map(
  CALLS.map((desc) => {
    const args = desc.args.map((a, index) => ({
      name: a.name,
      type: a.type,
      index,
      required: a.outOnly !== true && a.optional !== true,
    }));
    const outs = desc.out.map((o, index) => ({
      name: o.name,
      type: o.type,
      index,
      required: false,
    }));
    return [
      desc.fn,
      {
        desc,
        args: recordPlan('args', desc.fn, `argument of ${desc.fn}`, args),
        out: recordPlan('out', desc.fn, `out-parameter of ${desc.fn}`, outs),
      },
    ];
  }),
);

/** Every function's plan, for readers that find a plan by other means than its name. */
export function callPlans(): IterableIterator<CallPlan> {
  return PLANS.values();
}

/** How many RecordPlan ids there are. */
export function recordPlanCount(): number {
  return recordPlans;
}

type Outcome = Result<TraceCall, TraceError>;

/** Validates and normalizes one call into fresh objects (args and out in table order). */
export function validateCall(raw: unknown, where: Where): Outcome {
  return check(raw, where, false, false);
}

/**
 * The same checks for a decoder that owns `raw` (fresh from JSON.parse or msgpack): values are
 * normalized where they are and `raw` itself is returned, saving a copy of every call on the
 * hot path. Never pass an object someone else holds.
 */
export function adoptCall(raw: unknown, where: Where): Outcome {
  return check(raw, where, true, false);
}

/** adoptCall for a .vpt call, whose `meta` is its JSON text (codec.ts). */
export function adoptVptCall(raw: unknown, where: Where): Outcome {
  return check(raw, where, true, true);
}

function check(raw: unknown, where: Where, inPlace: boolean, metaAsJson: boolean): Outcome {
  if (!isPlainObject(raw)) {
    return err(traceError(where, undefined, `expected a call object, got ${describeValue(raw)}`));
  }
  let fn: unknown, rawArgs: unknown, rawRet: unknown, rawOut: unknown, rawMeta: unknown;
  for (const k in raw) {
    const v = raw[k];
    if (k === 'fn') fn = v;
    else if (k === 'args') rawArgs = v;
    else if (k === 'ret') rawRet = v;
    else if (k === 'out') rawOut = v;
    else if (k === 'meta') rawMeta = v;
    else return err(unknownCallKey(raw, k, where));
  }
  if (typeof fn !== 'string') {
    return err(traceError(where, 'fn', `expected a function name, got ${describeValue(fn)}`));
  }
  const plan = PLANS.get(fn);
  if (plan === undefined) {
    const near = didYouMean(fn, PLANS.keys());
    return err(traceError(where, 'fn', `unknown function ${describeValue(fn)}${near}`));
  }
  const args = validateRecord(plan.args, rawArgs, inPlace);
  if (args instanceof Bad) return err(traceError(where, args.field, args.message));
  let ret: Value | undefined;
  if (rawRet !== undefined) {
    if (plan.desc.ret === undefined) {
      return err(traceError(where, 'ret', `${fn} returns VOID: no ret allowed`));
    }
    const r = validateValue(plan.desc.ret.type, rawRet, inPlace);
    if (r instanceof Bad) return err(traceError(where, r.under('ret').field, r.message));
    ret = r;
  }
  const out = rawOut === undefined ? undefined : validateRecord(plan.out, rawOut, inPlace);
  if (out instanceof Bad) return err(traceError(where, out.field, out.message));
  let meta: CallMeta | undefined;
  if (rawMeta !== undefined) {
    const m = metaAsJson ? callMetaFromJson(rawMeta) : validateCallMeta(rawMeta);
    if (m instanceof Bad) return err(traceError(where, m.under('meta').field, m.message));
    meta = m;
  }
  if (!inPlace) return ok(makeCall(plan.desc.fn, args, ret, out, meta));
  // The table's copy of the name: the decoded string can then die young.
  raw['fn'] = plan.desc.fn;
  setOrDrop(raw, 'ret', rawRet, ret);
  setOrDrop(raw, 'out', rawOut, out);
  // Always the checked copy: its objects have no prototype (meta.ts).
  setOrDrop(raw, 'meta', undefined, meta);
  return ok(raw as unknown as TraceCall);
}

const CALL_KEYS = ['fn', 'args', 'ret', 'out', 'meta'];
const CALL_ONLY =
  "a call holds only fn, args, ret, out and meta: put a capture tool's per-call fields, such as a thread id or a timestamp, in the call's meta";

/** A header where a call belongs (JSONL, and the text format's second `#! vpdma-trace`). */
export const SECOND_HEADER =
  'a second header: two captures concatenated? split them (a trace has one header, before its calls)';

/** A key a call cannot have; a header's is a second capture appended to the first. */
function unknownCallKey(raw: Record<string, unknown>, k: string, where: Where): TraceError {
  if (raw['format'] === TRACE_FORMAT && raw['fn'] === undefined) {
    return traceError(where, undefined, SECOND_HEADER);
  }
  return traceError(where, k, unknownKeyMessage(k, 'key', CALL_KEYS, CALL_ONLY));
}

/** In-place update: a normalized value replaces the raw one; an explicit undefined goes. */
function setOrDrop(obj: Record<string, unknown>, key: string, raw: unknown, v: unknown): void {
  if (v === undefined) {
    if (Object.hasOwn(obj, key)) delete obj[key];
  } else if (!Object.is(v, raw)) obj[key] = v;
}

function makeCall(
  fn: string,
  args: Args,
  ret: Value | undefined,
  out: Args | undefined,
  meta: CallMeta | undefined,
): TraceCall {
  if (meta !== undefined) {
    // Keys in the order every writer uses (fn, args, ret, out, meta).
    const c: { -readonly [K in keyof TraceCall]: TraceCall[K] } = { fn, args };
    if (ret !== undefined) c.ret = ret;
    if (out !== undefined) c.out = out;
    c.meta = meta;
    return c;
  }
  if (ret === undefined) return out === undefined ? { fn, args } : { fn, args, out };
  return out === undefined ? { fn, args, ret } : { fn, args, ret, out };
}

/** args or out: known keys only, required ones present, each value normalized by its type. */
function validateRecord(plan: RecordPlan, raw: unknown, inPlace: boolean): Args | Bad {
  if (!isPlainObject(raw)) {
    return new Bad(plan.prefix, `expected an object, got ${describeValue(raw)}`);
  }
  const values: (Value | undefined)[] | undefined = inPlace ? undefined : [];
  let required = 0;
  let absent: string[] | undefined;
  for (const k in raw) {
    const f = plan.byName.get(k);
    if (f === undefined) return new Bad(`${plan.prefix}.${k}`, unknownFieldMessage(plan, k));
    const rawValue = raw[k];
    if (rawValue === undefined) {
      (absent ??= []).push(k);
      continue;
    }
    const v = validateValue(f.type, rawValue, inPlace);
    if (v instanceof Bad) return v.under(`${plan.prefix}.${k}`);
    if (f.required) required++;
    if (values !== undefined) values[f.index] = v;
    else if (!Object.is(v, rawValue)) raw[k] = v;
  }
  if (required < plan.required) {
    const missing = plan.fields.find((f) => f.required && raw[f.name] === undefined);
    return new Bad(`${plan.prefix}.${missing?.name ?? '?'}`, `missing ${plan.what}`);
  }
  if (values === undefined) {
    if (absent !== undefined) for (const k of absent) delete raw[k];
    return raw as Args;
  }
  const out: Record<string, Value> = {};
  for (const f of plan.fields) {
    const v = values[f.index];
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

/** An argument or out-parameter no plan field has: the near one, else the ones there are. */
function unknownFieldMessage(plan: RecordPlan, k: string): string {
  const names = plan.fields.map((f) => f.name);
  const list = `${plan.fn}'s ${plan.prefix === 'args' ? 'arguments' : 'out-parameters'}: ${names.join(', ') || 'none'}`;
  const message = unknownKeyMessage(k, plan.what, names, list);
  const caseOnly = names.some((n) => n !== k && n.toLowerCase() === k.toLowerCase());
  return caseOnly ? `${message} (${NAMES_ARE})` : message;
}

const NAMES_ARE = 'names are the C parameter names with the first letter lowered';
