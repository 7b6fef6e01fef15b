// Invariant checks for harness bugs. User-facing failures are values, never these.

const brand = Symbol.for('vpdma.InvariantError');

export class InvariantError extends Error {
  readonly [brand] = true;
  override readonly name = 'InvariantError';
  /** Survives structured clone and duplicate module copies, unlike instanceof. */
  static is(e: unknown): e is InvariantError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

export function unreachable(value: never, what: string): never {
  throw new InvariantError(`unreachable ${what}: ${String(value)}`);
}
