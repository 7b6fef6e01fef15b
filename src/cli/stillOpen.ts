// The buckets a night leaves open without seeing them: no finding, no replayed trace failing
// with them, and not fixed (a trace that once failed with one fails first with another bug
// now, before it could show it again, say: report/historyShows.ts). Without a line of their own they would drop out of every report until fixed, and
// their JUnit test case with them (nightlySchema.ts StillOpen).
import { oneLine } from '../core/oneLine.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import type { HistoryBucket, HistoryUpdate } from '../report/history.js';
import { needsFullCheck, traceGone } from '../report/historyFixed.js';
import { reproNoLongerShows } from '../report/historyShows.js';
import type { StillOpen } from '../report/nightlySchema.js';
import { historyTraceName } from './historyTraceName.js';
import type { Regressions } from './regressionResults.js';

/** Traces named in a reason at most; the rest are counted. */
const NAMED_MAX = 3;

/** Said of a memory-corrupted bucket's repro or trace that passed with sampled checks. */
const SAMPLED = 'with memory sampled, not all compared';

function waitingText(w: StillOpen['waitingFor'], passed: (trace: string) => boolean): string {
  const each = w
    .slice(0, NAMED_MAX)
    .map((x) =>
      x.now !== undefined
        ? `${oneLine(x.trace)} fails (now with ${x.now})`
        : passed(x.trace)
          ? `${oneLine(x.trace)} passed ${SAMPLED}`
          : `${oneLine(x.trace)} did not pass (not replayed, or stopped)`,
    );
  const more = w.length > NAMED_MAX ? `, and ${w.length - NAMED_MAX} more` : '';
  return `still open while ${each.join(', ')}${more}`;
}

/** What its repro said of open bucket `b` tonight, for people ('' for nothing). */
function reproWhy(b: HistoryBucket, replays: Regressions): string {
  const repro = replays.repros.get(b.signature);
  if (repro === undefined) return 'no repro of it was replayed';
  const name = historyTraceName(repro);
  const sampled = needsFullCheck(b) && !replays.fullyChecked.has(name);
  if (replays.passing.has(b.signature))
    return sampled ? `its repro passed ${SAMPLED}` : 'its repro passed';
  const c = replays.changed.get(b.signature);
  if (c === undefined) return '';
  const at = replays.changedAt.get(b.signature);
  const failed = replays.failed.get(name);
  const now = signatureOfViolation(c.now);
  // The call its finding failed at, never reached (or not answered) tonight: masked.
  if (at !== undefined && failed !== undefined && !reproNoLongerShows(b, at, failed)) {
    const where =
      failed.stoppedAt < at
        ? `at call ${failed.stoppedAt}, before call ${at} where its finding failed`
        : `at call ${at}, where its finding failed, which gave no answer to check`;
    return `its repro fails another way ([changed]), masked: first with ${now} ${where}`;
  }
  if (at !== undefined && failed !== undefined && sampled)
    return `its repro fails another way ([changed]), ${SAMPLED}`;
  return 'its repro fails another way ([changed])';
}

/** The buckets of `target` that `u` leaves open and that nothing showed, sorted by signature. */
export function stillOpenOf(
  u: HistoryUpdate,
  target: string,
  replays: Regressions,
  complete: boolean,
): StillOpen[] {
  const list: StillOpen[] = [];
  for (const b of u.history.buckets) {
    if (b.target !== target || b.fixedSince !== undefined) continue;
    // Seen, though known (--known): listed as known where it showed, not as unseen.
    if (u.statuses.has(b.signature) || u.replayed.has(b.signature) || u.held.has(b.signature))
      continue;
    const run = {
      tracesPassing: replays.tracesPassing,
      failedTraces: replays.failed,
      tracesFullyChecked: replays.fullyChecked,
    };
    const waitingFor = (b.traces ?? [])
      .filter((t) => !traceGone(b, t, run))
      .map((trace) => {
        // Failing, but judged by nothing: its violations were all known (--known).
        const now =
          replays.judged.get(trace) ??
          (replays.failed.has(trace) ? 'known violations only' : undefined);
        return now === undefined ? { trace } : { trace, now };
      });
    const why = ['not seen tonight'];
    const repro = reproWhy(b, replays);
    if (repro !== '') why.push(repro);
    if (waitingFor.length > 0)
      why.push(waitingText(waitingFor, (t) => replays.tracesPassing.has(t)));
    // Interrupted, one shard, or a target that could not be set up: nothing is marked fixed.
    else if (!complete) why.push('this night marks nothing fixed (interrupted, or one shard)');
    list.push({
      signature: b.signature,
      kind: b.kind,
      fn: b.fn,
      firstSeen: b.firstSeen,
      lastSeen: b.lastSeen,
      waitingFor,
      why: why.join('; '),
    });
  }
  return list.sort((a, b) => (a.signature < b.signature ? -1 : 1));
}
