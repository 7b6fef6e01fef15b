// What `vpdma nightly` does not minimize again: the findings an earlier night left in
// OUT/findings whose --history bucket is open and whose repro failed the way it did in this
// night's replay (phase 1). The fuzzer reports such a finding with the repro it has
// (fuzz/knownFindings.ts), so OUT/findings keeps the same repro night after night, and no
// minimizing time goes to a bug already known.
import { join } from 'node:path';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { minimizedFindingIn } from './findingFiles.js';
import type { HistoryFile } from './nightlyHistory.js';

/**
 * By signature, the earlier findings not to minimize again: `stillFailing` (their repros failed
 * as they did tonight) whose bucket of `target` in the history is open, read from their
 * finding.json; one that cannot be read is minimized as any other. None without --history
 * (every finding is new) or for a shard (the merge chooses findings over all shards).
 */
export async function knownRepros(
  out: string,
  file: HistoryFile | undefined,
  target: string,
  stillFailing: ReadonlySet<string>,
  settings: Pick<FuzzSettings, 'target' | 'profile' | 'timeoutMs' | 'rssLimitMb' | 'workerHeapMb'>,
  sharded: boolean,
): Promise<Map<string, ReportFinding>> {
  const known = new Map<string, ReportFinding>();
  if (file === undefined || sharded) return known;
  for (const b of file.history.buckets) {
    const open = b.fixedSince === undefined && b.signatureScheme === undefined;
    if (b.target !== target || !open || !stillFailing.has(b.signature)) continue;
    const dir = join(out, 'findings', ...b.signature.split('/'));
    const entry = await minimizedFindingIn(dir, b.signature, settings);
    if (entry !== undefined) known.set(b.signature, entry);
  }
  return known;
}
