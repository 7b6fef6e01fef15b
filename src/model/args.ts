// Typed reads of validated call arguments, and the poison an unwritten out-only parameter
// keeps. Validation (trace/validate.ts) guarantees the types; the fallbacks keep the model
// total even for a hand-built call that skipped it.
import type { ArgType } from './callTypes.js';
import { isStruct, type Args, type Struct, type Value } from './values.js';

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

export function num(a: Args, name: string): number {
  const v = a[name];
  return typeof v === 'number' ? v : 0;
}

export function big(a: Args, name: string): bigint {
  const v = a[name];
  return typeof v === 'bigint' ? v : 0n;
}

export function flag(a: Args, name: string): boolean {
  return a[name] === true;
}

export function bytes(a: Args, name: string): Uint8Array {
  const v = a[name];
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

/** A structure argument, or undefined when the pointer is NULL. */
export function struct(a: Args, name: string): Struct | undefined {
  const v = a[name];
  return isStruct(v) ? v : undefined;
}

export function field(s: Struct, name: string): bigint | number | boolean {
  const v = s[name];
  return v instanceof Uint8Array || v === undefined ? 0 : v;
}
