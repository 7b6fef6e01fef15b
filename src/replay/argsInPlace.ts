// A module target gets its own copy of each call's arguments: JavaScript hands objects by
// reference, and a port that writes `*Length = 0` as `args.length = 0` would otherwise change
// the oracle's inputs and the caller's trace (a user probe: such a MapDmaMemory passed every
// check). What it changed is then read back: an out-parameter written in place is a write
// (the answer's `out` wins where it names the same one); any other argument changed is the
// target's fault.
import { describe } from '../model/calls.js';
import type { Args, CallOutcome, Scalar, Struct, Value } from '../model/values.js';
import { isStruct, valueEquals } from '../model/values.js';
import { TargetFault } from './callTarget.js';
import { show } from './show.js';

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
