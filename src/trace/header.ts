// The trace header (DESIGN.md "Trace interchange format", line 1): validation into the
// in-memory TraceHeader, keeping `device` as written, and its JSON spelling.
import type { Aperture, DeviceSpec, DmaConfig } from '../model/device.js';
import { isProfile } from '../model/device.js';
import { apertureBytesMax } from '../core/limits.js';
import { hex, parseHex } from '../core/hex.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { JsonValue, TraceHeader } from './trace.js';
import { TRACE_FORMAT, TRACE_VERSION } from './trace.js';
import type { TraceError, Where } from './traceError.js';
import { describeValue, traceError } from './traceError.js';
import {
  aperturesMax,
  apertureNameMax,
  mapRegistersMax,
  systemMemoryBytesMax,
} from './traceLimits.js';
import { FORBIDDEN_KEYS, isPlainObject, unknownKey, unknownKeyMessage } from './structs.js';
import { toU64 } from './scalars.js';
import { validateMeta } from './meta.js';
import { Bad } from './validateValue.js';
import { isWellFormed } from './unicode.js';

const HEADER_KEYS: ReadonlySet<string> = new Set([
  'format',
  'version',
  'profile',
  'device',
  'meta',
]);
const HEADER_ONLY =
  "a header holds only format, version, profile, device and meta: a capture tool's own fields, such as its name and version, belong in meta";
const DEVICE_KEYS: ReadonlySet<string> = new Set(['apertures', 'systemMemoryBytes', 'dma']);
const APERTURE_KEYS: ReadonlySet<string> = new Set(['name', 'base', 'length', 'space']);
const DMA_BOOLS = ['scatterGather', 'dma32BitAddresses', 'dma64BitAddresses'] as const;
const DMA_KEYS: ReadonlySet<string> = new Set([...DMA_BOOLS, 'maximumLength', 'mapRegisters']);
const U64_LIMIT = 1n << 64n;

export function validateHeader(raw: unknown, where: Where): Result<TraceHeader, TraceError> {
  const fail = (field: string | undefined, message: string): Result<TraceHeader, TraceError> =>
    err(traceError(where, field, message));
  if (!isPlainObject(raw))
    return fail(undefined, `expected a header object, got ${describeValue(raw)}`);
  // Before `format`: JSON.parse makes "__proto__" an own key, and naming it beats "got nothing".
  for (const k in raw)
    if (FORBIDDEN_KEYS.has(k)) return fail(k, unknownKeyMessage(k, 'header key'));
  if (raw['format'] !== TRACE_FORMAT) {
    return fail('format', `expected "${TRACE_FORMAT}", got ${describeValue(raw['format'])}`);
  }
  if (raw['version'] !== TRACE_VERSION) {
    const v = describeValue(raw['version']);
    return fail('version', `unsupported version ${v} (this vpdma reads version ${TRACE_VERSION})`);
  }
  const extra = unknownKey(raw, HEADER_KEYS);
  if (extra !== undefined) {
    return fail(extra, unknownKeyMessage(extra, 'header key', HEADER_KEYS, HEADER_ONLY));
  }
  const profile = raw['profile'];
  if (profile !== undefined && (typeof profile !== 'string' || !isProfile(profile))) {
    return fail('profile', `expected "docs" or "reactos", got ${describeValue(profile)}`);
  }
  const device = raw['device'] === undefined ? {} : validateDevice(raw['device']);
  if (device instanceof Bad) return fail(prefixed('device', device.field), device.message);
  const meta = validateMeta(raw['meta'] ?? {});
  if (meta instanceof Bad) return fail(prefixed('meta', meta.field), meta.message);
  const base = { format: TRACE_FORMAT, version: TRACE_VERSION } as const;
  return ok(profile === undefined ? { ...base, device, meta } : { ...base, profile, device, meta });
}

function prefixed(prefix: string, field: string): string {
  return field === '' ? prefix : `${prefix}.${field}`;
}

/** A header's `device`, or a library user's (replay/modelTargetOptions.ts). */
export function validateDevice(raw: unknown): DeviceSpec | Bad {
  if (!isPlainObject(raw)) return new Bad('', `expected an object, got ${describeValue(raw)}`);
  const extra = unknownKey(raw, DEVICE_KEYS);
  if (extra !== undefined)
    return new Bad(extra, unknownKeyMessage(extra, 'device field', DEVICE_KEYS));
  const spec: { apertures?: Aperture[]; systemMemoryBytes?: number; dma?: Partial<DmaConfig> } = {};
  if (raw['apertures'] !== undefined) {
    const a = validateApertures(raw['apertures']);
    if (a instanceof Bad) return a.under('apertures');
    spec.apertures = a;
  }
  const mem = raw['systemMemoryBytes'];
  if (mem !== undefined) {
    const n = intIn(mem, 1, systemMemoryBytesMax);
    if (n === undefined) return notInRange('systemMemoryBytes', 1, systemMemoryBytesMax, mem);
    spec.systemMemoryBytes = n;
  }
  if (raw['dma'] !== undefined) {
    const d = validateDma(raw['dma']);
    if (d instanceof Bad) return d.under('dma');
    spec.dma = d;
  }
  return spec;
}

