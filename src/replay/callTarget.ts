// Calling a target safely: whatever it throws or returns, the harness gets a value or a
// TargetFault (a branded error that survives structured clone across the worker boundary).
import type { CallOutcome } from '../model/values.js';
import type { Target, TraceCallIn } from './target.js';

const brand = Symbol.for('vpdma.TargetFault');

/** Target-supplied text in a fault (an error string, a garbage value) is cut to this. */
const messageCharsMax = 1000;

export class TargetFault extends Error {
  readonly [brand] = true;
  override readonly name = 'TargetFault';
  /**
   * @param timeout it did not answer in time
   * @param reported the target itself answered with an error (alive and well: for a read,
   *   that is how it says the memory is not mapped), not a crash, hang or garbage
   */
  constructor(
    message: string,
    readonly timeout = false,
    readonly reported = false,
  ) {
    super(
      message.length <= messageCharsMax
        ? message
        : `${message.slice(0, messageCharsMax)}... (${message.length} characters in all)`,
    );
  }
  static is(e: unknown): e is TargetFault {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
  }
}

/** What a target threw, for a message: `Name: message`, or the thrown value as text. */
export function describeThrown(e: unknown): string {
  if (TargetFault.is(e)) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function checkShape(fn: string, o: unknown): CallOutcome {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object')
    throw new TargetFault(`${fn}: the target answered ${typeof o}, not an outcome object`);
  const r = o as Record<string, unknown>;
  const out = r['out'];
  if (out !== undefined && (typeof out !== 'object' || out === null))
    throw new TargetFault(`${fn}: the target's out is not an object`);
  return o;
}

/** Rejects with a timeout fault if p does not settle within ms. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new TargetFault(`${what}: no answer within ${ms} ms`, true)),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Synchronous for a synchronous target; throws (or rejects with) TargetFault. */
export function callTargetMaybe(
  target: Target,
  call: TraceCallIn,
  timeoutMs = 5000,
): CallOutcome | Promise<CallOutcome> {
  let r: unknown;
  try {
    r = target.call(call);
  } catch (e) {
    throw TargetFault.is(e)
      ? e
      : new TargetFault(`${call.fn}: the target threw ${describeThrown(e)}`);
  }
  if (!(r instanceof Promise)) return checkShape(call.fn, r);
  return withTimeout(r, timeoutMs, call.fn).then(
    (v) => checkShape(call.fn, v),
    (e: unknown) => {
      throw TargetFault.is(e)
        ? e
        : new TargetFault(`${call.fn}: the target threw ${describeThrown(e)}`);
    },
  );
}

export async function callTarget(
  target: Target,
  call: TraceCallIn,
  timeoutMs = 5000,
): Promise<CallOutcome> {
  try {
    const r = target.call(call);
    return checkShape(call.fn, r instanceof Promise ? await withTimeout(r, timeoutMs, call.fn) : r);
  } catch (e) {
    if (TargetFault.is(e)) throw e;
    throw new TargetFault(`${call.fn}: the target threw ${describeThrown(e)}`);
  }
}
