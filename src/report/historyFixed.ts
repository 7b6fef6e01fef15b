// When a run marks an open bucket fixed (history.ts, "When is a bucket fixed?"): it saw
// everything that failed with it pass, or fail in a way that can no longer show it
// (historyShows.ts): its regression repro, if the run replayed one (one there must be when no
// trace showed it), and each of its traces.
//
// A memory-corrupted bucket asks more: with touched() the checks around an obsolete call read
// the bytes the target says it wrote, the memory the call's arguments name and a rotating
// sample (docs/checks.md), so a corruption elsewhere is caught only when the sample covers it,
// and one clean replay proves nothing. Its repro and traces vouch for the fix only when
// replayed with all memory compared (TraceEntry.paranoid: nightly replays such repros so).
import type { HistoryBucket, HistoryRun } from './history.js';
import { noLongerShows, reproNoLongerShows } from './historyShows.js';

/** Whether a clean replay of bucket `b` with sampled memory checks proves nothing (see above). */
export function needsFullCheck(b: Pick<HistoryBucket, 'kind'>): boolean {
  return b.kind === 'memory-corrupted';
}

/** Whether trace `t` of open bucket `b` no longer holds it open in `run`. */
export function traceGone(
  b: HistoryBucket,
  t: string,
  run: Pick<HistoryRun, 'tracesPassing' | 'failedTraces' | 'tracesFullyChecked'>,
): boolean {
  if (needsFullCheck(b) && run.tracesFullyChecked?.has(t) !== true) return false;
  return run.tracesPassing?.has(t) === true || noLongerShows(b, t, run.failedTraces?.get(t));
}

/**
 * What `run` says of open bucket `b` through its repro: 'gone' (it passed, or fails in a way
 * that can no longer show it), 'held' (replayed, and it can still show it: failing another
 * way first, before the bucket's call, say, or a memory-corrupted one replayed sampled), or
 * 'none' (not replayed, or failing as its finding did: history.ts sees it).
 */
export function reproVerdict(b: HistoryBucket, run: HistoryRun): 'gone' | 'held' | 'none' {
  const checked = !needsFullCheck(b) || run.reprosFullyChecked?.has(b.signature) === true;
  if (run.reprosChanged?.has(b.signature) === true) {
    const c = run.changedRepros?.get(b.signature);
    return checked && reproNoLongerShows(b, c?.at, c?.failed) ? 'gone' : 'held';
  }
  if (run.passing?.has(b.signature) === true) return checked ? 'gone' : 'held';
  return 'none';
}

/** Whether `run` marks open bucket `b` fixed (see above). */
export function passesNow(b: HistoryBucket, run: HistoryRun): boolean {
  if (!run.complete || b.fixedSince !== undefined) return false;
  const traces = b.traces ?? [];
  if (!traces.every((t) => traceGone(b, t, run))) return false;
  const repro = reproVerdict(b, run);
  return repro === 'gone' || (repro === 'none' && traces.length > 0);
}
