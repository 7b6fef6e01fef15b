// The fuzz report of a night's shards merged (fuzz/mergeReports.ts), with the warnings the
// merged run says anew rather than as one shard's: --budget-replay's (merge names the traces
// no shard replayed) and what the target left unchecked (summed over the shards' cases, as the
// unsharded night says it); and the merge's own warnings, for stderr.
import { mergeFuzzReports, shardWarnings } from '../fuzz/mergeReports.js';
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import { FUZZ_DEFAULTS } from '../fuzz/fuzzDefaults.js';
import { notReplayedWarning } from '../report/nightlyBuild.js';
import { campaignWarnings } from './closeWarning.js';
import type { Shard } from './shardReport.js';

/**
 * The shards' fuzz reports merged, and what the merge has to say that no shard said (each
 * shard printed its own, the target's included: that is not said again).
 */
export function mergeShardFuzz(shards: readonly Shard[]): { fuzz: FuzzReport; said: string[] } {
  const details = shards.map(withoutOwnWarnings);
  // The lowest-indexed cases of each group, as many as each shard minimized (checkCompatible).
  const perGroup = details[0]?.reprosPerKind ?? FUZZ_DEFAULTS.reprosPerKind;
  const merged = mergeFuzzReports(details, perGroup);
  const known = new Set(shardWarnings(details));
  const said = merged.warnings.filter((w) => !known.has(w));
  const target = campaignWarnings(merged.unchecked ?? {}, merged.target);
  return { fuzz: { ...merged, warnings: [...merged.warnings, ...target] }, said };
}

/**
 * A shard's fuzzDetail without the warning its --budget-replay added (nightlyBuild.ts): the
 * traces one shard left out, another may have replayed; the merged report says which none did.
 * Without its target's warnings either: the merged run's are its shards' `unchecked` summed.
 */
function withoutOwnWarnings(s: Shard): FuzzReport {
  const d = s.report.fuzzDetail;
  const { budgetReplay, notReplayed } = s.report.corpus;
  const own = new Set(campaignWarnings(d.unchecked ?? {}, d.target));
  if (budgetReplay !== undefined && notReplayed !== undefined && notReplayed.length > 0)
    own.add(notReplayedWarning(budgetReplay, notReplayed));
  return own.size === 0 ? d : { ...d, warnings: d.warnings.filter((w) => !own.has(w)) };
}
