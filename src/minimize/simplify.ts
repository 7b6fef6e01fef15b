// Simpler values for one argument, from the call table: each value a call could take instead,
// simplest first. Numbers and addresses move toward the table's `values` hints (most canonical
// first), then 0; flags toward false; bytes toward shorter, then zeros; references and
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
}

type Plain = bigint | number | boolean;

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

function bytesSimpler(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (b.length > 0) out.push(new Uint8Array(0));
  if (b.length > 1) out.push(b.slice(0, 1));
  if (b.length > 3) out.push(b.slice(0, b.length >> 1));
  if (b.some((x) => x !== 0)) out.push(new Uint8Array(b.length));
  return out;
}

function fieldSlots(name: string, fields: readonly FieldDesc[], s: Value): Slot[] {
  if (!isStruct(s)) return [];
  const slots: Slot[] = [];
  for (const f of fields) {
    const v = s[f.name];
    if (typeof v !== 'bigint' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const values = simpler(v, [zeroLike(v)]);
    if (values.length > 0) slots.push({ path: `${name}.${f.name}`, values });
  }
  return slots;
}

function argSlots(a: ArgDesc, v: Value, busBases: readonly bigint[]): Slot[] {
  const slots: Slot[] = [];
  if (a.outOnly === true || a.optional === true) slots.push({ path: a.name, values: [undefined] });
  if (a.type === 'vrp' || a.type === 'devdesc') {
    if (isStruct(v) && a.type === 'vrp') slots.push({ path: a.name, values: [0n] });
    return [...slots, ...fieldSlots(a.name, a.type === 'vrp' ? VRP_FIELDS : DEVDESC_FIELDS, v)];
  }
  if (v instanceof Uint8Array) {
    const values = bytesSimpler(v);
    return values.length > 0 ? [...slots, { path: a.name, values }] : slots;
  }
  if (typeof v !== 'bigint' && typeof v !== 'number' && typeof v !== 'boolean') return slots;
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
    if (v !== undefined) slots.push(...argSlots(a, v, busBases));
  }
  return slots;
}
