// Corpus pruning (`vpdma corpus prune`), as afl-cmin and libFuzzer's -merge do it: for every
// coverage key the corpus reaches, keep the smallest trace that reaches it; everything else
// adds nothing. Deterministic: ties go to the lexically first name.
import type { Profile } from '../model/device.js';
import type { NamedTrace } from './base.js';
import { entryKeys } from './base.js';
import { liftTrace } from './lift.js';

export interface Pruned {
  /** Names to keep, sorted. */
  readonly keep: readonly string[];
  /** Names that add no coverage, sorted. */
  readonly drop: readonly string[];
  /** Coverage keys the whole corpus reaches (and the kept part still does). */
  readonly keys: number;
}

interface Measured {
  readonly name: string;
  readonly calls: number;
  readonly keys: ReadonlySet<number>;
}

function smaller(a: Measured, b: Measured): boolean {
  return a.calls < b.calls || (a.calls === b.calls && a.name < b.name);
}

export function coverageOf(t: NamedTrace, profile?: Profile): Set<number> {
  const program = liftTrace(t.trace);
  return new Set(
    entryKeys({ name: t.name, header: t.trace.header, program }, program.length, profile),
  );
}

function measure(t: NamedTrace, profile: Profile | undefined): Measured {
  return { name: t.name, calls: t.trace.calls.length, keys: coverageOf(t, profile) };
}

export function pruneCorpus(traces: readonly NamedTrace[], profile?: Profile): Pruned {
  return choose(traces.map((t) => measure(t, profile)));
}

/** The event loop's turn at least this often while measuring, so a signal is heard. */
const YIELD_MS = 20;

/**
 * pruneCorpus for the command: it lets the event loop run while it measures (seconds for a big
 * corpus), so Ctrl-C is heard; undefined once `signal` aborts.
 */
export async function pruneCorpusUntil(
  traces: readonly NamedTrace[],
  profile: Profile | undefined,
  signal: AbortSignal,
): Promise<Pruned | undefined> {
  const measured: Measured[] = [];
  let turn = performance.now();
  for (const t of traces) {
    if (performance.now() - turn >= YIELD_MS) {
      await new Promise((r) => setImmediate(r));
      turn = performance.now();
    }
    if (signal.aborted) return undefined;
    measured.push(measure(t, profile));
  }
  return signal.aborted ? undefined : choose(measured);
}

function choose(measured: readonly Measured[]): Pruned {
  const best = new Map<number, Measured>();
  for (const m of measured) {
    for (const k of m.keys) {
      const have = best.get(k);
      if (have === undefined || smaller(m, have)) best.set(k, m);
    }
  }
  const keep = new Set([...best.values()].map((m) => m.name));
  const names = measured.map((m) => m.name).sort();
  return {
    keep: names.filter((n) => keep.has(n)),
    drop: names.filter((n) => !keep.has(n)),
    keys: best.size,
  };
}
