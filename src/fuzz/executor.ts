// Where fuzz tasks run: the Piscina pool (src/replay/pool.ts's TaskPool, with this kind's
// worker and kill handling) or this thread (tests, --workers 1 debugging). Both deliver each
// task's results whole; the campaign orders them by case index, so which ran cannot matter.
import { fnName } from '../replay/fnIndex.js';
import { TaskPool, type TaskControl } from '../replay/pool.js';
import { violation } from '../replay/violation.js';
import type { CaseResult, FuzzTask } from './protocol.js';
import { runFuzzTask } from './runCases.js';

export interface FuzzExecutor {
  readonly workers: number;
  run(next: () => FuzzTask | undefined, control?: TaskControl<FuzzTask, CaseResult>): Promise<void>;
  close(): Promise<void>;
}

/** The compiled worker: tests run from src/, but workers need dist/ (built first). */
export function fuzzWorkerFile(): string {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return here.replace(/\/src\/fuzz\/executor\.ts$/, '/dist/fuzz/worker.js');
  return new URL('./worker.js', here).href;
}

/** After the watchdog killed a worker: the stuck case is a target-timeout, the rest re-runs. */
export function fuzzAfterKill(
  task: FuzzTask,
  beat: Int32Array,
): { results: CaseResult[]; redo?: FuzzTask } {
  const hung = Atomics.load(beat, 0);
  const callIndex = Atomics.load(beat, 1);
  const results: CaseResult[] = [];
  if (task.cases.includes(hung)) {
    const fn = fnName(Atomics.load(beat, 3));
    const ms = task.settings.timeoutMs;
    const v = violation(
      'target-timeout',
      fn,
      callIndex,
      `${fn} did not return within ${ms} ms; its worker was terminated`,
    );
    results.push({
      index: hung,
      calls: callIndex + 1,
      outcome: 'timeout',
      violations: [v],
      keys: [],
    });
  }
  const rest = task.cases.filter((i) => i !== hung);
  return rest.length === 0 ? { results } : { results, redo: { ...task, cases: rest } };
}

export function createFuzzPool(workers: number): FuzzExecutor {
  return new TaskPool<FuzzTask, CaseResult>(workers, {
    filename: fuzzWorkerFile(),
    timeoutMs: (t) => t.settings.timeoutMs,
    afterKill: fuzzAfterKill,
  });
}

export class InlineFuzzExecutor implements FuzzExecutor {
  readonly workers = 1;

  async run(
    next: () => FuzzTask | undefined,
    control: TaskControl<FuzzTask, CaseResult> = {},
  ): Promise<void> {
    for (let task = next(); task !== undefined; task = next()) {
      if (control.signal?.aborted === true) return;
      control.onResults?.(task, await runFuzzTask(task));
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
