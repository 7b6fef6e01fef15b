// Prints a trace in the text repro format (grammar: text.ts). Values print by declared type;
// produced values that later calls use are named rN, and those uses print as rN or rN+0x10.
import type { ArgType } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import type { Struct, TraceCall, Value } from '../model/values.js';
import { isStruct } from '../model/values.js';
import { hex } from '../core/hex.js';
import { printableJson } from '../core/oneLine.js';
import { hexOfBytes } from './json.js';
import { assert } from '../core/assert.js';
import type { Trace, TraceHeader } from './trace.js';
import { deviceToJson } from './header.js';
import type { FieldDesc } from './structs.js';
import { DEVDESC_FIELDS, SG_ELEMENT_FIELDS, VRP_FIELDS } from './structs.js';
import type { Annotations } from './textNames.js';
import { nameProductions } from './textNames.js';
import type { ScalarType } from './scalars.js';

const SAFE = 0x1fffffffffffffn;

export function printTextHeader(h: TraceHeader): string[] {
  const lines = [
    `#! vpdma-trace v${h.version}${h.profile === undefined ? '' : ` profile=${h.profile}`}`,
  ];
  const device = deviceToJson(h.device);
  // A capture's strings are text from outside: nothing in them may reach a terminal raw.
  if (Object.keys(device).length > 0) lines.push(`#! device ${printableJson(device)}`);
  if (Object.keys(h.meta).length > 0) lines.push(`#! meta ${printableJson(h.meta)}`);
  return lines;
}

/** The whole trace as text, one line per call, ending in a newline. */
export function printText(trace: Trace): string {
  const notes = nameProductions(trace.calls);
  const lines = printTextHeader(trace.header);
  trace.calls.forEach((call, i) => lines.push(printCall(call, notes[i] ?? new Map())));
  return `${lines.join('\n')}\n`;
}

export function printCall(call: TraceCall, notes: Annotations): string {
  const desc = describe(call.fn);
  assert(desc !== undefined, `unknown function ${call.fn}`);
  const args: string[] = [];
  for (const a of desc.args) {
    const v = call.args[a.name];
    if (v !== undefined) args.push(`${a.name}=${printValue(a.type, v, `args.${a.name}`, notes)}`);
  }
  const retName = notes.get('ret');
  let line = `${retName === undefined ? '' : `${retName} = `}${call.fn}(${args.join(', ')})`;
  if (call.ret !== undefined) {
    assert(desc.ret !== undefined, `${call.fn} returns VOID`);
    line += ` -> ${printValue(desc.ret.type, call.ret, 'ret.value', notes)}`;
  }
  if (call.out !== undefined) {
    const outs: string[] = [];
    for (const o of desc.out) {
      const v = call.out[o.name];
      if (v !== undefined) outs.push(`${o.name}=${printValue(o.type, v, `out.${o.name}`, notes)}`);
    }
    line += ` out(${outs.join(', ')})`;
  }
  // Printable as the header's meta is: a capture's strings are text from outside.
  if (call.meta !== undefined) line += ` meta ${printableJson(call.meta)}`;
  return line;
}

/** A value as the printer writes it, without names (for comments). */
export function printPlainValue(type: ArgType, v: Value): string {
  return printValue(type, v, '', NO_NOTES);
}

const NO_NOTES: Annotations = new Map();

function printValue(type: ArgType, v: Value, path: string, notes: Annotations): string {
  switch (type) {
    case 'vrp':
    case 'devdesc':
      if (!isStruct(v)) return printScalar('ptr', v, path, notes);
      return printStruct(type === 'vrp' ? VRP_FIELDS : DEVDESC_FIELDS, v, path, notes);
    case 'sglist':
      assert(Array.isArray(v), 'sglist value must be an array');
      return `[${(v as readonly Struct[])
        .map((el, i) => printStruct(SG_ELEMENT_FIELDS, el, `${path}.${i}`, notes))
        .join(', ')}]`;
    default:
      return printScalar(type, v, path, notes);
  }
}

function printStruct(
  fields: readonly FieldDesc[],
  s: Struct,
  path: string,
  notes: Annotations,
): string {
  const parts = fields.map((f) => {
    const v = s[f.name];
    assert(v !== undefined, `missing field ${f.name}`);
    return `${f.name}=${printScalar(f.type, v, `${path}.${f.name}`, notes)}`;
  });
  return `{${parts.join(', ')}}`;
}

function printScalar(type: ScalarType, v: Value, path: string, notes: Annotations): string {
  const note = notes.get(path);
  const literal = printLiteral(type, v);
  if (note === undefined) return literal;
  return note.startsWith('<') ? `${note}${literal}` : note;
}

function printLiteral(type: ScalarType, v: Value): string {
  if (typeof v === 'bigint') {
    // i64 reads as a signed number; beyond the safe range, as its 64-bit pattern (like JSONL).
    return type === 'i64' && v >= -SAFE && v <= SAFE ? v.toString() : hex(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  assert(v instanceof Uint8Array, `unprintable ${type} value`);
  return `x"${hexOfBytes(v)}"`;
}
