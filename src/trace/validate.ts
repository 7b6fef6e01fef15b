// Validation of one call, driven entirely by the call-description table (model/calls.ts).
// Accepts the JSONL spelling and the in-memory one, returns the normalized in-memory call:
// args in table order, built from known keys only (no prototype pollution).
import type { ArgType, CallDesc } from '../model/callTypes.js';
import { CALLS } from '../model/calls.js';
import type { Args, TraceCall, Value } from '../model/values.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { TraceError, Where } from './traceError.js';
import { describeValue, traceError } from './traceError.js';
import { isPlainObject, unknownKey, unknownKeyMessage } from './structs.js';
import { Bad, validateValue } from './validateValue.js';

export { validateHeader } from './header.js';

interface ArgPlan {
  readonly name: string;
  readonly type: ArgType;
  readonly required: boolean;
}

interface CallPlan {
  readonly desc: CallDesc;
  readonly args: readonly ArgPlan[];
  readonly argNames: ReadonlySet<string>;
  readonly outTypes: ReadonlyMap<string, ArgType>;
}

const TOP_KEYS: ReadonlySet<string> = new Set(['fn', 'args', 'ret', 'out']);

const PLANS: ReadonlyMap<string, CallPlan> = new Map(
  CALLS.map((desc) => [
    desc.fn,
    {
      desc,
      args: desc.args.map((a) => ({
        name: a.name,
        type: a.type,
        required: a.outOnly !== true && a.optional !== true,
      })),
      argNames: new Set(desc.args.map((a) => a.name)),
      outTypes: new Map(desc.out.map((o) => [o.name, o.type])),
    },
  ]),
);

type Outcome = Result<TraceCall, TraceError>;

/** Validates and normalizes one call; errors name the field (`args.pVrp.inputBufferLength`). */
export function validateCall(raw: unknown, where: Where): Outcome {
  if (!isPlainObject(raw)) {
    return err(traceError(where, undefined, `expected a call object, got ${describeValue(raw)}`));
  }
  const fn = raw['fn'];
  if (typeof fn !== 'string') {
    return err(traceError(where, 'fn', `expected a function name, got ${describeValue(fn)}`));
  }
  const plan = PLANS.get(fn);
  if (plan === undefined) {
    return err(traceError(where, 'fn', `unknown function ${JSON.stringify(fn)}`));
  }
  const extra = unknownKey(raw, TOP_KEYS);
  if (extra !== undefined) return err(traceError(where, extra, unknownKeyMessage(extra, 'key')));
  const args = validateArgs(plan, raw['args']);
  if (args instanceof Bad) return err(traceError(where, args.field, args.message));
  const rawRet = raw['ret'];
  const rawOut = raw['out'];
  let ret: Value | undefined;
  if (rawRet !== undefined) {
    const r = validateRet(plan.desc, rawRet);
    if (r instanceof Bad) return err(traceError(where, r.field, r.message));
    ret = r;
  }
  let out: Args | undefined;
  if (rawOut !== undefined) {
    const o = validateOut(plan, rawOut);
    if (o instanceof Bad) return err(traceError(where, o.field, o.message));
    out = o;
  }
  return ok(makeCall(fn, args, ret, out));
}

function makeCall(
  fn: string,
  args: Args,
  ret: Value | undefined,
  out: Args | undefined,
): TraceCall {
  if (ret === undefined) return out === undefined ? { fn, args } : { fn, args, out };
  return out === undefined ? { fn, args, ret } : { fn, args, ret, out };
}

function validateArgs(plan: CallPlan, raw: unknown): Args | Bad {
  if (!isPlainObject(raw)) return new Bad('args', `expected an object, got ${describeValue(raw)}`);
  const extra = unknownKey(raw, plan.argNames);
  if (extra !== undefined) {
    return new Bad(`args.${extra}`, unknownKeyMessage(extra, `argument of ${plan.desc.fn}`));
  }
  const args: Record<string, Value> = {};
  for (const a of plan.args) {
    const rawArg = raw[a.name];
    if (rawArg === undefined) {
      if (a.required) return new Bad(`args.${a.name}`, `missing argument of ${plan.desc.fn}`);
      continue;
    }
    const v = validateValue(a.type, rawArg);
    if (v instanceof Bad) return v.under(`args.${a.name}`);
    args[a.name] = v;
  }
  return args;
}

function validateRet(desc: CallDesc, raw: unknown): Value | Bad {
  if (desc.ret === undefined) return new Bad('ret', `${desc.fn} returns VOID: no ret allowed`);
  const v = validateValue(desc.ret.type, raw);
  return v instanceof Bad ? v.under('ret') : v;
}

function validateOut(plan: CallPlan, raw: unknown): Args | Bad {
  if (!isPlainObject(raw)) return new Bad('out', `expected an object, got ${describeValue(raw)}`);
  const out: Record<string, Value> = {};
  for (const k in raw) {
    const type = plan.outTypes.get(k);
    if (type === undefined) {
      return new Bad(`out.${k}`, unknownKeyMessage(k, `out-parameter of ${plan.desc.fn}`));
    }
  }
  // Table order, like args, so equal calls have equal key order in every format.
  for (const [name, type] of plan.outTypes) {
    const rawField = raw[name];
    if (rawField === undefined) continue;
    const v = validateValue(type, rawField);
    if (v instanceof Bad) return v.under(`out.${name}`);
    out[name] = v;
  }
  return out;
}
