// What crosses the worker boundary for fuzzing: plain data only (STYLE lesson 3). A task is a
// run of case indices plus everything needed to rebuild those cases from (seed, index): the
// base corpus travels once per task as shared .vpt bytes, never cloned.
import type { Profile } from '../model/device.js';
import type { ReplayOutcome } from '../replay/replay.js';
import type { Violation } from '../replay/violation.js';

export interface FuzzSettings {
  readonly target: string;
  readonly profile?: Profile;
  readonly timeoutMs: number;
  /**
   * --load-timeout, when given: how long a fresh process: child may take to answer hello
   * (default: replay/startTimeout.ts); a module's load is checked before the run instead.
   */
  readonly startTimeoutMs?: number;
  /** --rss-limit-mb: a process: child past this many MiB resident is killed (absent or 0: none). */
  readonly rssLimitMb?: number;
  /**
   * --worker-heap-mb, when given, for the replay commands written for findings (the pool's
   * limit itself is replay/pool.ts's setWorkerHeapLimit): a leak crashes only under it.
   */
  readonly workerHeapMb?: number;
  readonly sampleBytes: number;
  readonly callsMax: number;
  readonly seed: number;
  readonly seedText: string;
  /** Functions never called (`--disable`), sorted; absent when none. */
  readonly disabled?: readonly string[];
  /**
   * false (`--no-target-coverage`): never ask the target for its own coverage. Absent or
   * true: ask once per case when the target offers it (Target.coverage).
   */
  readonly targetCoverage?: boolean;
}

/**
 * The base corpus: .vpt encodings back to back in shared memory, in a fixed order, with their
 * places and names in shared memory too, so a task carries three handles whatever the size
 * of the corpus (a resumed nightly's may hold tens of thousands of entries: as plain arrays,
 * 20,000 names and offsets took Piscina about 3 ms to clone for every task).
 */
export interface SharedBase {
  /** Changes whenever the contents do: workers cache decoded programs under it. */
  readonly id: string;
  readonly bytes: SharedArrayBuffer;
  /** Float64 pairs: entry i occupies bytes [offsets[2i], offsets[2i + 1]). */
  readonly offsets: SharedArrayBuffer;
  /** The entries' names as a UTF-8 JSON array. */
  readonly names: SharedArrayBuffer;
  /** Uint32 per entry: how often it is chosen for mutation, relatively (energy.ts). */
  readonly weights: SharedArrayBuffer;
}

/**
 * With --rounds (docs/fuzzing.md, "Rounds"): the cases kept in the run's earlier rounds, which
 * join the base for this task's round. Kept entries only ever append within a run, into
 * buffers that grow without rewriting what they hold (roundArena.ts), so a worker decodes only
 * those it has not seen; the weights are every entry's (the base's first), since each kept
 * entry changes the energy of those reaching its keys.
 */
export interface RoundBase {
  /** Changes with every round that added entries: workers cache the round's entries under it. */
  readonly id: string;
  /** The run (distinct in this process): within it, kept entries only append. */
  readonly run: string;
  /** Kept entries in this round's base: the first `count` of the buffers. */
  readonly count: number;
  /** The kept entries' .vpt encodings and names (UTF-8), appended in case order. */
  readonly bytes: SharedArrayBuffer;
  /** Float64 quadruples per kept entry: [start, end) of its encoding, [start, end) of its name. */
  readonly places: SharedArrayBuffer;
  /** Uint32 per entry, the base's then the kept ones (SharedBase.weights). */
  readonly weights: SharedArrayBuffer;
}

export interface FuzzTask {
  readonly settings: FuzzSettings;
  readonly base: SharedBase;
  /** The kept entries that join the base in this task's round (absent: none, or no rounds). */
  readonly round?: RoundBase;
  /** Case indices, ascending (a run of the shard's residue class). */
  readonly cases: readonly number[];
  /**
   * With a time budget: when it ends (wallClock(), ms). Past it the task stops before its next
   * case; its first case always runs, so every task makes progress. The cases it leaves out
   * come after those it ran, so the campaign's gap-free prefix stops before them.
   */
  readonly stopAt?: number;
  /**
   * The campaign the task belongs to, distinct in this process: a thread labels a coverage key
   * once per campaign (CaseResult.labels), not once per task. Absent: once per task.
   */
  readonly campaign?: number;
  /** [case index or -1, call index, calls done, fn index]: the pool's watchdog reads it. */
  readonly heartbeat?: SharedArrayBuffer;
}

export interface CaseResult {
  readonly index: number;
  /** Calls generated and sent (the last one may be the one that crashed or hung). */
  readonly calls: number;
  readonly outcome: ReplayOutcome;
  /** The first violations (the case stops at the call that showed one). */
  readonly violations: readonly Violation[];
  /** Coverage keys not reported by an earlier case of the same task. */
  readonly keys: readonly number[];
  /**
   * Labels (`fn|branch|state`, reached.ts) of those of `keys` this thread had not labelled yet
   * in the task's campaign: `labels[i]` is key `labelKeys[i]`'s. A key's label is a function of
   * the key, so the campaign keeps each as it comes and maps the keys it is given; sent once per
   * thread, they were most of a result's bytes (12 of 70 characters per case).
   */
  readonly labelKeys?: readonly number[];
  readonly labels?: readonly string[];
  /**
   * The target's own edge ids the case hit, distinct and ascending (all of them, not only
   * those new to the task: a kept case records them in its corpus entry); absent when the target was not asked (it offers no coverage, it is turned
   * off, or the case crashed or hung before it could be).
   */
  readonly edges?: readonly number[];
  /** Set when the target could not be created at all (not a finding: a setup failure). */
  readonly setupError?: string;
  /** Set when the target's close() failed after the case: a warning, no part of the result. */
  readonly closeError?: string;
  /** ReplayResult's: the target has no state(), or its touched() strayed (warnings). */
  readonly noState?: true;
  readonly strayTouched?: string;
}
