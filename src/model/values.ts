// In-memory trace values (DESIGN.md "Target module interface"): pointers and 64-bit values as
// bigint, other integers as number, BOOLEAN as boolean, byte strings as Uint8Array,
// structures as plain objects, scatter/gather element lists as arrays of objects.

export type Scalar = bigint | number | boolean | Uint8Array;
export interface Struct {
  readonly [field: string]: Scalar;
}
export type Value = Scalar | Struct | readonly Struct[];
export type Args = Readonly<Record<string, Value>>;

/** A JSON value as a trace's free-form `meta` holds it (header and call). */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Free-form facts a capture tool records about one call (thread id, timestamp, ...). */
export type CallMeta = { readonly [key: string]: JsonValue };

export interface TraceCall {
  readonly fn: string;
  readonly args: Args;
  /** Recorded return value (captured traces); absent for VOID and for uncaptured calls. */
  readonly ret?: Value;
  /** Recorded values of out- and in/out parameters after the call. */
  readonly out?: Args;
  /** The capture's own facts about the call; replay and the checks never read it. */
  readonly meta?: CallMeta;
}

export interface CallOutcome {
  ret?: Value;
  out?: Args;
}

/** A NULL pointer, as the interchange format spells it ("0x0"). */
export const NULL = 0n;

export function isStruct(v: Value | undefined): v is Struct {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

export function isStructList(v: Value | undefined): v is readonly Struct[] {
  return Array.isArray(v);
}

/** Structural equality of two values (bigint by value, bytes by content). */
export function valueEquals(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && bytesEqual(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valueEquals(x as Struct, b[i] as Struct | undefined));
  }
  if (isStruct(a)) {
    if (!isStruct(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => valueEquals(a[k], b[k]));
  }
  return false;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
