// Running a set of trace files through the pool with progress: shared by `replay` and the
// nightly job's corpus phase.
import { stat } from 'node:fs/promises';
import { bytesRead, callsMade, violationsFound } from '../replay/heartbeat.js';
import { PiscinaExecutor, STOP_GRACE_MS } from '../replay/pool.js';
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { makeTasks } from '../replay/tasks.js';
import type { Progress } from './progress.js';
import { violationCount } from '../report/replayReport.js';
import { faultText } from './faultText.js';

/** How often the progress display hears of calls in traces still running. */
const tickMs = 1000;

export interface ReplayRun {
  readonly results: ItemResult[];
  readonly wallMs: number;
  readonly calls: number;
}

export interface ReplayRunOptions {
  /**
   * The first `head` traces, in order, go out before the rest (one a task), so that a
   * decision on them (nightly's: can the target start at all?) comes early.
   */
  readonly head?: number;
  /** Hears each trace's result as it comes, in completion order. */
  readonly onItem?: (r: ItemResult) => void;
  /** A file's name in messages and reports, where not its path (a spooled stdin's). */
  readonly labels?: ReadonlyMap<string, string>;
  /** Takes `--explain`'s text (settings.explain), all of it before runReplays returns. */
  readonly onExplain?: (text: string) => void;
  /** Files replayed with settings.paranoid on, each in a task of its own (nightly's repros). */
  readonly paranoid?: ReadonlySet<string>;
}

/** The workers a replay of `traces` traces starts: no more than there are traces, and one. */
export function replayWorkers(asked: number, traces: number): number {
  return Math.min(asked, Math.max(1, traces));
}

export async function runReplays(
  files: readonly string[],
  settings: ReplaySettings,
  workers: number,
  progress: Progress,
  signal?: AbortSignal,
  options: ReplayRunOptions = {},
): Promise<ReplayRun> {
  const sizes = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const items = files.map((path, id) => ({
    id,
    label: options.labels?.get(path) ?? path,
    path,
    size: sizes[id] ?? 0,
  }));
  const executor = new PiscinaExecutor(replayWorkers(workers, items.length));
  const started = performance.now();
  let done = 0;
  let calls = 0;
  let violations = 0;
  let bytes = 0;
  const bytesTotal = sizes.reduce((n, s) => n + s, 0);
  const report = (): void => {
    // Finished traces' calls plus the running ones' so far: a single long trace shows progress.
    const now = calls + executor.inFlight(callsMade);
    const secs = (performance.now() - started) / 1000;
    // The bytes of finished traces and those streamed so far: a fraction of the whole, and an ETA.
    const read = bytes + executor.inFlight(bytesRead);
    progress.update(
      done,
      {
        calls: now,
        'calls/s': Math.round(now / Math.max(secs, 1e-3)),
        // Found so far, listed or not: a long trace's show before it ends.
        violations: violations + executor.inFlight(violationsFound),
      },
      bytesTotal > 0 ? read / bytesTotal : undefined,
    );
  };
  const ticker = setInterval(report, tickMs);
  // Stopped, the run waits at most for a call in flight (its --timeout) and the grace after it.
  const stopping = (): void => {
    progress.stopping(performance.now() + settings.timeoutMs + STOP_GRACE_MS);
    report();
  };
  signal?.addEventListener('abort', stopping, { once: true });
  try {
    const head = Math.min(options.head ?? 0, items.length);
    const full = (i: (typeof items)[number]): boolean => options.paranoid?.has(i.path) === true;
    const paranoid = { ...settings, paranoid: true };
    const alone = (i: (typeof items)[number]) => ({
      settings: full(i) ? paranoid : settings,
      items: [i],
    });
    const rest = items.slice(head);
    const tasks = [
      ...items.slice(0, head).map(alone),
      ...rest.filter(full).map(alone),
      ...makeTasks(
        rest.filter((i) => !full(i)),
        settings,
        executor.workers,
      ),
    ];
    const results = await executor.run(tasks, {
      ...(signal === undefined ? {} : { signal }),
      ...(options.onExplain === undefined ? {} : { onExplain: options.onExplain }),
      onItem: (r) => {
        done++;
        bytes += sizes[r.id] ?? 0;
        calls += r.result?.calls ?? 0;
        violations += violationCount(r);
        report();
        options.onItem?.(r);
      },
    });
    return { results, wallMs: performance.now() - started, calls };
  } finally {
    clearInterval(ticker);
    signal?.removeEventListener('abort', stopping);
    progress.stop();
    await executor.close();
  }
}

/** A run the harness itself failed part way: the traces finished before, and the fault. */
export interface FaultedRun extends ReplayRun {
  /** The fault's one-line message, as report.json's `harnessError` says it. */
  readonly harnessError?: string;
  /** Thrown again once the reports are written: main() tells it as an internal error (exit 3). */
  readonly fault?: Error;
}

/**
 * runReplays, but a fault of the harness (a bug: pool.ts HarnessError, anything else thrown)
 * ends in the results finished before it, so that --json still says what ran, and that it was
 * vpdma and not the target that failed (exit 3 means either).
 */
export async function runReplaysOrFault(
  ...args: Parameters<typeof runReplays>
): Promise<FaultedRun> {
  const [files, settings, workers, progress, signal, options = {}] = args;
  const finished: ItemResult[] = [];
  const started = performance.now();
  const onItem = (r: ItemResult): void => {
    finished.push(r);
    options.onItem?.(r);
  };
  try {
    return await runReplays(files, settings, workers, progress, signal, { ...options, onItem });
  } catch (e) {
    return {
      results: finished.sort((a, b) => a.id - b.id),
      wallMs: performance.now() - started,
      calls: finished.reduce((n, r) => n + (r.result?.calls ?? 0), 0),
      harnessError: faultText(e),
      fault: e instanceof Error ? e : new Error(String(e)),
    };
  }
}
