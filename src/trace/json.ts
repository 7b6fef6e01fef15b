// The JSONL spelling of in-memory values (DESIGN.md): pointers and u64 always "0x...", other
// integers JSON numbers, i64 a number when safe else "0x..." two's complement, bytes hex,
// NULL structures "0x0". Driven by the table, so a value prints by its declared type.
import type { ArgType } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import type { Args, Struct, TraceCall, Value } from '../model/values.js';
import { isStruct } from '../model/values.js';
import { hex } from '../core/hex.js';
import { assert } from '../core/assert.js';
import type { JsonValue } from './trace.js';
import type { FieldDesc } from './structs.js';
import { DEVDESC_FIELDS, SG_ELEMENT_FIELDS, VRP_FIELDS } from './structs.js';

type JsonObject = { [key: string]: JsonValue };

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of a byte string, as core/hex.ts bytesToHex, with a table: the hot path. */
export function hexOfBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i] as number] as string;
  return s;
}

function structToJson(fields: readonly FieldDesc[], s: Struct): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) out[f.name] = valueToJson(f.type, s[f.name]);
  return out;
}

/** One value by its declared type. The value must already be valid for that type. */
export function valueToJson(type: ArgType, v: Value | undefined): JsonValue {
  switch (type) {
    case 'ptr':
    case 'u64':
      assert(typeof v === 'bigint', `${type} value must be a bigint`);
      return hex(v);
    case 'i64':
      assert(typeof v === 'bigint', 'i64 value must be a bigint');
      return v >= -0x1fffffffffffffn && v <= 0x1fffffffffffffn ? Number(v) : hex(v);
    case 'u8':
    case 'u32':
    case 'i32':
    case 'usize':
      assert(typeof v === 'number', `${type} value must be a number`);
      return v;
    case 'bool':
      assert(typeof v === 'boolean', 'bool value must be a boolean');
      return v;
    case 'bytes':
      assert(v instanceof Uint8Array, 'bytes value must be a Uint8Array');
      return hexOfBytes(v);
    case 'vrp':
    case 'devdesc':
      if (typeof v === 'bigint') return hex(v);
      assert(isStruct(v), `${type} value must be a structure or NULL`);
      return structToJson(type === 'vrp' ? VRP_FIELDS : DEVDESC_FIELDS, v);
    case 'sglist':
      assert(Array.isArray(v), 'sglist value must be an array');
      return (v as readonly Struct[]).map((el) => structToJson(SG_ELEMENT_FIELDS, el));
  }
}

/** A validated call in the interchange spelling, keys in table order. */
export function callToJson(call: TraceCall): JsonObject {
  const desc = describe(call.fn);
  assert(desc !== undefined, `unknown function ${call.fn}`);
  const args: JsonObject = {};
  for (const a of desc.args) {
    const v = call.args[a.name];
    if (v !== undefined) args[a.name] = valueToJson(a.type, v);
  }
  const out: JsonObject = { fn: call.fn, args };
  if (call.ret !== undefined) {
    assert(desc.ret !== undefined, `${call.fn} returns VOID`);
    out['ret'] = valueToJson(desc.ret.type, call.ret);
  }
  if (call.out !== undefined) out['out'] = outToJson(desc.out, call.out);
  if (call.meta !== undefined) out['meta'] = call.meta;
  return out;
}

function outToJson(descs: readonly { name: string; type: ArgType }[], out: Args): JsonObject {
  const json: JsonObject = {};
  for (const o of descs) {
    const v = out[o.name];
    if (v !== undefined) json[o.name] = valueToJson(o.type, v);
  }
  return json;
}
