// Comparing one call's observed outcome with the oracle's, as violations: the target's answer
// (conformance) and, for captured traces, the answer the real system recorded.
import type { Stepped } from '../model/step.js';
import type { Args, TraceCall, Value } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import { planOf, type CallPlan } from './callPlan.js';
import { compareOutcome } from './compare.js';
import { translateOut } from './translate.js';
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

export function toModelSpace(
  book: AddressBook,
  fn: string,
  from: 'trace' | 'target',
  o: { ret?: Value; out?: Args },
  known?: CallPlan,
): { ret?: Value; out?: Args } {
  // The usual case against an in-process model: every value is the same on both sides.
  if (!book.moves(from, 'model')) return o;
  const plan = known ?? planOf(fn);
  if (plan === undefined) return o;
  const res: { ret?: Value; out?: Args } = {};
  if (o.ret !== undefined)
    res.ret = plan.ret === undefined ? o.ret : translateOut(book, plan.ret, o.ret, from, 'model');
  if (o.out !== undefined) {
    const out: Record<string, Value> = {};
    for (const p of plan.outs) {
      const v = o.out[p.name];
      if (v !== undefined) out[p.name] = translateOut(book, p, v, from, 'model');
    }
    res.out = out;
  }
  return res;
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
