// The header's free-form `meta`: any JSON, copied into fresh objects with bounded depth, width
// and size. Its objects have a null prototype, so "constructor" or "prototype" are plain own
// keys a capture tool may use (and a key meta lacks never reads as an inherited one). Only
// "__proto__" is refused: a consumer that copies meta by assignment would set a prototype.
import { jsonDepthMax, jsonFieldsMax } from '../core/limits.js';
import type { JsonValue } from './trace.js';
import { metaBytesMax } from './traceLimits.js';
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
