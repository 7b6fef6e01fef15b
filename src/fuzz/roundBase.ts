// A round's base, as a thread that runs its cases sees it (--rounds, docs/fuzzing.md "Rounds"):
// the run's base corpus, then the cases kept in its earlier rounds, each entry with the
// round's weight. Kept entries only append within a run, so a thread decodes and lifts each
// once, at the first round that has it; the main thread, which lifted them already, primes
// these caches instead (rounds.ts).
import { decodeVpt } from '../trace/vpt.js';
import { baseEntries } from './base.js';
import { liftTrace } from './lift.js';
import { arenaEntry } from './roundArena.js';
import type { BaseEntry } from './caseGen.js';
import type { RoundBase, SharedBase } from './protocol.js';

type Unweighted = Omit<BaseEntry, 'weight'>;

/** The kept entries this thread has lifted in one run (RoundBase.run), in case order. */
let kept: { run: string; entries: Unweighted[] } | undefined;
/** The last round's entries, weighted. */
let round: { id: string; entries: readonly BaseEntry[] } | undefined;

export function roundEntries(base: SharedBase, r: RoundBase): readonly BaseEntry[] {
  if (round?.id === r.id) return round.entries;
  if (kept?.run !== r.run) kept = { run: r.run, entries: [] };
  for (let i = kept.entries.length; i < r.count; i++) {
    const { bytes, name } = arenaEntry(r, i);
    const d = decodeVpt(bytes, name);
    // This run's own encodings: one that does not decode is a bug, and would shift the weights.
    if (!d.ok) throw new Error(`kept entry ${i} of ${r.run} does not decode`);
    kept.entries.push({ name, header: d.value.header, program: liftTrace(d.value) });
  }
  const entries = weighted(baseEntries(base), kept.entries, new Uint32Array(r.weights));
  round = { id: r.id, entries };
  return entries;
}

/** The base's entries and the kept ones with `weights` (the base's first). */
export function weighted(
  start: readonly Unweighted[],
  more: readonly Unweighted[],
  weights: ArrayLike<number>,
  count = start.length + more.length,
): BaseEntry[] {
  const out: BaseEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = (i < start.length ? start[i] : more[i - start.length]) as Unweighted;
    out.push({ name: e.name, header: e.header, program: e.program, weight: weights[i] ?? 1 });
  }
  return out;
}

/** The main thread's own: what it lifted itself, so it never decodes its kept cases. */
export function primeRound(
  r: RoundBase,
  keptEntries: readonly Unweighted[],
  entries: readonly BaseEntry[],
): void {
  kept = { run: r.run, entries: [...keptEntries] };
  round = { id: r.id, entries };
}
