// Corpus pruning (`vpdma corpus prune`): keep a small set of traces that reaches the same
// coverage, by a greedy set cover weighted by rarity (cover.ts), and, under a limit of entries
// or bytes, the traces that matter most: rare keys first. Deterministic: the same files give
// the same choice whatever order they are listed in, on any machine.
import type { Profile } from '../model/device.js';
import { encodeVpt } from '../trace/vpt.js';
import type { NamedTrace } from './base.js';
import { entryKeys, withEdgeKeys } from './base.js';
import { recordedEdges } from './edgeMeta.js';
import { chooseCover, type Cover, type CoverEntry, type CoverLimits } from './cover.js';
import { liftTrace } from './lift.js';

export type { CoverLimits as PruneLimits } from './cover.js';

/** A trace to prune, with its size on disk (default: its .vpt encoding's). */
export interface PruneInput extends NamedTrace {
  readonly bytes?: number;
}

/** The cover (cover.ts) of the whole corpus, its names to keep sorted, and its size on disk. */
export interface Pruned extends Cover {
  /** Sizes on disk of all the traces (`bytesKept`: of the kept ones). */
  readonly bytes: number;
}

export function coverageOf(t: NamedTrace, profile?: Profile): Set<number> {
  const program = liftTrace(t.trace);
  const keys = entryKeys(
    { name: t.name, header: t.trace.header, program },
    program.length,
    profile,
  );
  // The target edges its meta records (edgeMeta.ts) are keys of their own: an entry kept for
  // edges alone is not dropped as adding nothing.
  return withEdgeKeys(new Set(keys), recordedEdges(t.trace.header));
}

function measure(t: PruneInput, profile: Profile | undefined): CoverEntry {
  return {
    name: t.name,
    calls: t.trace.calls.length,
    bytes: t.bytes ?? encodeVpt(t.trace).length,
    keys: coverageOf(t, profile),
  };
}

export function pruneCorpus(
  traces: readonly PruneInput[],
  profile?: Profile,
  limits?: CoverLimits,
): Pruned {
  return choose(
    traces.map((t) => measure(t, profile)),
    limits,
  );
}

/** The event loop's turn at least this often while measuring, so a signal is heard. */
const YIELD_MS = 20;

/**
 * pruneCorpus for the command: it lets the event loop run while it measures (seconds for a big
 * corpus), so Ctrl-C is heard; undefined once `signal` aborts.
 */
export async function pruneCorpusUntil(
  traces: readonly PruneInput[],
  profile: Profile | undefined,
  signal: AbortSignal,
  limits?: CoverLimits,
): Promise<Pruned | undefined> {
  const measured: CoverEntry[] = [];
  let turn = performance.now();
  for (const t of traces) {
    if (performance.now() - turn >= YIELD_MS) {
      await new Promise((r) => setImmediate(r));
      turn = performance.now();
    }
    if (signal.aborted) return undefined;
    measured.push(measure(t, profile));
  }
  return signal.aborted ? undefined : choose(measured, limits);
}

function choose(measured: readonly CoverEntry[], limits: CoverLimits | undefined): Pruned {
  const c = chooseCover(measured, limits);
  return { ...c, keep: [...c.keep].sort(), bytes: measured.reduce((s, m) => s + m.bytes, 0) };
}
