// The header's free-form `meta`: any JSON, copied into fresh objects with bounded depth, width
// and size. Its objects have a null prototype, so "constructor" or "prototype" are plain own
// keys a capture tool may use (and a key meta lacks never reads as an inherited one). Only
// "__proto__" is refused: a consumer that copies meta by assignment would set a prototype.
import { jsonDepthMax, jsonFieldsMax } from '../core/limits.js';
import type { CallMeta, JsonValue } from '../model/values.js';
import { callMetaBytesMax, metaBytesMax } from './traceLimits.js';
import { repeatedKey } from './duplicateKeys.js';
import { jsonSyntaxMessage } from '../core/jsonSyntax.js';
import { isPlainObject } from './structs.js';
import { Bad } from './validateValue.js';
import { isWellFormed } from './unicode.js';
import { describeValue } from './traceError.js';

/** The one key meta refuses (docs/capturing.md). */
const META_FORBIDDEN_KEY = '__proto__';

interface Budget {
  bytes: number;
}

export function validateMeta(raw: unknown): { readonly [key: string]: JsonValue } | Bad {
  if (!isPlainObject(raw)) return new Bad('', 'expected an object');
  const budget: Budget = { bytes: 0 };
  const v = copyJson(raw, 1, budget);
  if (v instanceof Bad) return v;
  return v as { readonly [key: string]: JsonValue };
}

function copyJson(raw: unknown, depth: number, budget: Budget): JsonValue | Bad {
  budget.bytes += 8;
  if (budget.bytes > metaBytesMax) return new Bad('', `meta is larger than ${metaBytesMax} bytes`);
  if (raw === null || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? raw + 0 : new Bad('', 'expected a finite number');
  }
  if (typeof raw === 'string') {
    budget.bytes += raw.length;
    if (!isWellFormed(raw)) return new Bad('', 'string is not valid Unicode (lone surrogate)');
    return budget.bytes > metaBytesMax
      ? new Bad('', `meta is larger than ${metaBytesMax} bytes`)
      : raw;
  }
  if (depth > jsonDepthMax) return new Bad('', `nested deeper than ${jsonDepthMax}`);
  if (Array.isArray(raw)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < raw.length; i++) {
      const v = copyJson(raw[i], depth + 1, budget);
      if (v instanceof Bad) return v.under(i);
      out.push(v);
    }
    return out;
  }
  if (!isPlainObject(raw)) return new Bad('', `expected a JSON value, got ${describeValue(raw)}`);
  return copyObject(raw, depth, budget);
}

function copyObject(raw: Record<string, unknown>, depth: number, budget: Budget): JsonValue | Bad {
  const out = Object.create(null) as Record<string, JsonValue>;
  let fields = 0;
  // Own keys only: `raw` comes from JSON.parse, a .vpt decoder or the text parser, but a
  // caller's object could inherit enumerable ones.
  for (const k of Object.keys(raw)) {
    if (k === META_FORBIDDEN_KEY) return new Bad(k, `forbidden key ${JSON.stringify(k)}`);
    if (!isWellFormed(k)) return new Bad('', 'key is not valid Unicode (lone surrogate)');
    if (++fields > jsonFieldsMax) return new Bad('', `more than ${jsonFieldsMax} fields`);
    budget.bytes += k.length;
    const v = copyJson(raw[k], depth + 1, budget);
    if (v instanceof Bad) return v.under(k);
    out[k] = v;
  }
  return out;
}

const CALL_META_TOO_BIG = `a call's meta is larger than ${callMetaBytesMax} bytes of JSON (callMetaBytesMax): keep per-call facts short, and capture-wide ones in the header's meta`;

/**
 * A call's `meta`: the header's rules (any JSON object, "__proto__" refused, null-prototype
 * copies), and at most callMetaBytesMax bytes as the JSONL printer writes it.
 */
export function validateCallMeta(raw: unknown): CallMeta | Bad {
  if (!isPlainObject(raw)) return new Bad('', `expected an object, got ${describeValue(raw)}`);
  const v = validateMeta(raw);
  if (v instanceof Bad) return v;
  return jsonBytes(v) > callMetaBytesMax ? new Bad('', CALL_META_TOO_BIG) : v;
}

/**
 * A call's `meta` as .vpt carries it, its JSON text (codec.ts): the same checks as JSONL's,
 * a key repeated in one object refused as there.
 */
export function callMetaFromJson(text: unknown): CallMeta | Bad {
  if (typeof text !== 'string') {
    return new Bad('', `expected the meta's JSON text, got ${describeValue(text)}`);
  }
  // A bound on the work, before any: our writer's text is the canonical JSON (within the
  // bound), another's may have spaces or escapes, but not twice as many bytes.
  if (text.length > 2 * callMetaBytesMax) return new Bad('', CALL_META_TOO_BIG);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return new Bad('', `invalid JSON: ${jsonSyntaxMessage(e)}`);
  }
  const repeated = repeatedKey(text, raw);
  if (repeated !== undefined) return new Bad(repeated, 'key appears twice in one object');
  return validateCallMeta(raw);
}

/**
 * The UTF-8 length of JSON.stringify(v) for a value validateMeta made (finite numbers, -0 as
 * 0, well-formed strings), counted rather than built: JSON.stringify is slow on objects
 * without a prototype, and this runs for every call that has meta.
 */
function jsonBytes(v: JsonValue): number {
  if (v === null || v === true) return 4;
  if (v === false) return 5;
  if (typeof v === 'number') return String(v).length;
  if (typeof v === 'string') return stringBytes(v);
  let n = 2;
  if (Array.isArray(v)) {
    for (const x of v as readonly JsonValue[]) n += jsonBytes(x) + 1;
    return v.length === 0 ? n : n - 1;
  }
  const o = v as { readonly [key: string]: JsonValue };
  let fields = 0;
  for (const k in o) {
    n += stringBytes(k) + 2 + jsonBytes(o[k] as JsonValue);
    fields++;
  }
  return fields === 0 ? n : n - 1;
}

/** Printable ASCII but `"` and `\`: one byte each, as JSON writes them. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function stringBytes(s: string): number {
  if (PLAIN.test(s)) return s.length + 2;
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x20) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c < 0x80) n += 1;
    // A surrogate pair is 4 bytes, 2 for each half (meta's strings have no lone ones).
    else n += c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return n;
}
