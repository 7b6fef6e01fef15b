// Short human spellings of values for violation messages.
import { POISON_PTR, POISON_U32 } from '../model/args.js';
import type { Struct, Value } from '../model/values.js';

const BYTES_SHOWN = 32;

export function show(v: Value | undefined): string {
  if (v === undefined) return '(absent)';
  // The poison an out-only parameter holds on entry: seeing it means nobody wrote it.
  if (v === POISON_PTR || v === POISON_U32) return `unwritten (0x${v.toString(16)})`;
  if (typeof v === 'bigint') return v === 0n ? 'NULL' : `0x${v.toString(16)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) {
    let s = '';
    for (const b of v.subarray(0, BYTES_SHOWN)) s += b.toString(16).padStart(2, '0');
    return v.length > BYTES_SHOWN ? `${s}... (${v.length} bytes)` : s === '' ? '(no bytes)' : s;
  }
  // A target's garbage (a string, null, a function) must not reach the structure walk below.
  if (typeof v !== 'object' || v === null) return `a ${v === null ? 'null' : typeof v}`;
  if (Array.isArray(v)) return `[${(v as readonly Struct[]).map((e) => show(e)).join(', ')}]`;
  const fields = Object.entries(v as Struct).map(([k, x]) => `${k}=${show(x)}`);
  return `{${fields.join(', ')}}`;
}
