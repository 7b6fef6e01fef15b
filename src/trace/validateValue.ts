// Table-driven normalization of one argument, return or out value, structures included.
// Failures come back as a Bad (relative field path + message), so the caller can prefix the
// path without the hot path ever building strings.
import type { ArgType } from '../model/callTypes.js';
import type { Struct, Value } from '../model/values.js';
import { bytesArgMax, sgElementsMax } from '../core/limits.js';
import { SPLIT_BYTES_HINT } from './lines.js';
import { describeValue } from './traceError.js';
import { EXPECTED, hexProblem, normalizeScalar, toU64 } from './scalars.js';
import type { FieldDesc } from './structs.js';
import {
  DEVDESC_FIELDS,
  isPlainObject,
  SG_ELEMENT_FIELDS,
  unknownKeyMessage,
  VRP_FIELDS,
} from './structs.js';
import { indexName, joinPath } from './fieldPath.js';

export class Bad {
  constructor(
    readonly field: string,
    readonly message: string,
    /** A number out of range, not a value of the wrong type (a RangeError to a library user). */
    readonly outOfRange = false,
  ) {}
  /**
   * The same failure one level down: `inputBufferLength` under `pVrp`; an index is spelled
   * `[1]`, as the replay's violations spell paths (`out.elements[1].length`).
   */
  under(prefix: string | number): Bad {
    const head = typeof prefix === 'number' ? indexName(prefix) : prefix;
    return new Bad(joinPath([head, this.field]), this.message, this.outOfRange);
  }
}

const fieldMaps = new Map<readonly FieldDesc[], ReadonlyMap<string, FieldDesc>>(
  [VRP_FIELDS, DEVDESC_FIELDS, SG_ELEMENT_FIELDS].map((f) => [
    f,
    new Map(f.map((d) => [d.name, d])),
  ]),
);

function expected(type: ArgType, v: unknown): Bad {
  const why = type === 'bytes' && typeof v === 'string' ? hexProblem(v) : undefined;
  const what = `expected ${EXPECTED[type]}, got ${why ?? describeValue(v)}`;
  return new Bad('', type === 'bytes' && bytesTooLong(v) ? `${what}; ${SPLIT_BYTES_HINT}` : what);
}

function bytesTooLong(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 2 * bytesArgMax;
  return v instanceof Uint8Array && v.length > bytesArgMax;
}

function validateStruct(
  fields: readonly FieldDesc[],
  raw: Record<string, unknown>,
  inPlace: boolean,
): Struct | Bad {
  const byName = fieldMaps.get(fields) as ReadonlyMap<string, FieldDesc>;
  const out: Record<string, unknown> = inPlace ? raw : {};
  let seen = 0;
  // for-in with raw[k] reads from the enumeration cache (see validate.ts).
  for (const k in raw) {
    const f = byName.get(k);
    if (f === undefined) return new Bad(k, unknownKeyMessage(k, 'field', byName.keys()));
    const rawField = raw[k];
    if (rawField === undefined) continue;
    const v = normalizeScalar(f.type, rawField);
    if (v === undefined) return expected(f.type, rawField).under(k);
    seen++;
    if (!inPlace || !Object.is(v, rawField)) out[k] = v;
  }
  if (seen < fields.length) {
    const missing = fields.find((f) => raw[f.name] === undefined);
    return new Bad(missing?.name ?? '?', 'missing field');
  }
  if (inPlace) return raw as Struct;
  // Copies take declaration order.
  const ordered: Record<string, unknown> = {};
  for (const f of fields) ordered[f.name] = out[f.name];
  return ordered as Struct;
}

/** A NULL structure pointer ("0x0" or 0n), or a structure object. */
function validatePointedStruct(
  type: 'vrp' | 'devdesc',
  fields: readonly FieldDesc[],
  raw: unknown,
  inPlace: boolean,
): Value | Bad {
  if (isPlainObject(raw)) return validateStruct(fields, raw, inPlace);
  return toU64(raw) === 0n ? 0n : expected(type, raw);
}

function validateSgList(raw: unknown, inPlace: boolean): Value | Bad {
  if (!Array.isArray(raw) || raw.length > sgElementsMax) return expected('sglist', raw);
  const out: Struct[] = inPlace ? (raw as Struct[]) : [];
  for (let i = 0; i < raw.length; i++) {
    const el: unknown = raw[i];
    if (!isPlainObject(el)) return expected('sglist', raw).under(i);
    const s = validateStruct(SG_ELEMENT_FIELDS, el, inPlace);
    if (s instanceof Bad) return s.under(i);
    if (!inPlace) out.push(s);
  }
  return out;
}

/**
 * Normalizes one value of `type`. With `inPlace`, structures and lists from the caller's
 * own freshly decoded input are normalized where they are instead of copied.
 */
export function validateValue(type: ArgType, raw: unknown, inPlace = false): Value | Bad {
  switch (type) {
    case 'vrp':
      return validatePointedStruct(type, VRP_FIELDS, raw, inPlace);
    case 'devdesc':
      return validatePointedStruct(type, DEVDESC_FIELDS, raw, inPlace);
    case 'sglist':
      return validateSgList(raw, inPlace);
    default: {
      const v = normalizeScalar(type, raw);
      return v === undefined ? expected(type, raw) : v;
    }
  }
}
