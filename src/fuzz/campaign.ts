// A campaign: cases of this shard's residue class, cut into tasks for the executor, their
// results processed strictly in case-index order on this thread. Novelty is decided here, in
// that order, against the coverage of the base corpus as it was when the campaign started and
// of the earlier cases; so which worker ran what, how many there were, and how the run was
// sharded cannot change what is kept or found. Cases kept during a run are handed to `onKept`
// (the corpus for the next run) but never mutated in this one (docs/fuzzing.md).
import type { FuzzExecutor } from './executor.js';
import type { CaseResult, FuzzSettings, FuzzTask, RoundBase, SharedBase } from './protocol.js';
import { wallClock } from './runCases.js';
import { shardCases, shardIndex, type Shard } from './shard.js';
import { State, type CloseErrors } from './campaignState.js';

export { parseShard, shardCases, shardIndex, type Shard } from './shard.js';
export { failureKey, type CloseErrors } from './campaignState.js';

export interface CampaignOptions {
  readonly settings: FuzzSettings;
  readonly base: SharedBase;
  /** Coverage keys the base corpus reaches. */
  readonly baseKeys: ReadonlySet<number>;
  /** Their labels (reached.ts): the model branches the progress counts before case 0. */
  readonly baseReached?: readonly string[];
  /**
   * Target edges the base corpus's entries record (base.ts): covered before case 0, so no
   * case is kept for one of them.
   */
  readonly baseEdges?: ReadonlySet<number>;
  readonly shard: Shard;
  /** Total cases over all shards (indices 0..runs-1); or, without it, until `timeMs`. */
  readonly runs?: number;
  readonly timeMs?: number;
  /** End at the case that makes this many failing cases (the rest is not looked at). */
  readonly failuresMax?: number;
  /** Which failing cases count toward failuresMax and firstFailureMs (default: all). */
  readonly counts?: (r: CaseResult) => boolean;
  /**
   * Failing cases kept per (kind, function) of their first violation, lowest indices first
   * (default: all). The rest are only counted: against a shallow bug nearly every case fails,
   * and a night of them would not fit in memory.
   */
  readonly failingPerGroup?: number;
  /**
   * --rounds (rounds.ts): the run cut into rounds of `size` cases by index; before round r's
   * first task, once every case before it is processed, `begin(r)` gives the base its tasks
   * carry (undefined: the last one stands).
   */
  readonly rounds?: {
    readonly size: number;
    begin(round: number): RoundBase | undefined;
  };
  /** Cases per task (default: from runs and workers). Never changes results. */
  readonly batch?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /**
   * A case reached coverage nothing before it did (called in case order): model keys
   * (`newKeys`) or the target's own edges (r.edges; docs/fuzzing.md, "Target coverage").
   */
  readonly onKept?: (r: CaseResult, newKeys: number[]) => void;
  /** A group's first failing case (in case order: its lowest index, for any --workers). */
  readonly onNewGroup?: (r: CaseResult) => void;
  readonly onProgress?: (p: CampaignProgress) => void;
}

export interface CampaignProgress {
  readonly cases: number;
  readonly calls: number;
  readonly coverage: number;
  /**
   * Model branches reached, the base's included: the `reached` table's count (reached.ts's
   * branchCount), which levels off where `coverage`, counting state shapes too, keeps growing.
   */
  readonly branches: number;
  /**
   * The target's own edges reached, the base's recorded ones included (undefined: it was
   * never asked; see CaseResult.edges).
   */
  readonly targetEdges?: number;
  readonly kept: number;
  readonly failing: number;
  /** Distinct (violation kind, function) among the failing cases: findings-to-be. */
  readonly kinds: number;
  readonly elapsedMs: number;
  /**
   * When (elapsedMs) a report last found `branches` / `coverage` grown, counting from the
   * base's: absent until a case reaches one the base did not. Presentation only (the status
   * line's "new 1m40s ago"): wall-clock, so it enters no result or report.
   */
  readonly lastNewBranchMs?: number;
  readonly lastNewKeyMs?: number;
}

