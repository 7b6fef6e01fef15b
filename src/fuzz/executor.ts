// Where fuzz tasks run: the Piscina pool (src/replay/pool.ts's TaskPool, with this kind's
// worker and kill handling) or this thread (tests, --workers 1 debugging). Both deliver each
// task's results whole; the campaign orders them by case index, so which ran cannot matter.
import { deadWorkerViolation, heldItem, hungCallViolation } from '../replay/heartbeat.js';
import { TaskPool, type TaskControl } from '../replay/pool.js';
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
  const results: CaseResult[] = [];
  if (task.cases.includes(hung)) {
    const v = hungCallViolation(beat, task.settings.timeoutMs);
    results.push({
      index: hung,
      calls: v.callIndex + 1,
      outcome: 'timeout',
      violations: [v],
      keys: [],
    });
  }
  const rest = task.cases.filter((i) => i !== hung);
  return rest.length === 0 ? { results } : { results, redo: { ...task, cases: rest } };
}

/** After a worker died under the target: the case in hand crashed, the rest re-runs. */
export function fuzzAfterDeath(
  task: FuzzTask,
  beat: Int32Array,
  why: string,
): { results: CaseResult[]; redo?: FuzzTask } {
  const held = heldItem(beat);
  if (!task.cases.includes(held)) {
    // Between cases: starting the target (the session) killed it. Every case would.
    const setupError = `the target killed its worker thread while starting (${why})`;
    return {
      results: task.cases.map((index) => ({
        index,
        calls: 0,
        outcome: 'crash' as const,
        violations: [],
        keys: [],
        setupError,
      })),
    };
  }
  const v = deadWorkerViolation(beat, why);
  const results: CaseResult[] = [
    { index: held, calls: v.callIndex + 1, outcome: 'crash', violations: [v], keys: [] },
  ];
  const rest = task.cases.filter((i) => i !== held);
  return rest.length === 0 ? { results } : { results, redo: { ...task, cases: rest } };
}

/** The pool; for an in-process target (`target`), with this thread helping while it starts. */
export function createFuzzPool(workers: number, target?: string): FuzzExecutor {
  const pool = new TaskPool<FuzzTask, CaseResult>(workers, {
    filename: fuzzWorkerFile(),
    timeoutMs: (t) => t.settings.timeoutMs,
    afterKill: fuzzAfterKill,
    afterDeath: fuzzAfterDeath,
  });
  return target !== undefined && inProcess(target) ? new WarmingPool(pool) : pool;
}

/** In-process targets whose calls cannot block this thread (hangs in them are promises). */
const inProcess = (spec: string): boolean => /^(model|mutant)(:|$)/.test(spec);

/**
 * The pool, with this thread running tasks too until the first pool task comes back: worker
 * threads take a while to start (module loading), and the first cases are often where the
 * shallow bugs are. Only for in-process targets (model, mutant:), which cannot block this
 * thread: their hangs are promises that time out. Which thread ran a task never changes its
 * results.
 */
class WarmingPool implements FuzzExecutor {
  constructor(private readonly pool: TaskPool<FuzzTask, CaseResult>) {}

  get workers(): number {
    return this.pool.workers;
  }

  async run(
    next: () => FuzzTask | undefined,
    control: TaskControl<FuzzTask, CaseResult> = {},
  ): Promise<void> {
    const first = next();
    if (first === undefined) return;
    let warm = false;
    // Each worker's first task has no cases: it loads the modules and decodes the base corpus
    // while this thread runs the first real tasks, in order.
    let warmups = this.pool.workers;
    const pull = (): FuzzTask | undefined =>
      warmups-- > 0 ? { settings: first.settings, base: first.base, cases: [] } : next();
    const meanwhile = async (): Promise<void> => {
      for (
        let task: FuzzTask | undefined = first;
        task !== undefined;
        task = warm ? undefined : next()
      ) {
        control.onResults?.(task, await runFuzzTask(task));
        await new Promise((r) => setImmediate(r));
        if (control.signal?.aborted === true) return;
      }
    };
    const pooled = this.pool.run(pull, {
      ...control,
      onResults: (t, r) => {
        // A worker's first real task runs cold (unoptimized code): help until one is back.
        if (t.cases.length === 0) return;
        warm = true;
        control.onResults?.(t, r);
      },
    });
    await Promise.all([pooled, meanwhile()]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
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
