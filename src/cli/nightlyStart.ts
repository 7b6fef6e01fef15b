// The nightly job's phase 1 (regressions, then the corpus) stops early on a target that cannot
// start at all, as `vpdma fuzz` and `vpdma replay` do (startWatch.ts), and the night ends there
// with exit 3.
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import type { Progress } from './progress.js';
import { runReplaysOrFault, type FaultedRun } from './replayRun.js';
import { STARTS_FAILED_MAX, watchStarts } from './startWatch.js';

/**
 * The results the night keeps: a trace stopped part way (Ctrl-C, --budget-replay) counts if it
 * showed a violation before the stop (it fails, whatever the rest holds); one that showed none
 * says nothing and is not replayed, as before (an earlier finding's repro is then unchecked).
 */
export function keptAfterStop(results: readonly ItemResult[]): ItemResult[] {
  return results.filter((r) => r.result?.interrupted !== true || r.result.violations.length > 0);
}

export interface ReplayPhase extends FaultedRun {
  /** Set when the target could not start: why, and how many traces were not replayed. */
  readonly cannotStart?: { readonly message: string; readonly notReplayed: number };
}

/**
 * Phase 1's replay. When the target cannot start, the traces the verdict was drawn from are
 * the results (the same ones for any number of workers; others that finished meanwhile are
 * dropped, being no more than the same failed start) and the rest are not replayed. A fault of
 * vpdma's own (a bug) ends it with the traces finished before, and the fault (harnessError).
 * The files in `paranoid` are replayed with all memory compared (fullChecks.ts).
 */
export async function replayPhase(
  files: readonly string[],
  settings: ReplaySettings,
  workers: number,
  progress: Progress,
  stop: AbortController,
  paranoid?: ReadonlySet<string>,
): Promise<ReplayPhase> {
  const { run, verdict: v } = await watchStarts(stop.signal, (signal, options) =>
    runReplaysOrFault(files, settings, workers, progress, signal, {
      ...options,
      ...(paranoid === undefined ? {} : { paranoid }),
    }),
  );
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

/** What ends the night before its work (exit 2 or 3): a target that cannot load or start. */
export function setupErrorOf(
  cannotLoad: { readonly message: string } | undefined,
  cannotStart: ReplayPhase['cannotStart'],
): string | undefined {
  if (cannotLoad !== undefined) return `${cannotLoad.message} (no trace replayed, no case fuzzed)`;
  if (cannotStart === undefined) return undefined;
  return `${cannotStart.message} (in each of the first ${STARTS_FAILED_MAX} traces; ${cannotStart.notReplayed} more not replayed, no case fuzzed)`;
}
