// Comparing one call's observed outcome with the oracle's, as violations: the target's answer
// (conformance) and, for captured traces, the answer the real system recorded.
import type { Stepped } from '../model/step.js';
import type { Args, TraceCall, Value } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import { planOf, type CallPlan } from './callPlan.js';
import { compareOutcome } from './compare.js';
import { answerToModel, translateOut } from './translate.js';
import { violation, type Violation } from './violation.js';

export interface CheckContext {
  /** The call's plan, looked up once per call (by name, a map lookup of a string). */
  readonly plan: CallPlan;
  readonly book: AddressBook;
  readonly index: number;
  readonly profile: string;
  readonly modelArgs: Args;
  readonly singleElement: boolean;
}

/** What both checks find nearly always: one shared empty list, not two new ones per call. */
const NONE: readonly Violation[] = Object.freeze([]);

function mismatchKind(fn: string, field: string): Violation['kind'] {
  if (fn === '@read' && field === 'ret') return 'memory-mismatch';
  return field === 'ret' ? 'return-mismatch' : 'out-param-mismatch';
}

/** A call's arguments as the target got them and as the oracle did (answerToModel). */
export interface Given {
  readonly target: Args;
  readonly model: Args;
}

export function toModelSpace(
  book: AddressBook,
  fn: string,
  from: 'trace' | 'target',
  o: { ret?: Value; out?: Args },
  known?: CallPlan,
  given?: Given,
): { ret?: Value; out?: Args } {
  // The usual case against an in-process model: every value is the same on both sides.
  if (!book.moves(from, 'model')) return o;
  const plan = known ?? planOf(fn);
  if (plan === undefined) return o;
  const res: { ret?: Value; out?: Args } = {};
  if (o.ret !== undefined) res.ret = retToModel(book, plan, o.ret, from, given);
  if (o.out !== undefined) {
    const out: Record<string, Value> = {};
    for (const p of plan.outs) {
      const v = o.out[p.name];
      if (v === undefined) continue;
      out[p.name] =
        given === undefined
          ? translateOut(book, p, v, from, 'model')
          : answerToModel(book, p.space, v, given.target[p.name], given.model[p.name]);
    }
    res.out = out;
  }
  return res;
}

/** A return value in the oracle's space; one echoing an argument (GetMdl's) as answerToModel. */
function retToModel(
  book: AddressBook,
  plan: CallPlan,
  v: Value,
  from: 'trace' | 'target',
  given: Given | undefined,
): Value {
  const r = plan.ret;
  if (r === undefined) return v;
  const echoes = plan.desc.ret?.echoes;
  if (given === undefined || echoes === undefined) return translateOut(book, r, v, from, 'model');
  return answerToModel(book, r.space, v, given.target[echoes], given.model[echoes]);
}

export function recordedViolations(
  c: CheckContext,
  call: TraceCall,
  stepped: Stepped,
): readonly Violation[] {
  const plan = c.plan;
  // Plain assignments, not conditional spreads: this runs for every call of a captured trace,
  // and a spread of `cond ? {} : {...}` took 5% of the replay in a profile.
  const recorded = toModelSpace(c.book, call.fn, 'trace', call, plan);
  const expected: { ret?: Value; out?: Args; unspecified?: readonly string[] } = {};
  if (plan.ret !== undefined && stepped.ret !== undefined) expected.ret = stepped.ret;
  if (call.out !== undefined) expected.out = stepped.out ?? {};
  if (stepped.unspecified !== undefined) expected.unspecified = stepped.unspecified;
  // Only what the capture recorded is checked: a `ret` or an `out` key it left out is not
  // recorded, not "unwritten" (DESIGN.md makes both optional).
  const found = compareOutcome(plan, expected, recorded, c, 'unrecorded');
  if (found.length === 0) return NONE;
  return found.map((m) =>
    violation(
      'recorded-mismatch',
      call.fn,
      c.index,
      `the trace recorded ${m.field} = ${m.actual}; the ${c.profile} oracle says ${m.expected}`,
      m,
    ),
  );
}

export function conformanceViolations(
  c: CheckContext,
  fn: string,
  stepped: Stepped,
  observed: { ret?: Value; out?: Args },
): readonly Violation[] {
  const found = compareOutcome(c.plan, stepped, observed, c);
  if (found.length === 0) return NONE;
  return found.map((m) => {
    const kind = mismatchKind(fn, m.field);
    // A read changes nothing: bytes it finds wrong were wrong before it (found late).
    const detail = kind === 'memory-mismatch' ? { ...m, foundLate: true as const } : m;
    return violation(
      kind,
      fn,
      c.index,
      `${fn} ${m.field}: expected ${m.expected} (${c.profile} oracle), got ${m.actual}`,
      detail,
    );
  });
}
