// How replay tasks run: in this thread (tests, one-off calls) or in the Piscina pool. Both
// return results ordered by item id, so which one ran cannot change a report (STYLE lesson 9).
import { askStop, newHeartbeat } from './heartbeat.js';
import type { ItemResult, ReplayTask } from './protocol.js';
import { runReplayTask } from './runTask.js';

export interface RunControl {
  /** Called as each item finishes, in completion order (for progress). */
  readonly onItem?: (r: ItemResult) => void;
  /** Stop early (Ctrl-C): results for finished items are still returned. */
  readonly signal?: AbortSignal;
  /**
   * Takes `--explain`'s text (tasks with settings.explain), in order, as it is ready; the
   * pool's last text may come after run() and before close() returns.
   */
  readonly onExplain?: (text: string) => void;
}

export interface Executor {
  readonly workers: number;
  run(tasks: readonly ReplayTask[], control?: RunControl): Promise<ItemResult[]>;
  close(): Promise<void>;
}

export function byId(results: Iterable<ItemResult>): ItemResult[] {
  return [...results].sort((a, b) => a.id - b.id);
}

/**
 * A task run in this thread, stopped the way the pool stops a worker's (heartbeat askStop) when
 * `control.signal` aborts: the trace in progress stops at its next call and is returned
 * interrupted, with its calls and violations so far; the task's later traces are not begun.
 * (The signal is heard only while the replay awaits: a target whose calls all return at once
 * runs a trace read whole to its end first.)
 */
async function runStoppable(task: ReplayTask, control: RunControl): Promise<ItemResult[]> {
  const signal = control.signal;
  if (signal === undefined) return runReplayTask(task, control.onExplain);
  const { buffer: heartbeat, beat } = newHeartbeat();
  const onStop = (): void => askStop(beat);
  signal.addEventListener('abort', onStop);
  try {
    return await runReplayTask({ ...task, heartbeat }, control.onExplain);
  } finally {
    signal.removeEventListener('abort', onStop);
  }
}

/**
 * How long this thread replays before it gives the event loop a turn. A replay against a target
 * whose calls return at once awaits only promises, so without these turns a signal's handler or
 * a timer waits for the caller's whole loop of runs (fuzz's findings minimization: seconds to
 * minutes). A turn costs about 7 µs of CPU: one per task would be 1% of a short candidate's
 * replay, one per 10 ms is lost in the noise (BENCHMARKS.md, "Signals while minimizing inline").
 */
export const YIELD_MS = 10;

export class InlineExecutor implements Executor {
  readonly workers = 1;
  private turn = performance.now();

  async run(tasks: readonly ReplayTask[], control: RunControl = {}): Promise<ItemResult[]> {
    const out: ItemResult[] = [];
    for (const t of tasks) {
      if (performance.now() - this.turn >= YIELD_MS) {
        await new Promise<void>((r) => setImmediate(r));
        this.turn = performance.now();
      }
      if (control.signal?.aborted === true) break;
      for (const r of await runStoppable(t, control)) {
        out.push(r);
        control.onItem?.(r);
      }
    }
    return byId(out);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
