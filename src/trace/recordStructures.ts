// Checks on the record-structure list a .vpt call frame carries (layout: codec.ts), before it
// reaches msgpackr: a bounded array of bounded arrays of plain key strings.
import { FORBIDDEN_KEYS } from './structs.js';

const keysMax = 256;
const keyLengthMax = 256;

/** The list as string arrays, or a message saying what is wrong with it. */
export function checkStructures(raw: unknown, max: number): string[][] | string {
  if (!Array.isArray(raw)) return 'record structures are not a list';
  if (raw.length > max) return `more than ${max} record structures`;
  for (let i = 0; i < raw.length; i++) {
    const s: unknown = raw[i];
    if (!Array.isArray(s) || s.length > keysMax) {
      return `record structure ${i} is not a list of at most ${keysMax} keys`;
    }
    for (const k of s) {
      if (typeof k !== 'string' || k.length > keyLengthMax || FORBIDDEN_KEYS.has(k)) {
        return `record structure ${i} has a bad key`;
      }
    }
    // A repeated key would let one record carry two values for a field, the last one winning.
    if (s.length > 1 && new Set(s).size !== s.length) {
      return `record structure ${i} repeats a key`;
    }
  }
  return raw as string[][];
}

export function sameStructure(a: readonly string[], b: readonly string[] | undefined): boolean {
  if (b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
