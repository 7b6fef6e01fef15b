// Table-driven normalization of one argument, return or out value, structures included.
// Failures come back as a Bad (relative field path + message), so the caller can prefix the
// path without the hot path ever building strings.
import type { ArgType } from '../model/callTypes.js';
import type { Struct, Value } from '../model/values.js';
import { sgElementsMax } from '../core/limits.js';
import { describeValue } from './traceError.js';
import { EXPECTED, normalizeScalar, toU64 } from './scalars.js';
import type { FieldDesc } from './structs.js';
import {
  DEVDESC_FIELDS,
  isPlainObject,
  SG_ELEMENT_FIELDS,
  unknownKey,
  unknownKeyMessage,
  VRP_FIELDS,
} from './structs.js';

export class Bad {
  constructor(
    readonly field: string,
    readonly message: string,
  ) {}
  /** The same failure one level down: `inputBufferLength` under `pVrp`. */
  under(prefix: string): Bad {
    return new Bad(this.field === '' ? prefix : `${prefix}.${this.field}`, this.message);
  }
}

const fieldSets = new Map<readonly FieldDesc[], ReadonlySet<string>>(
  [VRP_FIELDS, DEVDESC_FIELDS, SG_ELEMENT_FIELDS].map((f) => [f, new Set(f.map((d) => d.name))]),
);

function expected(type: ArgType, v: unknown): Bad {
  return new Bad('', `expected ${EXPECTED[type]}, got ${describeValue(v)}`);
}

function validateStruct(fields: readonly FieldDesc[], raw: Record<string, unknown>): Struct | Bad {
  const extra = unknownKey(raw, fieldSets.get(fields) ?? new Set());
  if (extra !== undefined) return new Bad(extra, unknownKeyMessage(extra, 'field'));
  const out: Record<string, Value> = {};
  for (const f of fields) {
    const rawField = raw[f.name];
    if (rawField === undefined) return new Bad(f.name, 'missing field');
    const v = normalizeScalar(f.type, rawField);
    if (v === undefined) return expected(f.type, rawField).under(f.name);
    out[f.name] = v;
  }
  return out as Struct;
}

/** A NULL structure pointer ("0x0" or 0n), or a structure object. */
function validatePointedStruct(
  type: 'vrp' | 'devdesc',
  fields: readonly FieldDesc[],
  raw: unknown,
): Value | Bad {
  if (isPlainObject(raw)) return validateStruct(fields, raw);
  return toU64(raw) === 0n ? 0n : expected(type, raw);
}

function validateSgList(raw: unknown): Value | Bad {
  if (!Array.isArray(raw) || raw.length > sgElementsMax) return expected('sglist', raw);
  const out: Struct[] = [];
  for (let i = 0; i < raw.length; i++) {
    const el: unknown = raw[i];
    if (!isPlainObject(el)) return expected('sglist', raw).under(String(i));
    const s = validateStruct(SG_ELEMENT_FIELDS, el);
    if (s instanceof Bad) return s.under(String(i));
    out.push(s);
  }
  return out;
}

export function validateValue(type: ArgType, raw: unknown): Value | Bad {
  switch (type) {
    case 'vrp':
      return validatePointedStruct(type, VRP_FIELDS, raw);
    case 'devdesc':
      return validatePointedStruct(type, DEVDESC_FIELDS, raw);
    case 'sglist':
      return validateSgList(raw);
    default: {
      const v = normalizeScalar(type, raw);
      return v === undefined ? expected(type, raw) : v;
    }
  }
}
