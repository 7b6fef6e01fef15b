// Field layouts of the structure ArgTypes, in declaration order (spec §3). Validation, the
// JSON and text spellings and the arbitraries all walk these lists.
import type { ScalarType } from './scalars.js';
import { didYouMean } from './didYouMean.js';

export interface FieldDesc {
  readonly name: string;
  readonly type: ScalarType;
}

/** VIDEO_REQUEST_PACKET. */
export const VRP_FIELDS: readonly FieldDesc[] = [
  { name: 'ioControlCode', type: 'u32' },
  { name: 'statusBlock', type: 'ptr' },
  { name: 'inputBuffer', type: 'ptr' },
  { name: 'inputBufferLength', type: 'u32' },
  { name: 'outputBuffer', type: 'ptr' },
  { name: 'outputBufferLength', type: 'u32' },
];

/** VP_DEVICE_DESCRIPTION. */
export const DEVDESC_FIELDS: readonly FieldDesc[] = [
  { name: 'scatterGather', type: 'bool' },
  { name: 'dma32BitAddresses', type: 'bool' },
  { name: 'dma64BitAddresses', type: 'bool' },
  { name: 'maximumLength', type: 'u32' },
];

/** One VP_SCATTER_GATHER_ELEMENT as a trace records it (Reserved omitted). */
export const SG_ELEMENT_FIELDS: readonly FieldDesc[] = [
  { name: 'address', type: 'u64' },
  { name: 'length', type: 'u32' },
];

/** Keys that would reach Object.prototype if copied naively; rejected everywhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** An object literal's kind: Object.prototype or null prototype (not an array, Map, Date...). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The first own or inherited enumerable key not in `allowed`, if any. */
export function unknownKey(raw: object, allowed: ReadonlySet<string>): string | undefined {
  for (const k in raw) if (!allowed.has(k)) return k;
  return undefined;
}

/**
 * The message for a key not in `known`: it names the one known key close to it, or else adds
 * `otherwise` (what belongs there), if given.
 */
export function unknownKeyMessage(
  key: string,
  what: string,
  known: Iterable<string> = [],
  otherwise?: string,
): string {
  if (FORBIDDEN_KEYS.has(key)) return `forbidden key ${JSON.stringify(key)}`;
  const near = didYouMean(key, known);
  const hint = near === '' && otherwise !== undefined ? ` (${otherwise})` : near;
  return `unknown ${what} ${JSON.stringify(key)}${hint}`;
}
