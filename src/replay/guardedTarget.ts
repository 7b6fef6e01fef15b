// A module target (untrusted JavaScript in the harness's own thread) behind one guard: each
// method is read once, each answer is settled (a thenable awaited, as `await` would), timed
// and copied into plain values once, and whatever the target throws along the way becomes a
// TargetFault naming the method. The harness then reads only values of its own. The model,
// mutant and process targets are the harness's own code and are not wrapped: their answers
// cost nothing extra.
import { isUnchanging, owned } from './unchanging.js';
import { describeThrown, TargetFault, withTimeout } from './callTarget.js';
import { harnessTarget, ownArgs, withInPlaceWrites } from './argsInPlace.js';
import { ownBytes, plainCopy } from './plainData.js';
import { edgesFromModule } from './targetCoverage.js';
import type { CallOutcome, Target, TargetState, TouchedRanges, TraceCallIn } from './target.js';

type Method = (this: unknown, ...args: never[]) => unknown;

/** A method of the target, called with the target as `this`. */
function invoke(f: Method, self: unknown, args: readonly unknown[]): unknown {
  return Reflect.apply(f as (...a: unknown[]) => unknown, self, args);
}

/**
 * A fault for a throw or rejection of the target, in the words callTargetMaybe and
 * targetAnswers.ts use; `reported` for a read, where a throw is how a target says the memory
 * is not mapped (see memory.ts unreadable).
 */
function threw(a: Ask<unknown>, e: unknown): TargetFault {
  const who = a.isCall === true ? `${a.what}: the target` : a.what;
  return new TargetFault(`${who} threw ${describeThrown(e)}`, false, a.reported === true);
}

/** Whether v is a promise or a thenable; reads `then`, so only inside a guard. */
function isThenable(v: unknown): boolean {
  return (
    v instanceof Promise ||
    (((typeof v === 'object' && v !== null) || typeof v === 'function') &&
      typeof (v as { then?: unknown }).then === 'function')
  );
}

interface Ask<T> {
  /** For messages: `VideoPortX`, `read() of 16 bytes at 0x1000`, `state()`. */
  readonly what: string;
  readonly ask: () => unknown;
  /** The answer made plain and checked; throws TargetFault only. */
  readonly check: (v: unknown) => T;
  /** Rejects after this long (none for call: callTargetMaybe times it). */
  readonly timeoutMs?: number;
  readonly reported?: boolean;
  readonly isCall?: boolean;
}

function answer<T>(a: Ask<T>): T | Promise<T> {
  let got: unknown;
  try {
    got = a.ask();
  } catch (e) {
    throw threw(a, e);
  }
  let thenable: boolean;
  try {
    thenable = isThenable(got);
  } catch (e) {
    const who = a.isCall === true ? `${a.what}: the target` : a.what;
    throw new TargetFault(`${who} answered a value that could not be read: ${describeThrown(e)}`);
  }
  if (!thenable) return a.check(got);
  // A native promise of our own, whatever `got` is: resolving with it runs its `then` (or
  // a throwing getter of it) as a job, whose throw becomes this promise's rejection.
  const settled = new Promise<unknown>((resolve) => resolve(got)).then(a.check, (e: unknown) => {
    throw threw(a, e);
  });
  return a.timeoutMs === undefined ? settled : withTimeout(settled, a.timeoutMs, a.what);
}

function outcomeOf(fn: string): (v: unknown) => CallOutcome {
  // The shape (null, a number, a wrong type) is callTargetMaybe's checkShape's to judge.
  return (v) => plainCopy(v, `${fn}: the target`) as CallOutcome;
}

function bytesOf(): (v: unknown) => Uint8Array | undefined {
  return (v) => {
    if (v === undefined) return undefined;
    let bytes: Uint8Array | undefined;
    try {
      bytes = ownBytes(v);
    } catch (e) {
      throw new TargetFault(`read(): its answer could not be read: ${describeThrown(e)}`);
    }
    // Anything else (the wrong length, an Array) memory.ts checkRead reports as garbage.
    return bytes ?? (plainCopy(v, 'read(): the target') as Uint8Array);
  };
}

/**
 * `copy`, but the same copy again for the same deeply frozen object: a target that answers
 * state() with one frozen object while nothing changed (as the model target does) keeps the
 * harness's comparison of it O(1), instead of a deep copy and a deep comparison of every live
 * object around every obsolete call (27 times slower over the replay benchmark's traces). An
 * object frozen only at the top may have had its lists changed in place: copied afresh.
 */
