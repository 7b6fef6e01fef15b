// Which failing corpus traces a night minimizes: for each kind and function of a trace's first
// violation (the one the summary shows and `vpdma minimize` keeps by default), the shortest
// trace failing so, the first replayed among equals. Not a trace the target never started for,
// nor one that is a repro already: an earlier finding's (OUT/findings) or one whose meta says
// `minimized`. Sharded, each signature is minimized by one shard alone, chosen from the
// signature itself (not from which others failed), so shards that disagree about another trace
// still agree about this one, and a merge gets each repro once. Under --known a trace is
// planned by its first violation not known, and one with only known ones not at all.
import { signatureOfViolation } from '../fuzz/findings.js';
import type { Shard } from '../fuzz/shard.js';
import type { ItemResult } from '../replay/protocol.js';
import { notStarted, type Violation } from '../replay/violation.js';
import { regressionSignature } from './regressionResults.js';

export interface CorpusTarget {
  /** `kind/function` of the first violation. */
  readonly signature: string;
  /** The trace's path, as replayed (its label). */
  readonly trace: string;
  /** Calls its replay ran: shortest first. */
  readonly calls: number;
  /** Calls in the trace, when its replay read it to the end (ItemResult.traceCalls). */
  readonly traceCalls: number | undefined;
  /** The violation to keep. */
  readonly violation: Violation;
}

/** FNV-1a over the signature's UTF-16 code units: the same number on every machine. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The 0-based index of the shard that minimizes the corpus traces failing as `signature`. */
export function corpusOwner(signature: string, shardCount: number): number {
  return shardCount <= 1 ? 0 : hash(signature) % shardCount;
}

/**
 * The traces to minimize, one per signature, in the order replayed; of those, `shard`'s own.
 * `minimal` holds the traces whose meta says `minimized`.
 */
export function planCorpusMinimization(
  results: readonly ItemResult[],
  minimal: ReadonlySet<string>,
  shard: Pick<Shard, 'index' | 'count'>,
  /** --known's signatures. */
  known: ReadonlySet<string> = new Set(),
): CorpusTarget[] {
  const best = new Map<string, CorpusTarget & { readonly order: number }>();
  results.forEach((r, order) => {
    const first = r.result?.violations[0];
    if (r.result === undefined || first === undefined || notStarted(first)) return;
    const v = r.result.violations.find((x) => !known.has(signatureOfViolation(x)));
    if (v === undefined) return;
    if (r.inputError !== undefined || r.setupError !== undefined) return;
    if (minimal.has(r.label) || regressionSignature(r.label) !== undefined) return;
    const signature = `${v.kind}/${v.fn}`;
    const now = best.get(signature);
    if (now !== undefined && now.calls <= r.result.calls) return;
    const calls = r.result.calls;
    best.set(signature, {
      signature,
      trace: r.label,
      calls,
      traceCalls: r.traceCalls,
      violation: v,
      order,
    });
  });
  return [...best.values()]
    .filter((t) => corpusOwner(t.signature, shard.count) === shard.index)
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...t }) => t);
}
