// Typed reads of validated call arguments, and the poison an unwritten out-only parameter
// keeps. Validation (trace/validate.ts) guarantees the types; the fallbacks keep the model
// total even for a hand-built call that skipped it.
import type { ArgType } from './callTypes.js';
import { isStruct, type Struct, type Value } from './values.js';

export const POISON_PTR = 0xccccccccccccccccn;
export const POISON_U32 = 0xcccccccc;

/** The value an out-only parameter holds on entry when the trace omits it. */
export function poison(type: ArgType): Value {
  switch (type) {
    case 'ptr':
    case 'u64':
    case 'i64':
      return POISON_PTR;
    case 'sglist':
      return [];
    case 'bool':
      return false;
    case 'bytes':
      return new Uint8Array(0);
    default:
      return POISON_U32;
  }
}

// The readers take the value, not the arguments and a name: each handler's own `a['name']`
// is a property load that sees one call's argument shape, where a load inside a shared
// reader saw every call's (megamorphic: a slow lookup for every argument of every step).
export function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

export function big(v: Value | undefined): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

export function flag(v: Value | undefined): boolean {
  return v === true;
}

export function bytes(v: Value | undefined): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

/** A structure argument, or undefined when the pointer is NULL. */
export function struct(v: Value | undefined): Struct | undefined {
  return isStruct(v) ? v : undefined;
}

export function field(s: Struct, name: string): bigint | number | boolean {
  const v = s[name];
  return v instanceof Uint8Array || v === undefined ? 0 : v;
}
