// The buckets a night leaves open without seeing them: no finding, no replayed trace failing
// with them, and not fixed (a trace that once failed with one fails first with another bug
// now, before it could show it again, say: report/historyShows.ts). Without a line of their own they would drop out of every report until fixed, and
// their JUnit test case with them (nightlySchema.ts StillOpen).
import { oneLine } from '../core/oneLine.js';
import type { HistoryUpdate } from '../report/history.js';
import { noLongerShows } from '../report/historyShows.js';
import type { StillOpen } from '../report/nightlySchema.js';
import type { Regressions } from './regressionResults.js';

/** Traces named in a reason at most; the rest are counted. */
const NAMED_MAX = 3;

function waitingText(w: StillOpen['waitingFor']): string {
  const each = w
    .slice(0, NAMED_MAX)
    .map((x) =>
      x.now === undefined
        ? `${oneLine(x.trace)} did not pass (not replayed, or stopped)`
        : `${oneLine(x.trace)} fails (now with ${x.now})`,
    );
  const more = w.length > NAMED_MAX ? `, and ${w.length - NAMED_MAX} more` : '';
  return `still open while ${each.join(', ')}${more}`;
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
    const waitingFor = (b.traces ?? [])
      .filter((t) => !replays.tracesPassing.has(t) && !noLongerShows(b, t, replays.failed.get(t)))
      .map((trace) => {
        // Failing, but judged by nothing: its violations were all known (--known).
        const now =
          replays.judged.get(trace) ??
          (replays.failed.has(trace) ? 'known violations only' : undefined);
        return now === undefined ? { trace } : { trace, now };
      });
    const why = ['not seen tonight'];
    if (replays.passing.has(b.signature)) why.push('its repro passed');
    else if (replays.changed.has(b.signature)) why.push('its repro fails another way ([changed])');
    else if (!replays.repros.has(b.signature)) why.push('no repro of it was replayed');
    if (waitingFor.length > 0) why.push(waitingText(waitingFor));
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
