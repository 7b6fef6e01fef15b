// The history's verdicts beyond the findings, as the nightly summary lists them: what was
// fixed, the earlier findings seen again through a replayed trace (regressed, or still
// failing), and the repros that fail another way than their finding did.
import { oneLine } from '../core/oneLine.js';
import type { NightlyReport } from '../report/nightlySchema.js';
import { regressionSignature } from './regressionResults.js';

/**
 * ", 2 regressed by a replayed trace, 1 open but not seen" for the findings line ('' when
 * none of either).
 */
export function replayedCount(r: NightlyReport): string {
  const n = (r.regressedByReplay ?? []).length;
  const open = (r.stillOpen ?? []).length;
  return `${n === 0 ? '' : `, ${n} regressed by a replayed trace`}${open === 0 ? '' : `, ${open} open but not seen`}`;
}

/**
 * One line each: fixed (with its dates), regressed by a replay, open though nothing showed it,
 * still failing, a repro that fails another way.
 */
export function replayedLines(r: NightlyReport): string[] {
  const regressed = r.regressedByReplay ?? [];
  const named = new Set(regressed.map((x) => x.signature));
  // An earlier finding's repro failing with a --known signature: said so.
  const known = new Set(
    r.corpus.violations.filter((v) => v.known === true).map((v) => v.signature),
  );
  return [
    ...r.fixed.map(
      (x) => `  [fixed] ${x.signature} (first seen ${x.firstSeen}, last seen ${x.lastSeen})`,
    ),
    ...regressed.map((x) => {
      const since = x.fixedSince === undefined ? '' : ` (fixed since ${x.fixedSince})`;
      const how =
        regressionSignature(x.trace) === x.signature
          ? 'its regression repro failed again'
          : `${oneLine(x.trace)} failed with it first`;
      return `  [regressed] ${x.signature}: ${how}${since}`;
    }),
    ...(r.stillOpen ?? []).map((x) => `  [open] ${x.signature}: ${x.why}`),
    ...r.stillFailing
      .filter((s) => !named.has(s))
      .map(
        (s) =>
          `  [still failing] ${s}${known.has(s) ? ' (known)' : ''}: its regression repro from an earlier run failed again`,
      ),
    ...(r.reprosChanged ?? []).map(
      (c) =>
        `  [changed] repro of ${c.signature} now fails with ${c.now.signature} [${c.now.known === true ? 'known' : c.now.status}]: ${c.now.kind} in ${c.now.fn} at call ${c.now.callIndex}: ${oneLine(c.now.message)}`,
    ),
  ];
}
