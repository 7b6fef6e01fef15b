// `vpdma minimize` for a target built in code (the library's): the same violation picked, the
// same "fails the same way", the same passes (shrinkTrace), so a target gives the repro the
// command gives. Candidates replay one at a time in this thread, each against a fresh target
// from the caller's factory behind the guard a module target has (a copy of the arguments,
// answers checked, a factory or close() that throws or never settles a fault, not a hang),
// closed after its replay; between candidates the event loop gets a turn, so an abort from a
// timer or a signal handler is heard even when the target is synchronous.
import { describe } from '../model/calls.js';
import { profileOf, resolveDevice, type Profile } from '../model/device.js';
import { TargetFault } from '../replay/callTarget.js';
import { factorySession } from '../replay/sessions.js';
import { VIOLATION_KINDS } from '../replay/violation.js';
import type { ReplayOptions, ReplayResult } from '../replay/replayTypes.js';
import { replayTrace } from '../replay/replayTrace.js';
import { findFailure, pickViolation, signatureOf } from '../replay/stillFails.js';
import type { Target } from '../replay/target.js';
import type { Violation, ViolationKind } from '../replay/violation.js';
import type { Trace } from '../trace/trace.js';
import { DEFAULT_ATTEMPTS } from './minimizeJob.js';
import { reproOf, shrinkTrace } from './shrinkTrace.js';

export interface MinimizeTraceOptions {
  /** The violation to keep (default: the first of the trace's replay). */
  readonly kind?: ViolationKind;
  readonly fn?: string;
  /** Candidates to try at most, over all rounds (default 10,000, as the command). */
  readonly attemptsMax?: number;
  /** For every replay; its `profile` also goes into the repro's header. */
  readonly replay?: ReplayOptions;
  /** Aborting ends the search with the shortest repro found so far. */
  readonly signal?: AbortSignal;
}

export type MinimizeTraceResult =
  /** The trace's replay shows no violation (of `kind` and `fn`, when given). */
  | { readonly outcome: 'passes'; readonly replay: ReplayResult }
  /** `makeTarget` gave no target for the first replay (it threw, or answered no target). */
  | { readonly outcome: 'cannot-start'; readonly error: string }
  | {
      readonly outcome: 'minimized';
      /**
       * The repro: it still fails as `violation` did, unless `reproduced` is false. Its
       * header's `meta.minimized` says what it was minimized from (calls, kind, fn), and a
       * `meta.description` says so before the original's text (reproOf).
       */
      readonly trace: Trace;
      /** The violation kept, as the original trace showed it. */
      readonly violation: Violation;
      /** The repro's replay shows it again (false: the target is flaky). */
      readonly reproduced: boolean;
      readonly attempts: number;
      /** The attempt budget ran out: the repro may not be 1-minimal. */
      readonly exhausted: boolean;
      readonly aborted: boolean;
    };

/**
 * Shrinks a failing trace (valid, as the readers make it: see replayTrace) to a short repro
 * that fails the same way: the same violation kind in the same function. `makeTarget` is
 * called for every replay and must give a target that remembers nothing of earlier ones. The
 * target's failures are values, as in replayTrace; a factory that throws rejects.
 */
export async function minimizeTrace(
  trace: Trace,
  makeTarget: () => Target | Promise<Target>,
  options: MinimizeTraceOptions = {},
): Promise<MinimizeTraceResult> {
  checkOptions(options);
  const replay = options.replay ?? {};
  // The repro records the profile it was minimized under, so replaying it needs no option.
  const profile: Profile = profileOf(trace.header, replay.profile);
  const start: Trace = { header: { ...trace.header, profile }, calls: trace.calls };
  const session = factorySession(
    () => Promise.resolve(makeTarget()),
    replay.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
  );
  const device = resolveDevice(trace.header.device);
  const run = async (t: Trace): Promise<ReplayResult | TargetFault> => {
    await new Promise<void>((r) => setImmediate(r));
    let target;
    try {
      target = await session.open(device, profile);
    } catch (e) {
      if (TargetFault.is(e)) return e;
      throw e;
    }
    try {
      return await replayTrace(t.header, t.calls, target, { ...replay, profile });
    } finally {
      await session.release(target, false);
    }
  };
  const first = await run(start);
  if (TargetFault.is(first)) return { outcome: 'cannot-start', error: first.message };
  const v = pickViolation(first, options);
  if (v === undefined) return { outcome: 'passes', replay: first };
  const sig = signatureOf(v);
  const fails = (r: ReplayResult | TargetFault): boolean =>
    !TargetFault.is(r) && findFailure(r, sig) !== undefined;
  const stillFails = async (cands: readonly Trace[]): Promise<boolean[]> => {
    const out: boolean[] = [];
    for (const c of cands) out.push(fails(await run(c)));
    return out;
  };
  const r = await shrinkTrace(start, v, stillFails, {
    attemptsMax: options.attemptsMax ?? DEFAULT_ATTEMPTS,
    batchSize: 1,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const repro = reproOf(r.trace, v, { calls: trace.calls.length });
  const again = await run(repro);
  return {
    outcome: 'minimized',
    trace: repro,
    violation: v,
    reproduced: fails(again),
    attempts: r.attempts,
    exhausted: r.exhausted,
    aborted: r.aborted,
  };
}

/** As replayTrace's default: a call whose promise does not settle within it is a hang. */
const DEFAULT_CALL_TIMEOUT_MS = 5000;

/** Options the command would refuse as usage errors: a TypeError or RangeError naming them. */
function checkOptions(o: MinimizeTraceOptions): void {
  if (o.kind !== undefined && !(VIOLATION_KINDS as readonly string[]).includes(o.kind))
    throw new RangeError(`kind: unknown violation kind "${String(o.kind)}"`);
  if (o.fn !== undefined && describe(o.fn) === undefined)
    throw new RangeError(`fn: unknown function "${o.fn}"`);
  const n = o.attemptsMax;
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 1))
    throw new RangeError(`attemptsMax: expected a whole number >= 1, got ${String(n)}`);
}
