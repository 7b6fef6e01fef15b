// Comparing an observed outcome (the target's, or the one a captured trace recorded) with the
// oracle's. Both are in the oracle's address space by the time they get here (a mismatch shows
// them in the target's or the trace's, see CompareContext.book). Produced values are
// implementation-defined: only NULL versus non-NULL is compared. Defined values are compared
// by the rule the call table gives them.
import {
  SG_ELEMENT_BYTES,
  SG_ELEMENT_X86_BYTES,
  SG_LIST_HEADER_BYTES,
  SG_LIST_X86_HEADER_BYTES,
  ULONG_MAX,
} from '../core/constants.js';
import { poison, POISON_PTR } from '../model/args.js';
import type { Args, Struct, Value } from '../model/values.js';
import { isStruct, valueEquals } from '../model/values.js';
import type { CallPlan, ValuePlan } from './callPlan.js';
import type { AddressBook } from './addressBook.js';
import { valueText, type ValueSpace } from './addressText.js';
import { sameBytes } from './sameBytes.js';
import { show } from './show.js';
import { memberSpace, translateValue } from './translate.js';

export interface Mismatch {
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

export interface CompareContext {
  /** The oracle's arguments (entry values of in/out parameters), for the length rules. */
  readonly modelArgs: Args;
  /** Scatter/gather lists of a non-scatter/gather adapter must have exactly one element. */
  readonly singleElement: boolean;
  /**
   * For showing a mismatch's values, which are in the oracle's space here, in the space their
   * reader knows (addressText.ts): a target's answer as the target's, a recording as the
   * trace's. Without it, as they are.
   */
  readonly book?: AddressBook;
}

/** A value of the given address space as a message shows it. */
type Shown = (space: ValueSpace, v: Value | undefined) => string;

function shownFor(ctx: CompareContext, absent: Absent): Shown {
  const book = ctx.book;
  if (book === undefined) return (_space, v) => show(v);
  if (absent === 'unwritten') return (space, v) => valueText(book, space, 'model', v);
  return (space, v) =>
    v === undefined || space === 'none'
      ? show(v)
      : show(translateValue(book, space, 'model', 'trace', v));
}

function isNullish(v: Value | undefined): boolean {
  return v === undefined || v === 0n || v === 0;
}

function sameProduced(expected: Value | undefined, actual: Value | undefined): boolean {
  // The poison is an out-only parameter left unwritten (left out of the answer, or handed
  // back as it came): no handle, though not NULL either. Non-canonical, so never a real one.
  if (expected === POISON_PTR || actual === POISON_PTR) return expected === actual;
  return isNullish(expected) === isNullish(actual);
}

/** The coarsest rounding of MapMemory's *Length accepted: 64 KiB, Windows' allocation granularity. */
const MAP_UNIT_BYTES = 0x10000;
const MAP_UNIT_MASK = BigInt(MAP_UNIT_BYTES - 1);

/** VP_SCATTER_GATHER_LIST header and element sizes, x64 and x86 (spec §3). */
const SG_LAYOUTS: readonly (readonly [header: number, element: number])[] = [
  [SG_LIST_HEADER_BYTES, SG_ELEMENT_BYTES],
  [SG_LIST_X86_HEADER_BYTES, SG_ELEMENT_X86_BYTES],
];

/**
 * Bytes of a VP_SCATTER_GATHER_LIST for some element count from 1 to one per page, in either
 * layout: a trace does not say which architecture it was captured on (an NT4 capture is x86).
 */
export function isSgListBytes(actual: Value | undefined, vrp: Value | undefined): boolean {
  if (typeof actual !== 'number') return false;
  const input: Struct = isStruct(vrp) ? vrp : {};
  const va = input['inputBuffer'];
  const length = input['inputBufferLength'];
  if (typeof va !== 'bigint' || typeof length !== 'number') return false;
  const pages = Number(((va & 0xfffn) + BigInt(length) + 0xfffn) >> 12n);
  return SG_LAYOUTS.some(([header, element]) => {
    const n = (actual - header) / element;
    return Number.isInteger(n) && n >= 1 && n <= pages;
  });
}

function sameField(
  p: ValuePlan,
  k: string,
  e: Value | undefined,
  a: Value | undefined,
  ctx: CompareContext,
): boolean {
  if (p.fieldProduces?.[k] !== undefined) return sameProduced(e, a);
  if (valueEquals(e, a)) return true;
  // A list size is implementation-defined, but only when the oracle answered with one (docs).
  const vrp = ctx.modelArgs[p.name];
  return p.fieldCompare?.[k] === 'sgListBytes' && isSgListBytes(e, vrp) && isSgListBytes(a, vrp);
}

function sameStruct(
  p: ValuePlan,
  expected: Struct,
  actual: Value | undefined,
  ctx: CompareContext,
): boolean {
  if (!isStruct(actual)) return false;
  return Object.keys(expected).every((k) => sameField(p, k, expected[k], actual[k], ctx));
}

function sgTotal(v: Value | undefined): number {
  if (!Array.isArray(v)) return -1;
  return (v as readonly Struct[]).reduce(
    (n, e) => n + (typeof e['length'] === 'number' ? e['length'] : 0),
    0,
  );
}

function sameValue(
  p: ValuePlan,
  expected: Value | undefined,
  actual: Value | undefined,
  ctx: CompareContext,
): boolean {
  if (p.produces !== undefined) return sameProduced(expected, actual);
  if (p.type === 'sglist') {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return valueEquals(expected, actual);
    if (ctx.singleElement && actual.length !== 1) return false;
    return sgTotal(expected) === sgTotal(actual);
  }
  if (p.type === 'vrp' && isStruct(expected)) return sameStruct(p, expected, actual, ctx);
  switch (p.compare) {
    case 'truthy':
      return isNullish(expected) === isNullish(actual);
    case 'mappedLength': {
      const entry = ctx.modelArgs[p.name];
      if (typeof actual !== 'number' || typeof expected !== 'number' || typeof entry !== 'number')
        return valueEquals(expected, actual);
      // "Maybe rounded up", with no bound given (spec §1 F): from the requested length up to
      // whole 64 KiB units counted from the start of the address's (a section view's
      // allocation granularity, the coarsest a port maps by), beyond the oracle's own answer
      // (to the end of the address's page). Past that, stricter than the documentation
      // (ruleSource.ts STRICTER_CHECKS).
      const bus = ctx.modelArgs['physicalAddress'];
      const unitOffset = typeof bus === 'bigint' ? Number(bus & MAP_UNIT_MASK) : 0;
      const whole = Math.ceil((unitOffset + entry) / MAP_UNIT_BYTES) * MAP_UNIT_BYTES;
      // ...and never past what a ULONG holds: near 4 GiB the whole units need 2^32.
      return actual >= entry && actual <= Math.min(Math.max(expected, whole), ULONG_MAX);
    }
    default:
      return sameData(expected, actual);
  }
}

/**
 * valueEquals, with byte strings compared at memcmp speed: a @read's data (up to a page) is
 * compared twice a call, with the target's answer and with the recorded one.
 */
function sameData(a: Value | undefined, b: Value | undefined): boolean {
  if (a instanceof Uint8Array) return b instanceof Uint8Array && sameBytes(a, b);
  return valueEquals(a, b);
}

/**
 * What an `actual` that leaves a value out means: `unwritten` (a target's answer: the call did
 * not write it, so it holds its entry value) or `unrecorded` (a captured trace's: the capture
 * did not record it, so there is nothing to check). Whose answer it is also decides the space
 * a mismatch shows values in (CompareContext.book).
 */
export type Absent = 'unwritten' | 'unrecorded';

const NO_MISMATCH: readonly Mismatch[] = Object.freeze([]);

/** Every field where `actual` is not what the oracle allows. */
export function compareOutcome(
  plan: CallPlan,
  expected: { ret?: Value; out?: Args; unspecified?: readonly string[] },
  actual: { ret?: Value; out?: Args },
  ctx: CompareContext,
  absent: Absent = 'unwritten',
): readonly Mismatch[] {
  let found: Mismatch[] | undefined; // made at the first mismatch: this runs twice a call
  const r = plan.ret;
  const skipRet = absent === 'unrecorded' && actual.ret === undefined;
  if (r !== undefined && !skipRet && !sameValue(r, expected.ret, actual.ret, ctx)) {
    (found ??= []).push(mismatch(r, 'ret', expected.ret, actual.ret, ctx, absent));
  }
  for (const o of plan.outs) {
    const e = expected.out?.[o.name];
    const recorded = actual.out?.[o.name];
    if (recorded === undefined && absent === 'unrecorded') continue;
    if (expected.unspecified?.includes(o.name) === true) continue;
    // Left out of the answer means not written: the entry value, or the poison of an out-only one.
    const a = recorded ?? ctx.modelArgs[o.name] ?? poison(o.type);
    if (!sameValue(o, e, a, ctx))
      (found ??= []).push(mismatch(o, `out.${o.name}`, e, a, ctx, absent));
  }
  return found ?? NO_MISMATCH;
}

/**
 * The mismatch named by its first differing member where there is one (`out.pVrp.outputBuffer
 * Length`, `out.elements[1].length`), so that the message shows the difference and not two
 * whole structures with it cut off at the end; else the whole value.
 */
function mismatch(
  p: ValuePlan,
  field: string,
  e: Value | undefined,
  a: Value | undefined,
  ctx: CompareContext,
  absent: Absent,
): Mismatch {
  const shown = shownFor(ctx, absent);
  if (p.type === 'vrp' && isStruct(e) && isStruct(a)) {
    const k = Object.keys(e).find((key) => !sameField(p, key, e[key], a[key], ctx));
    if (k !== undefined) {
      const produces = p.fieldProduces?.[k];
      const space = memberSpace(k);
      return {
        field: `${field}.${k}`,
        expected: describeProduced(produces?.res, shown(space, e[k]), e[k]),
        actual: describeProduced(produces?.res, shown(space, a[k]), a[k]),
      };
    }
  }
  // Only the total length is compared, so a member names the difference only when both lists
  // split it alike up to that element (and a one-element list is not required instead).
  if (p.type === 'sglist' && Array.isArray(e) && Array.isArray(a) && e.length === a.length) {
    const es = e as readonly Struct[];
    const as = a as readonly Struct[];
    const i = es.findIndex((x, n) => !valueEquals(x['length'], as[n]?.['length']));
    if (i >= 0 && !(ctx.singleElement && a.length !== 1)) {
      return {
        field: `${field}[${i}].length`,
        expected: show(es[i]?.['length']),
        actual: show(as[i]?.['length']),
      };
    }
  }
  const describe = (v: Value | undefined): string =>
    describeProduced(p.produces?.res, shown(p.space, v), v);
  if (!field.startsWith('out.')) return { field, expected: describe(e), actual: describe(a) };
  // A handle-like out-parameter still holding its entry value was not written: "a new buffer
  // (0x1234)" would name a value the call never produced.
  const entry = ctx.modelArgs[p.name];
  const told = (v: Value | undefined): string => {
    const text = shown(p.space, v);
    const d = describeProduced(p.produces?.res, text, v);
    const unwritten = entry !== undefined && v !== undefined && valueEquals(v, entry);
    return unwritten && d !== text ? `${text}, its value on entry (not written)` : d;
  };
  return { field, expected: told(e), actual: told(a) };
}

/** `text` (the value `v`, shown) as what it is: "a new buffer (0x...)" for a produced one. */
function describeProduced(res: string | undefined, text: string, v: Value | undefined): string {
  if (res === undefined || v === POISON_PTR || isNullish(v)) return text;
  return `a new ${res} (${text})`;
}
