// Simpler values for one argument, from the call table: each value a call could take instead,
// simplest first. Numbers and addresses move toward the table's `values` hints (most canonical
// first), then 0; flags toward false; bytes toward shorter (from either end: bytes laid out
// at an address move it along), then zeros; references and
// VRPs toward NULL; optional arguments away. Consumed handles and addresses (references or
// dangling) only toward NULL. Every proposal is strictly simpler than the
// current value in a well-founded order, so repeated simplification ends.
import type { ArgDesc } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import type { DeviceConfig } from '../model/device.js';
import type { TraceCall, Value } from '../model/values.js';
import { isStruct, valueEquals } from '../model/values.js';
import { DEVDESC_FIELDS, VRP_FIELDS, type FieldDesc } from '../trace/structs.js';

export interface Slot {
  /** "arg" or "arg.field". */
  readonly path: string;
  /** Proposals, simplest first; undefined removes the argument. */
  readonly values: readonly (Value | undefined)[];
  /**
   * The pointer argument the bytes are laid out at, and for each proposal how far it moves
   * (0n: it stays): a tail keeps every byte where it was.
   */
  readonly advance?: { readonly path: string; readonly by: readonly bigint[] };
}

/**
 * Bytes arguments laid out in memory at a pointer argument of the same call: byte i goes to
 * that pointer + i. Only @write takes bytes (@read returns them); simplify.test.ts checks that
 * every bytes argument of the table is listed here or said not to be laid out.
 */
export const BYTES_AT: Readonly<Record<string, { readonly bytes: string; readonly at: string }>> = {
  '@write': { bytes: 'data', at: 'va' },
};

export type Plain = bigint | number | boolean;

export const isPlain = (v: Value | undefined): v is Plain =>
  typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean';

function magnitude(v: Plain): bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const b = BigInt(v);
  return b < 0n ? -b : b;
}

/**
 * The canonical values ahead of `current`: if it is one of them, those before it; otherwise
 * those of smaller magnitude. From a canonical value only earlier ones are proposed, so
 * there is no cycle.
 */
export function simpler(current: Plain, canonical: readonly Plain[]): Plain[] {
  const seen: Plain[] = [];
  for (const v of canonical) if (!seen.some((s) => valueEquals(s, v))) seen.push(v);
  const k = seen.findIndex((v) => valueEquals(v, current));
  if (k >= 0) return seen.slice(0, k);
  return seen.filter((v) => magnitude(v) < magnitude(current));
}

function zeroLike(v: Plain): Plain {
  return typeof v === 'bigint' ? 0n : typeof v === 'number' ? 0 : false;
}

function sameKind(v: Plain, like: Plain): boolean {
  return typeof v === typeof like;
}

interface Shorter {
  readonly bytes: Uint8Array;
  /** Where it starts in the old bytes. */
  readonly from: number;
}

/**
 * Shorter bytes, then zeros: none, the first byte, the last, the first half, the second (the
 * longer one when the length is odd, so halving reaches every byte). Tails only when `tails`
 * (the bytes are laid out at an address that can move with them).
 */
export function bytesSimpler(b: Uint8Array, tails: boolean): Shorter[] {
  const n = b.length;
  const half = n >> 1;
  const out: Shorter[] = [];
  if (n > 0) out.push({ bytes: new Uint8Array(0), from: 0 });
  if (n > 1) out.push({ bytes: b.slice(0, 1), from: 0 });
  if (n > 1 && tails) out.push({ bytes: b.slice(n - 1), from: n - 1 });
  if (n > 3) out.push({ bytes: b.slice(0, half), from: 0 });
  // At 2 the second half is the last byte, at 3 it is two bytes (not a duplicate).
  if (n > 2 && tails) out.push({ bytes: b.slice(half), from: half });
  if (b.some((x) => x !== 0)) out.push({ bytes: new Uint8Array(n), from: 0 });
  return out;
}

function bytesSlot(fn: string, a: ArgDesc, b: Uint8Array, args: TraceCall['args']): Slot[] {
  const at = BYTES_AT[fn];
  const laid = at?.bytes === a.name ? at.at : undefined;
  // A NULL or absent address stays so: moving it would make a write somewhere else.
  const ptr = laid === undefined ? undefined : args[laid];
  const tails = laid !== undefined && typeof ptr === 'bigint' && ptr !== 0n;
  const shorter = bytesSimpler(b, tails);
  if (shorter.length === 0) return [];
  const values = shorter.map((s) => s.bytes);
  if (!tails || laid === undefined) return [{ path: a.name, values }];
  return [
    { path: a.name, values, advance: { path: laid, by: shorter.map((s) => BigInt(s.from)) } },
  ];
}

function fieldSlots(name: string, fields: readonly FieldDesc[], s: Value): Slot[] {
  if (!isStruct(s)) return [];
  const slots: Slot[] = [];
  for (const f of fields) {
    const v = s[f.name];
    if (!isPlain(v)) continue;
    const values = simpler(v, [zeroLike(v)]);
    if (values.length > 0) slots.push({ path: `${name}.${f.name}`, values });
  }
  return slots;
}

function argSlots(call: TraceCall, a: ArgDesc, v: Value, busBases: readonly bigint[]): Slot[] {
  const slots: Slot[] = [];
  if (a.outOnly === true || a.optional === true) slots.push({ path: a.name, values: [undefined] });
  if (a.type === 'vrp' || a.type === 'devdesc') {
    if (isStruct(v) && a.type === 'vrp') slots.push({ path: a.name, values: [0n] });
    return [...slots, ...fieldSlots(a.name, a.type === 'vrp' ? VRP_FIELDS : DEVDESC_FIELDS, v)];
  }
  if (v instanceof Uint8Array) return [...slots, ...bytesSlot(call.fn, a, v, call.args)];
  if (!isPlain(v)) return slots;
  const hints = (a.values ?? []).filter((h) => sameKind(h, v));
  const canonical: Plain[] =
    a.role.kind === 'consumes'
      ? [zeroLike(v)]
      : a.role.kind === 'bus'
        ? [...hints, ...busBases, zeroLike(v)]
        : [...hints, zeroLike(v)];
  const values = simpler(v, canonical);
  if (values.length > 0) slots.push({ path: a.name, values });
  return slots;
}

/** Every simplification of one call, in argument order. */
export function slotsOf(call: TraceCall, device: DeviceConfig): Slot[] {
  const desc = describe(call.fn);
  // A call with its recorded ret/out keeps its arguments: the record was observed for exactly
  // those, and with another argument it describes a call that never happened.
  if (desc === undefined || call.ret !== undefined || call.out !== undefined) return [];
  const memoryFirst = [...device.apertures].sort(
    (x, y) => Number(x.space === 'io') - Number(y.space === 'io'),
  );
  const busBases = memoryFirst.map((ap) => ap.base);
  const slots: Slot[] = [];
  for (const a of desc.args) {
    const v = call.args[a.name];
    if (v !== undefined) slots.push(...argSlots(call, a, v, busBases));
  }
  return slots;
}
