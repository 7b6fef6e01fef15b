// Whether a target's state object can never change: the harness then knows the same object
// answered again is unchanged without reading it. Frozen at the top is not enough: a frozen
// object's lists may still be changed in place, and a frozen getter may answer anything.
import { plainDepthMax, plainValuesMax } from './plainData.js';

/**
 * Objects known never to change: deeply frozen, or the harness's own (`owned`). One set per
 * thread, not per copy of this module: a module target that wraps `createModelTarget` imports
 * the package, while the worker running it is a bundle with a copy of its own, and a state the
 * package's copy marked owned must be known to the bundle's guard (else every state answer
 * was copied afresh: the README's example target replayed 9 times slower).
 */
const known = ((globalThis as Record<symbol, unknown>)[Symbol.for('vpdma.unchanging')] ??=
  new WeakSet<object>()) as WeakSet<object>;

function plainContainer(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * v is a primitive, one of the harness's own states (`owned`), or a plain object or array that
 * is frozen, holds data properties only (no getters) and only values of which the same holds.
 * Typed arrays, maps and anything nested or sized beyond the plain-data limits are not.
 * Whatever a Proxy trap throws, the answer is no. Each object is walked once at most.
 */
export function isUnchanging(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return typeof v !== 'function';
  if (known.has(v)) return true;
  try {
    if (!deeplyFrozen(v, 0, { values: plainValuesMax })) return false;
  } catch {
    return false;
  }
  known.add(v);
  return true;
}

function deeplyFrozen(v: object, depth: number, budget: { values: number }): boolean {
  if (known.has(v)) return true;
  if (depth >= plainDepthMax || !plainContainer(v) || !Object.isFrozen(v)) return false;
  const descriptors = Object.getOwnPropertyDescriptors(v);
  for (const key of Reflect.ownKeys(descriptors)) {
    if (--budget.values < 0) return false;
    const d = descriptors[key as keyof typeof descriptors];
    if (d === undefined || !('value' in d)) return false;
    const x: unknown = d.value;
    if (typeof x === 'function') return false;
    if (typeof x === 'object' && x !== null && !deeplyFrozen(x, depth + 1, budget)) return false;
  }
  return true;
}

/**
 * A state the harness built and alone holds (the model target's, a process target's decoded
 * answer, the guard's copy of a deeply frozen answer), recorded as never changing. The object
 * and its lists are frozen so that no slip changes them; the entries are not, because freezing
 * each one cost a fifth of the replay's speed and nobody else can reach them.
 */
export function owned<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  for (const x of Object.values(v)) {
    // Bytes cannot be frozen (a TypeError): they are the harness's all the same.
    if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x)) Object.freeze(x);
  }
  known.add(Object.freeze(v));
  return v;
}