export interface CampaignResult {
  /** Cases processed: a prefix of the shard's sequence, with no gap. */
  readonly cases: number;
  /** `--runs` that reproduces exactly these cases (one past the last index run). */
  readonly runsEquivalent: number;
  readonly calls: number;
  /** Coverage keys reached, base included. */
  readonly coverage: number;
  /** New keys, each with the first case index that reached it. */
  readonly firstSeen: ReadonlyMap<number, number>;
  /**
   * The target's own edges the cases reached that the base's entries do not record, each
   * with the first case that did; undefined when no case asked the target (CaseResult.edges).
   */
  readonly edgesFirstSeen?: ReadonlyMap<number, number>;
  /** Edges the base records (baseEdges), with edgesFirstSeen: all the edges reached. */
  readonly baseEdges?: number;
  /** Labels (`fn|branch|state`, reached.ts) of the keys the cases reached, base not included. */
  readonly reached: readonly string[];
  /** Indices of the kept cases, ascending. */
  readonly kept: readonly number[];
  /** Cases with a violation, crash or hang, ascending (at most failingPerGroup per group). */
  readonly failing: readonly CaseResult[];
  /** All of them, kept or not. */
  readonly failingCount: number;
  /** Failing cases per group (`failureKey`), kept or not. */
  readonly hits: ReadonlyMap<string, number>;
  readonly setupError?: string;
  /**
   * Cases after which the target's close() failed, and the lowest one's reason: a warning for
   * the user (it changes no result; not in the report).
   */
  readonly closeErrors?: CloseErrors;
  /** A case's target had no state() (a warning, like closeErrors). */
  readonly noState?: true;
  /** The lowest case's touched() range in nothing the target returned, and how many cases. */
  readonly stray?: StrayTouched;
  readonly stoppedBy: 'runs' | 'time' | 'signal' | 'setup' | 'failures';
  readonly elapsedMs: number;
  /** When the first failing case was processed (time to find), if any. */
  readonly firstFailureMs?: number;
}

/**
 * The lowest case whose touched() named memory in nothing the target returned (`first`, as
 * ReplayResult.strayTouched says it, and `caseIndex`), and how many cases did: shards merge it.
 */
export interface StrayTouched {
  readonly first: string;
  readonly caseIndex: number;
  readonly count: number;
}

/** Cases in the first task; each later one doubles, up to the batch size. */
const firstBatch = 4;
/**
 * Work a task is sized to with a time budget, ms (from the time per case measured so far): a
 * task handed out just before the budget ends overshoots it by about this much, not by 64 slow
 * cases (a 40 ms-per-request target took 36 s for --time 4s). Tasks of fast cases stay at the
 * batch size, far above Piscina's ~50 us per task.
 */
const taskSliceMs = 200;
function batchFor(o: CampaignOptions, workers: number): number {
  if (o.batch !== undefined) return o.batch;
  if (o.runs === undefined) return 64;
  const per = Math.ceil(shardCases(o.shard, o.runs) / (workers * 8));
  return Math.min(128, Math.max(4, per));
}

/**
 * With rounds, a task takes at most half of a worker's share of what the round has left
 * (guided scheduling): the round's last tasks are short, so its end, which every worker waits
 * for, comes about one short task after the first worker runs out of cases.
 */
export function roundSlice(left: number, workers: number, rounds: boolean): number {
  return rounds ? Math.max(1, Math.ceil(left / (2 * Math.max(1, workers)))) : left;
}

/**
 * Cases in a task of about taskSliceMs of work, at least one, and no more than the time left:
 * per-thread time per case from what came back so far (counting every worker busy, which errs
 * toward smaller tasks). Unbounded without a budget or before any result.
 */
export function timeSlice(
  timeMs: number | undefined,
  elapsedMs: number,
  received: number,
  workers: number,
): number {
  if (timeMs === undefined || received === 0) return Number.POSITIVE_INFINITY;
  const perCaseMs = (Math.max(elapsedMs, 0) * Math.max(1, workers)) / received;
  if (perCaseMs <= 0) return Number.POSITIVE_INFINITY;
  const aimMs = Math.min(taskSliceMs, timeMs - elapsedMs);
  return Math.max(1, Math.floor(aimMs / perCaseMs));
}

/** Campaigns started in this process: each task names its own (FuzzTask.campaign). */
let campaigns = 0;

