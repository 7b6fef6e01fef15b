// Arbitraries of in-memory values for each ArgType, edge values weighted in.
import fc from 'fast-check';
import { HW_DEVICE_EXTENSION } from '../core/constants.js';
import type { ArgType } from '../model/callTypes.js';
import type { Struct, Value } from '../model/values.js';
import type { FieldDesc } from './structs.js';
import { DEVDESC_FIELDS, SG_ELEMENT_FIELDS, VRP_FIELDS } from './structs.js';

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function withEdges<T>(edges: readonly T[], any: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
    { weight: 3, arbitrary: any },
  );
}

function structArbitrary(fields: readonly FieldDesc[]): fc.Arbitrary<Struct> {
  const model: Record<string, fc.Arbitrary<Value>> = {};
  for (const f of fields) model[f.name] = valueArbitrary(f.type);
  return fc.record(model) as fc.Arbitrary<Struct>;
}

function scalarArbitrary(type: ArgType): fc.Arbitrary<Value> {
  switch (type) {
    case 'ptr':
    case 'u64':
      return withEdges([0n, 1n, U64_MAX, HW_DEVICE_EXTENSION], fc.bigInt(0n, U64_MAX));
    case 'u8':
      return withEdges([0, 255], fc.integer({ min: 0, max: 255 }));
    case 'u32':
      return withEdges([0, 0xffffffff, 0x1000], fc.integer({ min: 0, max: 0xffffffff }));
    case 'i32':
      return withEdges(
        [0, -1, -0x80000000, 0x7fffffff],
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      );
    case 'usize':
      return withEdges([0, Number.MAX_SAFE_INTEGER], fc.maxSafeNat());
    case 'i64':
      return withEdges(
        [I64_MIN, I64_MAX, -SAFE, SAFE, SAFE + 1n, -SAFE - 1n, -10000n],
        fc.bigInt(I64_MIN, I64_MAX),
      );
    case 'bool':
      return fc.boolean();
    case 'bytes':
      return fc.uint8Array({ maxLength: 24 });
    default:
      return fc.constant(0n);
  }
}

/** Any valid value of `type`, favouring the table's hint values when given. */
export function valueArbitrary(
  type: ArgType,
  hints: readonly (number | bigint | boolean)[] = [],
): fc.Arbitrary<Value> {
  let arb: fc.Arbitrary<Value>;
  if (type === 'vrp') arb = fc.oneof(fc.constant(0n), structArbitrary(VRP_FIELDS));
  else if (type === 'devdesc') arb = fc.oneof(fc.constant(0n), structArbitrary(DEVDESC_FIELDS));
  else if (type === 'sglist') arb = fc.array(structArbitrary(SG_ELEMENT_FIELDS), { maxLength: 4 });
  else arb = scalarArbitrary(type);
  return hints.length === 0 ? arb : withEdges(hints, arb);
}

/** A produced address or handle: NULL sometimes, else a plausible kernel address. */
const ADDRESS: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0n) },
  {
    weight: 6,
    arbitrary: fc.nat({ max: 0xfffff }).map((k) => 0xffffa00000000000n + BigInt(k) * 0x1000n),
  },
);

/** Values for a result that `produces`: addresses for pointers, elements with addresses. */
export function producedArbitrary(type: ArgType): fc.Arbitrary<Value> {
  if (type === 'ptr' || type === 'u64') return ADDRESS;
  if (type === 'sglist') {
    const el = fc.record({ address: ADDRESS, length: fc.integer({ min: 0, max: 0x10000 }) });
    return fc.array(el, { maxLength: 4 });
  }
  return valueArbitrary(type);
}
