// Whether a replayed trace that failed tonight could still show a bucket it once failed first
// with: if not, it no longer holds that bucket open (history.ts passesNow, cli/stillOpen.ts).
// Without this, a trace that now fails first with another bug (a documented divergence that
// never goes away, say) would keep a fixed bug open for ever, and its regression test would
// call the bug's return "known".
//
// A trace no longer shows a bucket when none of tonight's listed violations has its signature
// and either
//   - the bucket is of an obsolete-call kind (INERTNESS_KINDS), whose checks compare the target
//     with itself and so hold after the oracle has stopped being compared (docs/checks.md), and
//     the trace was replayed to its end with every violation of that kind listed; or
//   - the trace got past the call where it last showed the bucket (the bucket's `shownAt`):
//     tonight it failed first, and the oracle and the recorded values stopped being compared,
//     only at later calls. Histories written before `shownAt` hold none: such a trace still
//     holds its bucket open, as it did then.
// A trace that stopped before (crashed, timed out, cut short) or was not replayed holds it open.
//
// A bucket's own regression repro that fails another way (reprosChanged) is judged so too, its
// call being the one its finding failed at (finding.json's callIndex), with one more case: a
// repro whose first failure is at that very call, answered and compared, with none of the
// bucket's signature among its violations there (the fix brought another bug to that call) no
// longer shows it either. A repro that fails first before that call, or whose call there gave
// no answer (a crash, a timeout), cannot tell: the bucket stays open, masked by that failure.
import { INERTNESS_KINDS, type ViolationKind } from '../replay/violation.js';
import type { HistoryBucket } from './history.js';

/** What a replayed trace that failed tonight showed (HistoryRun.failedTraces). */
export interface FailedTrace {
  /** The signatures of its violations the report lists. */
  readonly signatures: ReadonlySet<string>;
  /**
   * The first call at which it failed, the oracle or the recorded values stopped being
   * compared, or its replay stopped: every call before it was compared and agreed.
   */
  readonly stoppedAt: number;
  /** The call of its first listed violation. */
  readonly firstAt: number;
  /** The calls the target answered (a crash or timeout at call N: N). */
  readonly calls: number;
  /** Replayed to its last call (no crash, timeout, damage or interrupt). */
  readonly toEnd: boolean;
  /** Kinds of which some violations are not listed (past the report's cap). */
  readonly unlistedKinds: ReadonlySet<string>;
}

/** One trace as two runs (shards) saw it fail: what both say, at most. */
export function bothFailed(a: FailedTrace, b: FailedTrace): FailedTrace {
  return {
    signatures: new Set([...a.signatures, ...b.signatures]),
    stoppedAt: Math.min(a.stoppedAt, b.stoppedAt),
    firstAt: Math.min(a.firstAt, b.firstAt),
    calls: Math.min(a.calls, b.calls),
    toEnd: a.toEnd && b.toEnd,
    unlistedKinds: new Set([...a.unlistedKinds, ...b.unlistedKinds]),
  };
}

/** Whether failing trace `trace`, as tonight showed it (`t`), can no longer show bucket `b`. */
export function noLongerShows(
  b: Pick<HistoryBucket, 'signature' | 'kind' | 'shownAt'>,
  trace: string,
  t: FailedTrace | undefined,
): boolean {
  if (t === undefined || t.signatures.has(b.signature)) return false;
  if (INERTNESS_KINDS.has(b.kind as ViolationKind) && t.toEnd && !t.unlistedKinds.has(b.kind))
    return true;
  const at = b.shownAt?.[trace];
  return at !== undefined && t.stoppedAt > at;
}

/**
 * Whether bucket `b`'s own repro, failing another way tonight (`t`), no longer shows it, `at`
 * being the call its finding failed at (see above); undefined `at` (no finding.json) cannot.
 */
export function reproNoLongerShows(
  b: Pick<HistoryBucket, 'signature' | 'kind'>,
  at: number | undefined,
  t: FailedTrace | undefined,
): boolean {
  if (at === undefined || t === undefined || t.signatures.has(b.signature)) return false;
  const repro = 'repro';
  if (noLongerShows({ ...b, shownAt: { [repro]: at } }, repro, t)) return true;
  return t.stoppedAt === at && t.firstAt === at && t.calls > at && !t.unlistedKinds.has(b.kind);
}