export async function runCampaign(ex: FuzzExecutor, o: CampaignOptions): Promise<CampaignResult> {
  const campaign = ++campaigns;
  const now = o.now ?? ((): number => performance.now());
  const started = now();
  const total = o.runs === undefined ? Number.POSITIVE_INFINITY : shardCases(o.shard, o.runs);
  const batch = batchFor(o, ex.workers);
  const st = new State(o.baseKeys, o.baseEdges, o.baseReached);
  let nextJ = 0;
  /** Where this round's cases end (the shard's j); all of them without rounds. */
  let roundEnd = total;
  let round: RoundBase | undefined;
  let tasks = 0;
  let timeUp = false;
  /** Results received, in any order: with the time spent, the time a case takes. */
  let received = 0;
  const next = (): FuzzTask | undefined => {
    if (o.signal?.aborted === true || st.setupError !== undefined || st.full) return undefined;
    const elapsed = now() - started;
    if (o.timeMs !== undefined && elapsed >= o.timeMs) timeUp = true;
    if (timeUp || nextJ >= roundEnd) return undefined;
    // Small tasks first, so the first results (and findings) come back quickly.
    const n = Math.min(
      batch,
      firstBatch * 2 ** Math.min(tasks++, 16),
      roundSlice(roundEnd - nextJ, ex.workers, o.rounds !== undefined),
      timeSlice(o.timeMs, elapsed, received, ex.workers),
    );
    const cases = Array.from({ length: n }, (_, k) => shardIndex(o.shard, nextJ + k));
    nextJ += n;
    const task: FuzzTask = {
      settings: o.settings,
      base: o.base,
      ...(round === undefined ? {} : { round }),
      cases,
      campaign,
    };
    // A task still running when the budget ends stops before its next case (wall clock, so
    // worker threads can read it).
    return o.timeMs === undefined
      ? task
      : { ...task, stopAt: wallClock() + Math.max(0, o.timeMs - elapsed) };
  };
  const pending = new Map<number, CaseResult>();
  let doneJ = 0;
  const control = {
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    onResults: (_task: FuzzTask, results: CaseResult[]) => {
      received += results.length;
      for (const r of results) {
        pending.set(r.index, r);
        st.noteLabels(r);
      }
      for (
        let r = pending.get(shardIndex(o.shard, doneJ));
        r !== undefined && !st.full && st.setupError === undefined;
      ) {
        pending.delete(r.index);
        st.process(r, o);
        if (st.counted > 0) st.firstFailureMs ??= now() - started;
        doneJ++;
        r = pending.get(shardIndex(o.shard, doneJ));
      }
      o.onProgress?.(st.progress(doneJ, now() - started));
    },
  };
  const rounds = o.rounds;
  for (let r = 0; ; r++) {
    if (rounds !== undefined)
      roundEnd = Math.min(total, shardCases(o.shard, (r + 1) * rounds.size));
    await ex.run(next, control);
    // A round ends when all its cases are processed: only then are its kept cases all known.
    const stopped = o.signal?.aborted === true || st.setupError !== undefined || st.full || timeUp;
    if (rounds === undefined || stopped || doneJ < roundEnd || roundEnd >= total) break;
    round = rounds.begin(r + 1) ?? round;
  }
  const stoppedBy =
    st.setupError !== undefined
      ? 'setup'
      : st.full
        ? 'failures'
        : o.signal?.aborted === true
          ? 'signal'
          : timeUp
            ? 'time'
            : 'runs';
  return {
    cases: doneJ,
    runsEquivalent: doneJ === 0 ? 0 : shardIndex(o.shard, doneJ - 1) + 1,
    calls: st.calls,
    coverage: st.seen.size,
    firstSeen: st.firstSeen,
    ...(st.edgesAsked
      ? { edgesFirstSeen: st.edgesFirstSeen, baseEdges: st.edgesSeen.size - st.edgesFirstSeen.size }
      : {}),
    reached: st.reached(),
    kept: st.kept,
    failing: st.failing,
    failingCount: st.failingCount,
    hits: st.hits,
    ...(st.setupError === undefined ? {} : { setupError: st.setupError }),
    ...(st.closeErrors === undefined ? {} : { closeErrors: st.closeErrors }),
    ...(st.noState ? { noState: true as const } : {}),
    ...(st.stray === undefined ? {} : { stray: st.stray }),
    stoppedBy,
    elapsedMs: now() - started,
    ...(st.firstFailureMs === undefined ? {} : { firstFailureMs: st.firstFailureMs }),
  };
}