function lastCopy<T extends object>(copy: (v: unknown) => T): (v: unknown) => T {
  let last: { readonly raw: unknown; readonly copy: T } | undefined;
  return (v) => {
    if (last !== undefined && v === last.raw) return last.copy;
    const c = copy(v);
    // Unchanging as the answer was: the same object again is how the comparison
    // (inertCheck.ts stateChanged) knows without reading it that nothing changed.
    if (!isUnchanging(v)) return c;
    last = { raw: v, copy: owned(c) };
    return last.copy;
  };
}

/** coverage()'s answer as ids of our own; a getter or Proxy trap that throws is a TargetFault. */
function moduleEdges(v: unknown): Uint32Array {
  try {
    return edgesFromModule(v);
  } catch (e) {
    if (TargetFault.is(e)) throw e;
    throw new TargetFault(`coverage(): its answer could not be read: ${describeThrown(e)}`);
  }
}

/** The target's methods, each read once (a getter or Proxy trap may throw: a TargetFault). */
function methodsOf(
  t: object,
): Record<'call' | 'read' | 'state' | 'touched' | 'coverage' | 'close', unknown> {
  try {
    const m = t as Record<string, unknown>;
    return {
      call: m['call'],
      read: m['read'],
      state: m['state'],
      touched: m['touched'],
      coverage: m['coverage'],
      close: m['close'],
    };
  } catch (e) {
    throw new TargetFault(`the factory's target could not be read: ${describeThrown(e)}`);
  }
}

/** t behind the guard; TargetFault if it has no call or read function. */
export function guardTarget(t: unknown, timeoutMs: number): Target {
  if (typeof t !== 'object' || t === null)
    throw new TargetFault('the factory returned no target (an object with call and read)');
  const m = methodsOf(t);
  if (typeof m.call !== 'function')
    throw new TargetFault('the factory returned no target (an object with call and read)');
  if (typeof m.read !== 'function')
    throw new TargetFault('the factory returned a target without a read function');
  const call = m.call as Method;
  const read = m.read as Method;
  const g: Target = {
    call: (c: TraceCallIn) => {
      // Its own copy of the arguments: see argsInPlace.ts.
      const given = { fn: c.fn, args: ownArgs(c.args) };
      const plain = outcomeOf(c.fn);
      return answer({
        what: c.fn,
        ask: () => invoke(call, t, [given]),
        check: (v) => withInPlaceWrites(c.fn, c.args, given.args, plain(v)),
        isCall: true,
      });
    },
    read: (address: bigint, length: number) =>
      answer({
        what: `read() of ${length} bytes at 0x${address.toString(16)}`,
        ask: () => invoke(read, t, [address, length]),
        check: bytesOf(),
        timeoutMs,
        reported: true,
      }) as Uint8Array | Promise<Uint8Array>,
  };
  if (typeof m.state === 'function') {
    const state = m.state as Method;
    const copied = lastCopy((v) => plainCopy(v, 'state()') as TargetState);
    g.state = () =>
      answer({ what: 'state()', ask: () => invoke(state, t, []), check: copied, timeoutMs });
  }
  if (typeof m.touched === 'function') {
    const touched = m.touched as Method;
    g.touched = () =>
      answer({
        what: 'touched()',
        ask: () => invoke(touched, t, []),
        check: (v) => plainCopy(v, 'touched()') as TouchedRanges,
        timeoutMs,
      });
  }
  if (typeof m.coverage === 'function') {
    const coverage = m.coverage as Method;
    g.coverage = () =>
      answer({
        what: 'coverage()',
        ask: () => invoke(coverage, t, []),
        check: moduleEdges,
        timeoutMs,
      });
  }
  if (typeof m.close === 'function') {
    const close = m.close as Method;
    // After the trace's result: a close that fails or hangs has nothing left to spoil, but the
    // user is told (sessions.ts release): a TargetFault naming it, as for the other methods.
    g.close = () =>
      withTimeout(
        new Promise<unknown>((resolve) => resolve(invoke(close, t, []))),
        timeoutMs,
        'close()',
      ).then(
        () => undefined,
        (e: unknown) => {
          throw TargetFault.is(e) ? e : new TargetFault(`close() threw ${describeThrown(e)}`);
        },
      );
  }
  // It copies the arguments itself: the Replayer need not (withOwnArgs).
  return harnessTarget(g);
}
