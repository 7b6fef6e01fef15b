// The nightly job's phase 1 (regressions, then the corpus) stops early on a target that cannot
// start at all, as `vpdma fuzz` does: instead of paying a failed start (the 5 s hello timeout of
// a process that never answers) for every trace of a corpus of hundreds, it stops once the
// first traces all failed to start it, and the night ends there with exit 3.
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { notStarted } from '../replay/violation.js';
import type { Progress } from './progress.js';
import { runReplays, type ReplayRun } from './replayRun.js';

/** Traces (that reached the target) which must all fail to start it: fuzz's count of cases. */
export const STARTS_FAILED_MAX = 8;

/**
 * Why `r`'s target did not start; undefined when it started; null when the target was not
 * tried (the trace could not be read).
 */
function startFailure(r: ItemResult): string | undefined | null {
  if (r.inputError !== undefined) return null;
  if (r.setupError !== undefined) return r.setupError;
  const v = r.result?.violations[0];
  return v !== undefined && notStarted(v) ? v.message : undefined;
}

/**
 * Decides, from the results in trace order whatever order they come in (so the same for any
 * number of workers), whether the first `max` traces that reached the target all failed to
 * start it. Once one started, it never decides so.
 */
export class StartWatch {
  private readonly waiting = new Map<number, ItemResult>();
  private next = 0;
  private failed = 0;
  private settled = false;
  /** The last trace (by id) the verdict was drawn from, and why the target did not start. */
  verdict: { readonly lastId: number; readonly message: string } | undefined;

  constructor(private readonly max = STARTS_FAILED_MAX) {}

  /** Notes a result; true when it is the one that decides that the target cannot start. */
  note(r: ItemResult): boolean {
    if (this.settled) return false;
    this.waiting.set(r.id, r);
    for (;;) {
      const x = this.waiting.get(this.next);
      if (x === undefined) return false;
      this.waiting.delete(this.next++);
      const why = startFailure(x);
      if (why === null) continue;
      if (why === undefined || ++this.failed >= this.max) {
        this.settled = true;
        this.waiting.clear();
        if (why === undefined) return false;
        this.verdict = { lastId: x.id, message: why };
        return true;
      }
    }
  }
}

/**
 * The results the night keeps: a trace stopped part way (Ctrl-C, --budget-replay) counts if it
 * showed a violation before the stop (it fails, whatever the rest holds); one that showed none
 * says nothing and is not replayed, as before (an earlier finding's repro is then unchecked).
 */
export function keptAfterStop(results: readonly ItemResult[]): ItemResult[] {
  return results.filter((r) => r.result?.interrupted !== true || r.result.violations.length > 0);
}

export interface ReplayPhase extends ReplayRun {
  /** Set when the target could not start: why, and how many traces were not replayed. */
  readonly cannotStart?: { readonly message: string; readonly notReplayed: number };
}

/**
 * Phase 1's replay. When the target cannot start, the traces the verdict was drawn from are
 * the results (the same ones for any number of workers; others that finished meanwhile are
 * dropped, being no more than the same failed start) and the rest are not replayed.
 */
export async function replayPhase(
  files: readonly string[],
  settings: ReplaySettings,
  workers: number,
  progress: Progress,
  stop: AbortController,
): Promise<ReplayPhase> {
  const watch = new StartWatch();
  const run = await runReplays(files, settings, workers, progress, stop.signal, {
    head: STARTS_FAILED_MAX,
    onItem: (r) => {
      if (watch.note(r)) stop.abort();
    },
  });
  const v = watch.verdict;
  const shown = keptAfterStop(run.results);
  const results = v === undefined ? shown : shown.filter((r) => r.id <= v.lastId);
  const calls = results.reduce((n, r) => n + (r.result?.calls ?? 0), 0);
  if (v === undefined) return { ...run, results, calls };
  return {
    ...run,
    results,
    calls,
    cannotStart: { message: v.message, notReplayed: files.length - results.length },
  };
}
