// `vpdma merge` of shards a night ran with --known: every shard read the same FILEs
// (mergeChecks.ts refuses shards that differ), so a signature one of them marked known is
// known to all. The merge reads the marks back, not the FILEs (which may be on another
// machine): what no shard showed it needs no mark for, and --history treats alike.
import type { KnownSignatures } from '../report/knownViolations.js';
import type { Shard } from './shardReport.js';

/** The known signatures the shards' reports marked, with --known as given; undefined without. */
export function knownOfShards(shards: readonly Shard[]): KnownSignatures | undefined {
  const from = shards[0]?.report.knownFrom;
  if (from === undefined) return undefined;
  const signatures = new Set<string>();
  const add = (known: boolean | undefined, signature: string | undefined): void => {
    if (known === true && signature !== undefined) signatures.add(signature);
  };
  for (const { report: r } of shards) {
    for (const v of [...r.corpus.violations, ...r.violations]) add(v.known, v.signature);
    for (const f of r.findings) add(f.known, f.signature);
    for (const c of r.reprosChanged ?? []) add(c.now.known, c.now.signature);
  }
  return { from, signatures };
}
