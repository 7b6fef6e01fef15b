// Arbitraries of valid trace headers: profile present or not, any subset of the device
// description, and free-form meta with nested JSON.
import fc from 'fast-check';
import type { DeviceSpec } from '../model/device.js';
import type { JsonValue, TraceHeader } from './trace.js';
import { systemMemoryBytesMax, mapRegistersMax } from './traceLimits.js';
import { apertureBytesMax } from '../core/limits.js';

// Meta refuses "__proto__" alone; other prototype-ish names are plain keys there. Not
// "constructor": the round-trip tests' toStrictEqual compares `.constructor`, which an own key
// holding an object makes differ between equal copies (meta.test.ts covers that key).
const key = fc
  .oneof(fc.string({ maxLength: 8 }), fc.constantFrom('prototype', 'toString', 'hasOwnProperty'))
  .filter((k) => k !== '__proto__' && k !== 'constructor');
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));

const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    text,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const aperture = fc.record({
  name: fc.string({ minLength: 1, maxLength: 12 }),
  base: fc.bigInt(0n, 0xffffffffffn),
  length: fc.integer({ min: 1, max: apertureBytesMax }),
  space: fc.constantFrom('memory' as const, 'io' as const),
});

const device: fc.Arbitrary<DeviceSpec> = fc.record(
  {
    apertures: fc.array(aperture, { maxLength: 3 }),
    systemMemoryBytes: fc.integer({ min: 1, max: systemMemoryBytesMax }),
    dma: fc.record(
      {
        scatterGather: fc.boolean(),
        dma32BitAddresses: fc.boolean(),
        dma64BitAddresses: fc.boolean(),
        maximumLength: fc.integer({ min: 0, max: 0xffffffff }),
        mapRegisters: fc.integer({ min: 0, max: mapRegistersMax }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

export function headerArbitrary(): fc.Arbitrary<TraceHeader> {
  return fc
    .record({
      profile: fc.constantFrom(undefined, 'docs' as const, 'reactos' as const),
      device,
      meta: fc.dictionary(key, json, { maxKeys: 4 }),
    })
    .map(({ profile, device: d, meta: m }) => {
      const meta = nullPrototypes(m) as TraceHeader['meta'];
      const base = { format: 'vpdma-trace' as const, version: 1 as const, device: d, meta };
      return profile === undefined ? base : { ...base, profile };
    });
}

/**
 * A call's meta as capture tools write it: a thread id, a timestamp, and sometimes more JSON,
 * kept under 1024 characters (at most 3 KiB of UTF-8, within callMetaBytesMax).
 */
export function callMetaArbitrary(): fc.Arbitrary<{ [key: string]: JsonValue }> {
  return fc
    .record(
      {
        tid: fc.nat({ max: 0xffff }),
        ts: fc.oneof(fc.nat(), fc.constant('2026-12-07T09:00:00.123Z')),
        more: fc.dictionary(key, json, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    )
    .map(({ more, ...m }) => ({ ...more, ...m }))
    .filter((m) => JSON.stringify(m).length <= 1024);
}

/** `v` with its objects rebuilt with a null prototype, as the reader builds meta (meta.ts). */
function nullPrototypes(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(nullPrototypes);
  if (typeof v !== 'object' || v === null) return v;
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const [k, x] of Object.entries(v)) out[k] = nullPrototypes(x);
  return out;
}
