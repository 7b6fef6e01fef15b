// One value for two live objects: a produced handle or address (learn.ts) that an object the
// oracle still has was learned under. No real system hands out one adapter handle for two
// live adapters; a capture that records it read the value at the wrong time (before the call,
// or a stale one), and a target that returns it has a bug. Learning would silently rebind the
// value to the new object, and every later use of it would then go to the wrong one: DESIGN.md's
// "checked for consistency afterwards" is this check. Asked only when a value is learned (about
// one call in four), by one map lookup a side.
import type { AddressSpace, ResourceKind } from '../model/callTypes.js';
import type { AddressBook, Side } from './addressBook.js';
import { violation, type Violation } from './violation.js';

export interface Clash {
  readonly side: 'trace' | 'target';
  /** "ret", "out.pVirtualAddress", "out.pVrp.outputBuffer". */
  readonly field: string;
  /** As that side has it. */
  readonly value: bigint;
  readonly res: ResourceKind;
  /** The call that produced the same value for the object still live (-1: not known). */
  readonly earlierCall: number;
  readonly earlierRes: ResourceKind;
}

/** Held by the replayer across calls: set up per call, read after learning. */
export interface ClashWatch {
  /** The call whose values are learned. */
  index: number;
  /** The capture's recorded values are still compared (recordedCheck.ts). */
  trace: boolean;
  /** The target's answers are still compared (not detached). */
  target: boolean;
  /** liveAt (model/live.ts) on the oracle's state. */
  readonly live: (res: ResourceKind, v: bigint) => boolean | undefined;
  readonly found: Clash[];
}

/** Where a produced value sits: the return, an out-parameter, or a field of one. */
function fieldName(out: string | undefined, member: string | undefined): string {
  if (out === undefined) return 'ret';
  return member === undefined ? `out.${out}` : `out.${out}.${member}`;
}

/**
 * Notes a clash of `v` (side's value of a new object the oracle calls `model`) with a value
 * learned earlier on that side for an object the oracle still has.
 */
export function watchClash(
  book: AddressBook,
  watch: ClashWatch,
  space: AddressSpace,
  side: Side & ('trace' | 'target'),
  v: bigint,
  res: ResourceKind,
  model: bigint,
  out: string | undefined,
  member: string | undefined,
): void {
  const e = book.learnedAs(space, side, v);
  if (e === undefined || e.model === model || e.kind === undefined) return;
  if (watch.live(res, model) === undefined || watch.live(e.kind, e.model) !== true) return;
  watch.found.push({
    side,
    field: fieldName(out, member),
    value: v,
    res,
    earlierCall: e.call,
    earlierRes: e.kind,
  });
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** An "a"/"an" phrase for a kind. */
const aKind = (res: ResourceKind): string => (/^[aeiou]/.test(res) ? `an ${res}` : `a ${res}`);

const callOf = (c: Clash): string =>
  c.earlierCall >= 0 ? `call ${c.earlierCall}` : 'an earlier call';

function earlier(c: Clash): string {
  return `${callOf(c)} produced it for ${aKind(c.earlierRes)} that is still live`;
}

/** A clash as the violation it is: of the capture (recorded-mismatch) or of the target. */
export function clashViolation(c: Clash, fn: string, index: number): Violation {
  const detail = {
    field: c.field,
    expected: 'a value no live object has',
    actual: `${hex(c.value)} (${callOf(c)}'s ${c.earlierRes}, still live)`,
  };
  if (c.side === 'trace')
    return violation(
      'recorded-mismatch',
      fn,
      index,
      `the trace recorded ${c.field} = ${hex(c.value)} for a new ${c.res}, but ${earlier(c)}: one value for two live objects (a recorder that reads the value before the call, or a stale one?)`,
      detail,
    );
  return violation(
    c.field === 'ret' ? 'return-mismatch' : 'out-param-mismatch',
    fn,
    index,
    `${fn} ${c.field}: returned ${hex(c.value)} for a new ${c.res}, but ${earlier(c)}: one value for two live objects`,
    detail,
  );
}