function validateApertures(raw: unknown): Aperture[] | Bad {
  if (!Array.isArray(raw) || raw.length > aperturesMax) {
    return new Bad('', `expected an array of at most ${aperturesMax} apertures`);
  }
  const out: Aperture[] = [];
  for (let i = 0; i < raw.length; i++) {
    const a = validateAperture(raw[i]);
    if (a instanceof Bad) return a.under(i);
    out.push(a);
  }
  return out;
}

function validateAperture(raw: unknown): Aperture | Bad {
  if (!isPlainObject(raw)) return new Bad('', `expected an object, got ${describeValue(raw)}`);
  const extra = unknownKey(raw, APERTURE_KEYS);
  if (extra !== undefined)
    return new Bad(extra, unknownKeyMessage(extra, 'aperture field', APERTURE_KEYS));
  const { name, space } = raw;
  const badName = typeof name !== 'string' || name.length === 0 || name.length > apertureNameMax;
  if (badName || !isWellFormed(name)) {
    return new Bad('name', `expected a name of 1 to ${apertureNameMax} characters`);
  }
  const base = toU64(raw['base']);
  if (base === undefined)
    return new Bad('base', `expected "0x...", got ${describeValue(raw['base'])}`);
  const length = intIn(raw['length'], 1, apertureBytesMax);
  if (length === undefined) return notInRange('length', 1, apertureBytesMax, raw['length']);
  if (base + BigInt(length) > U64_LIMIT) return new Bad('length', BEYOND_2_64, true);
  if (space !== 'memory' && space !== 'io') {
    return new Bad('space', `expected "memory" or "io", got ${describeValue(space)}`);
  }
  return { name, base, length, space };
}

function validateDma(raw: unknown): Partial<DmaConfig> | Bad {
  if (!isPlainObject(raw)) return new Bad('', `expected an object, got ${describeValue(raw)}`);
  const extra = unknownKey(raw, DMA_KEYS);
  if (extra !== undefined) return new Bad(extra, unknownKeyMessage(extra, 'dma field', DMA_KEYS));
  const out: { -readonly [K in keyof DmaConfig]?: DmaConfig[K] } = {};
  for (const k of DMA_BOOLS) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean')
      return new Bad(k, `expected true or false, got ${describeValue(v)}`);
    out[k] = v;
  }
  const { maximumLength, mapRegisters } = raw;
  if (maximumLength !== undefined) {
    const n = intIn(maximumLength, 0, 0xffffffff);
    if (n === undefined) return notInRange('maximumLength', 0, 0xffffffff, maximumLength);
    out.maximumLength = n;
  }
  if (mapRegisters !== undefined) {
    const n = intIn(mapRegisters, 0, mapRegistersMax);
    if (n === undefined) return notInRange('mapRegisters', 0, mapRegistersMax, mapRegisters);
    out.mapRegisters = n;
  }
  return out;
}

/**
 * An integer in [min, max], spelled as a call's integers may be (capturing.md): a JSON number,
 * "0x...", or (from a .vpt header frame) a 64-bit MessagePack integer. -0 reads as 0.
 */
function intIn(v: unknown, min: number, max: number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= min && v <= max ? v + 0 : undefined;
  const b = typeof v === 'string' ? parseHex(v) : typeof v === 'bigint' ? v : undefined;
  return b !== undefined && b >= min && b <= max ? Number(b) : undefined;
}

const BEYOND_2_64 = 'aperture ends beyond 2^64';

/**
 * A value that is not an integer in [min, max]: out of range if it is a number (a fraction,
 * NaN, too small or too large), of the wrong type otherwise (as Node's own argument checks
 * tell a RangeError from a TypeError).
 */
function notInRange(field: string, min: number, max: number, v: unknown): Bad {
  return new Bad(
    field,
    `expected an integer in [${min}, ${max}], got ${describeValue(v)}`,
    typeof v === 'number',
  );
}

/** The JSONL spelling of a header: device as written, addresses as "0x..." strings. */
export function headerToJson(h: TraceHeader): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = { format: h.format, version: h.version };
  if (h.profile !== undefined) out['profile'] = h.profile;
  out['device'] = deviceToJson(h.device);
  out['meta'] = h.meta;
  return out;
}

export function deviceToJson(d: DeviceSpec): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  if (d.apertures !== undefined) {
    out['apertures'] = d.apertures.map((a) => ({
      name: a.name,
      base: hex(a.base),
      length: a.length,
      space: a.space,
    }));
  }
  if (d.systemMemoryBytes !== undefined) out['systemMemoryBytes'] = d.systemMemoryBytes;
  if (d.dma !== undefined) out['dma'] = { ...d.dma };
  return out;
}
