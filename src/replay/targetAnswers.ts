// The target's optional answers, state() and touched(), taken as untrusted: one that throws,
// rejects or answers something of the wrong shape is the target failing (a TargetFault, so
// that trace or case ends as target-crashed), not a bug in the harness.
import { describeThrown, garbageText, TargetFault } from './callTarget.js';
import { andThen, type Maybe } from './memory.js';
import type { Target, TargetState, TouchedRanges } from './target.js';

function thrown(what: string, e: unknown): TargetFault {
  return TargetFault.is(e) ? e : new TargetFault(`${what} threw ${describeThrown(e)}`);
}

/** ask() with its throw or rejection turned into a TargetFault, and its answer checked. */
function guarded<T>(what: string, ask: () => Maybe<unknown>, check: (v: unknown) => T): Maybe<T> {
  let got: Maybe<unknown>;
  try {
    got = ask();
  } catch (e) {
    throw thrown(what, e);
  }
  if (got instanceof Promise)
    return got.then(check, (e: unknown) => {
      throw thrown(what, e);
    });
  return check(got);
}

function checkState(v: unknown): TargetState {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new TargetFault(`state() answered ${garbageText(v)}, not an object`);
  return v as TargetState;
}

/** What is wrong with one range touched() answered, naming the value received. */
function badRange(t: { address?: unknown; length?: unknown } | null): string {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return `it is ${garbageText(t)}`;
  if (typeof t.address !== 'bigint') return `address is ${garbageText(t.address)}`;
  const n = t.length;
  return typeof n === 'number' ? `length is ${n}` : `length is ${garbageText(n)}`;
}

function checkTouched(v: unknown): TouchedRanges {
  if (!Array.isArray(v))
    throw new TargetFault(`touched() answered ${garbageText(v)}, not an array`);
  // A plain loop, no closure: this runs after every call.
  for (let i = 0; i < v.length; i++) {
    const t = v[i] as { address?: unknown; length?: unknown } | null;
    if (
      typeof t !== 'object' ||
      t === null ||
      typeof t.address !== 'bigint' ||
      typeof t.length !== 'number' ||
      !Number.isSafeInteger(t.length) ||
      t.length < 0
    )
      throw new TargetFault(
        `touched() answered a bad range at [${i}]: ${badRange(t)}; expected {address: bigint, length: a whole number >= 0}`,
      );
  }
  return v as TouchedRanges;
}

/**
 * A fault's message naming the call it ended: state() and touched() are asked around a call
 * and do not know it, the other faults name it already.
 */
export function faultAtCall(fn: string, message: string): string {
  return message.startsWith('state()') || message.startsWith('touched()')
    ? `${fn}: ${message}`
    : message;
}

/** The target's live state, or undefined if it has no state(). */
export function stateOf(target: Target): Maybe<TargetState | undefined> {
  if (target.state === undefined) return undefined;
  return guarded('state()', () => target.state?.(), checkState);
}

/** What the target wrote since last asked, or undefined if it has no touched(). */
export function touchedOf(target: Target): Maybe<TouchedRanges | undefined> {
  if (target.touched === undefined) return undefined;
  // As guarded(), without a closure: this runs after every call.
  let got: Maybe<unknown>;
  try {
    got = target.touched?.();
  } catch (e) {
    throw thrown('touched()', e);
  }
  if (got instanceof Promise)
    return got.then(checkTouched, (e: unknown) => {
      throw thrown('touched()', e);
    });
  return checkTouched(got);
}

/** touchedOf, with no touched() meaning nothing reported. */
export function touchedOrNone(target: Target): Maybe<TouchedRanges> {
  return andThen(touchedOf(target), (t) => t ?? []);
}
