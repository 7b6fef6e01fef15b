// The traces a night replays with all memory compared (--paranoid's checks) instead of the
// sampled ones: those whose clean replay must prove a memory-corrupted bug fixed
// (report/historyFixed.ts). Each earlier finding's repro of that kind (short: minimized), and
// each trace an open memory-corrupted bucket of the target holds in the history (its `traces`),
// until the bucket is fixed.
import type { History } from '../report/history.js';
import { needsFullCheck } from '../report/historyFixed.js';
import { historyTraceName } from './historyTraceName.js';
import { regressionSignature } from './regressionResults.js';

export function fullyCheckedFiles(
  files: readonly string[],
  history: History | undefined,
  target: string,
): Set<string> {
  const held = new Set<string>();
  for (const b of history?.buckets ?? [])
    if (b.target === target && b.fixedSince === undefined && needsFullCheck(b))
      for (const t of b.traces ?? []) held.add(t);
  return new Set(
    files.filter((f) => {
      // Another finding's repro can be a trace of such a bucket too (it fails first with it).
      const kind = regressionSignature(f)?.split('/')[0];
      return (kind !== undefined && needsFullCheck({ kind })) || held.has(historyTraceName(f));
    }),
  );
}
