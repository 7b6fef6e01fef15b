// A module target gets its own copy of each call's arguments: JavaScript hands objects by
// reference, and a port that writes `*Length = 0` as `args.length = 0` would otherwise change
// the oracle's inputs and the caller's trace (a user probe: such a MapDmaMemory passed every
// check). What it changed is then read back: an out-parameter written in place is a write
// (the answer's `out` wins where it names the same one); any other argument changed is the
// target's fault. A target handed to the Replayer in code (the library's replayTrace) gets the
// same copy and the same check (withOwnArgs), unless it is one of the harness's own.
import { describe } from '../model/calls.js';
import type { Args, CallOutcome, Scalar, Struct, Value } from '../model/values.js';
import { isStruct, valueEquals } from '../model/values.js';
import { TargetFault } from './callTarget.js';
import { show } from './show.js';
import { pagesInPlace, readOrUndefined, type Target, type TraceCallIn } from './target.js';

function ownStruct(v: Struct): Struct {
  const o: Record<string, Scalar> = {};
  for (const k of Object.keys(v)) {
    const x = v[k] as Scalar;
    o[k] = x instanceof Uint8Array ? x.slice() : x;
  }
  return o;
}

function own(v: Value): Value {
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) return (v as readonly Struct[]).map(ownStruct);
  return isStruct(v) ? ownStruct(v) : v;
}

/** A deep copy of `args` for the target to keep or change. */
export function ownArgs(args: Args): Args {
  const o: Record<string, Value> = {};
  for (const k of Object.keys(args)) o[k] = own(args[k] as Value);
  return o;
}

/**
 * `answer`, with the out-parameters the target wrote into `given` in place; a TargetFault
 * for an input it changed. `args` is the call as the harness has it.
 */
export function withInPlaceWrites(
  fn: string,
  args: Args,
  given: Args,
  answer: CallOutcome,
): CallOutcome {
  let out: Record<string, Value> | undefined;
  const outs = describe(fn)?.out ?? [];
  for (const k of new Set([...Object.keys(args), ...Object.keys(given)])) {
    const before = args[k];
    const after = given[k];
    if (valueEquals(before, after)) continue;
    if (!outs.some((o) => o.name === k)) {
      throw new TargetFault(
        `${fn}: the target changed its argument ${k} in place (${show(before)} to ${show(after)}); only out-parameters are written, and they are answered in out`,
      );
    }
    if (answer.out?.[k] !== undefined || after === undefined) continue;
    out ??= { ...(answer.out ?? {}) };
    out[k] = after;
  }
  return out === undefined ? answer : { ...answer, out };
}

/**
 * The harness's own targets: they never change their arguments, or get copies (guardTarget).
 * One set per thread, as unchanging.ts's: a worker's bundle and the package a target imports
 * are two copies of this module.
 */
const ownTargets = ((globalThis as Record<symbol, unknown>)[Symbol.for('vpdma.harnessTargets')] ??=
  new WeakSet<object>()) as WeakSet<object>;

/** `t`, marked as one of the harness's own: withOwnArgs hands it the arguments as they are. */
export function harnessTarget<T extends Target>(t: T): T {
  ownTargets.add(t);
  return t;
}

/**
 * `t` as guardTarget hands a module target its calls: each with its own copy of the
 * arguments, an out-parameter written in place read back as written, and an input changed in
 * place a TargetFault naming it (the trace, and the oracle's inputs, stay as they were). The
 * harness's own targets are returned as they are: a copy per call is their replay's cost.
 */
export function withOwnArgs(t: Target): Target {
  if (ownTargets.has(t)) return t;
  const after = (c: TraceCallIn, given: Args, answer: unknown): unknown =>
    // Not an object: the answer's shape is callTargetMaybe's to judge, once nothing else changed.
    typeof answer === 'object' && answer !== null
      ? withInPlaceWrites(c.fn, c.args, given, answer)
      : (withInPlaceWrites(c.fn, c.args, given, {}), answer);
  const w: Target = {
    call: (c) => {
      const given = ownArgs(c.args);
      const got: unknown = t.call({ fn: c.fn, args: given });
      return (
        got instanceof Promise ? got.then((a: unknown) => after(c, given, a)) : after(c, given, got)
      ) as CallOutcome | Promise<CallOutcome>;
    },
    read: withReadShortcuts(t),
  };
  // Called on t, as the Replayer would have called them.
  if (t.state !== undefined) w.state = t.state.bind(t);
  if (t.touched !== undefined) w.touched = t.touched.bind(t);
  if (t.coverage !== undefined) w.coverage = t.coverage.bind(t);
  if (t.close !== undefined) w.close = t.close.bind(t);
  return w;
}

/**
 * t's read, called on t, keeping the shortcuts a model target's read carries (target.ts):
 * a user's target that spreads a model target (`{ ...model, call }`) keeps its fast reads.
 */
function withReadShortcuts(t: Target): Target['read'] {
  const read = t.read.bind(t);
  const own = (t as { read: object }).read as {
    [readOrUndefined]?: unknown;
    [pagesInPlace]?: unknown;
  };
  if (own[readOrUndefined] !== undefined)
    Object.defineProperty(read, readOrUndefined, { value: own[readOrUndefined] });
  if (own[pagesInPlace] !== undefined)
    Object.defineProperty(read, pagesInPlace, { value: own[pagesInPlace] });
  return read;
}
