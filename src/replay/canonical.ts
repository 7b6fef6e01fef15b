// A string of plain data (bigint-aware), for cheap deep comparison of target states.
import { isUnchanging } from './unchanging.js';
import { canonicalPlain } from './plainData.js';

const memo = new WeakMap<object, string>();

/**
 * Memoized per object that cannot change (unchanging.ts): a target may hand back the same
 * frozen state while nothing changed. Anything else may have been changed in place since (a
 * frozen object's lists too): never memoized.
 */
export function canonical(value: unknown): string {
  if (typeof value === 'object' && value !== null && isUnchanging(value)) {
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
    const text = stringify(value);
    memo.set(value, text);
    return text;
  }
  return stringify(value);
}

/**
 * Bounded and guarded (canonicalPlain): a state that contains itself, nests too deep or throws
 * while read is the target failing, a TargetFault, not a stack overflow in the harness.
 */
function stringify(value: unknown): string {
  return JSON.stringify(canonicalPlain(value, 'state()'));
}
