// --rounds: the run cut into rounds of a fixed number of cases, case i in round floor(i / size);
// round r's cases mutate the base corpus and every case kept in rounds before r, each an entry
// as the next run would read it from --corpus (lifted from the same trace, measured the same
// way, its energy from the same rule: energy.ts), appended in case order. Every round's cases
// therefore depend on (seed, index, starting corpus, round size) and on the results of the
// earlier rounds, which the campaign processes in case order: the same for any --workers. A
// shard would not see the other shards' kept cases, so --shard is refused with it (cli).
import { createHash } from 'node:crypto';
import type { Trace } from '../trace/trace.js';
import { encodeVpt } from '../trace/vpt.js';
import { entryKeys, withEdgeKeys, type Base } from './base.js';
import type { BaseEntry } from './caseGen.js';
import { recordedEdges } from './edgeMeta.js';
import { denseEnergies } from './energy.js';
import { liftTrace } from './lift.js';
import type { FuzzSettings, RoundBase } from './protocol.js';
import { RoundArena } from './roundArena.js';
import { primeRound, weighted } from './roundBase.js';

/** Cases per round by default: about a quarter second of the model's cases on one thread. */
export const ROUND_CASES = 1000;
/** Cases per round at most (a round of more is a run without rounds). */
export const ROUNDS_MAX = 100_000_000;

type Unweighted = Omit<BaseEntry, 'weight'>;

/** Runs with rounds started in this process: a worker's cache of kept entries is per run. */
let runs = 0;

/** What one round boundary cost this thread, for the bench (scripts/bench/rounds.ts). */
export interface RoundCost {
  readonly round: number;
  /** Entries the round's base has, the starting ones included. */
  readonly entries: number;
  /** Energies recomputed and the round's entries made, ms by the clock given (default: wall). */
  readonly ms: number;
}

export class Rounds {
  private readonly run = `rounds-${++runs}`;
  private readonly start: readonly Unweighted[];
  /** Every entry's distinct keys and edge keys (energy.ts) as dense ids, the base's first. */
  private readonly ids: Int32Array[] = [];
  private readonly idOf = new Map<number, number>();
  private readonly kept: Unweighted[] = [];
  private readonly arena = new RoundArena();
  private readonly names = new Set<string>();
  /** [first round, entries] at each round whose base grew, ascending. */
  private readonly counts: [number, number][] = [];
  /** The last entries asked for (entriesFor), by entry count: a round's base is its prefix. */
  private memo: { count: number; entries: readonly BaseEntry[] } | undefined;
  readonly costs: RoundCost[] = [];

  constructor(
    readonly size: number,
    base: Pick<Base, 'entries'> & { readonly entryKeys?: readonly (readonly number[])[] },
    private readonly settings: FuzzSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (base.entryKeys === undefined) throw new Error("rounds need the base entries' keys");
    this.start = base.entries;
    for (const keys of base.entryKeys) this.ids.push(this.dense(keys));
    for (const e of base.entries) this.names.add(e.name);
    this.counts.push([0, base.entries.length]);
  }

  private dense(keys: Iterable<number>): Int32Array {
    const out: number[] = [];
    for (const k of keys) {
      let id = this.idOf.get(k);
      if (id === undefined) this.idOf.set(k, (id = this.idOf.size));
      out.push(id);
    }
    return Int32Array.from(out);
  }

  roundOf(index: number): number {
    return Math.floor(index / this.size);
  }

  /**
   * A case kept in this run (as the corpus gets it: with its target edges), in case order: an
   * entry of the rounds after its own. One the base has already (by content) is not added twice.
   */
  add(trace: Trace): void {
    const bytes = encodeVpt(trace);
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.vpt`;
    if (this.names.has(name)) return;
    this.names.add(name);
    const e = { name, header: trace.header, program: liftTrace(trace) };
    const s = this.settings;
    const keys = new Set(entryKeys(e, s.callsMax, s.profile, s.disabled));
    this.ids.push(this.dense(withEdgeKeys(keys, recordedEdges(trace.header))));
    this.kept.push(e);
    this.arena.append(bytes, name);
  }

  /**
   * Before round `round`'s first case (every case before it processed): its base for the
   * tasks, or undefined when no case was kept since the last one (the tasks keep theirs).
   */
  begin(round: number): RoundBase | undefined {
    const count = this.start.length + this.kept.length;
    const last = this.counts[this.counts.length - 1];
    if (last !== undefined && last[1] === count) return undefined;
    const t0 = this.now();
    this.counts.push([round, count]);
    const weights = denseEnergies(this.ids, this.idOf.size);
    const w = new Uint32Array(new SharedArrayBuffer(4 * weights.length));
    w.set(weights);
    const r: RoundBase = {
      id: `${this.run}:${count}`,
      run: this.run,
      ...this.arena.shared(),
      weights: w.buffer,
    };
    const entries = weighted(this.start, this.kept, weights);
    this.memo = { count, entries };
    // Tasks this thread runs itself (WarmingPool) find the entries it already has.
    primeRound(r, this.kept, entries);
    this.costs.push({ round, entries: count, ms: this.now() - t0 });
    return r;
  }

  /** The entries case `index` mutates: the base's and those kept before its round. */
  entriesFor(index: number): readonly BaseEntry[] {
    const round = this.roundOf(index);
    let count = this.start.length;
    for (const [first, n] of this.counts) if (first <= round) count = n;
    if (this.memo?.count === count) return this.memo.entries;
    const weights = denseEnergies(this.ids, this.idOf.size, count);
    const entries = weighted(this.start, this.kept, weights, count);
    this.memo = { count, entries };
    return entries;
  }
}
