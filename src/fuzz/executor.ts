// Where fuzz tasks run: the Piscina pool (src/replay/pool.ts's TaskPool, with this kind's
// worker and kill handling) or this thread (tests, --workers 1 debugging). Both deliver each
// task's results whole; the campaign orders them by case index, so which ran cannot matter.
import { deadWorkerViolation, heldItem, hungCallViolation } from '../replay/heartbeat.js';
import { TaskPool, type TaskControl } from '../replay/pool.js';
import type { CaseResult, FuzzTask } from './protocol.js';
import { startTimeoutMs } from '../replay/startTimeout.js';
import { runFuzzTask } from './runCases.js';

export interface FuzzExecutor {
  readonly workers: number;
  /**
   * Worker threads started so far: 0 when every case ran in this thread (a campaign that
   * ended before the workers were needed). Absent: all `workers` (a pool starts them at once).
   */
  workersStarted?(): number;
  run(next: () => FuzzTask | undefined, control?: TaskControl<FuzzTask, CaseResult>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The compiled worker, bundled (scripts/bundle.ts): tests run from src/, but workers need
 * dist/ (built first). Relative to dist/X/, where this module and the CLI's bundle both live.
 */
export function fuzzWorkerFile(): string {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return here.replace(/\/src\/fuzz\/executor\.ts$/, '/dist/fuzz/worker.bundle.js');
  return new URL('../fuzz/worker.bundle.js', here).href;
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

export interface FuzzPoolOptions {
  /** How long this thread runs cases alone before the workers start (default `SOLO_MS`). */
  readonly soloMs?: number;
  /** Tasks this thread runs at most (default: until a worker's first task is back). */
  readonly tasksHereMax?: number;
}

/** The pool; for an in-process target (`target`), with this thread running the first cases. */
export function createFuzzPool(
  workers: number,
  target?: string,
  o: FuzzPoolOptions = {},
): FuzzExecutor {
  const pool = (): TaskPool<FuzzTask, CaseResult> =>
    new TaskPool<FuzzTask, CaseResult>(workers, {
      filename: fuzzWorkerFile(),
      timeoutMs: (t) => t.settings.timeoutMs,
      startTimeoutMs: (t) =>
        startTimeoutMs(t.settings.target, t.settings.timeoutMs, t.settings.startTimeoutMs),
      // Fuzz tasks are short (64 cases of the model take about 15 ms): one queued behind each
      // running one keeps the worker from waiting on this thread between them.
      tasksPerWorker: 2,
      afterKill: fuzzAfterKill,
      afterDeath: fuzzAfterDeath,
    });
  return target !== undefined && startsWorkersLate(target)
    ? new WarmingPool(workers, pool, o.soloMs ?? SOLO_MS, o.tasksHereMax ?? Infinity)
    : pool();
}

/**
 * In-process targets whose calls cannot block this thread (hangs in them are promises): the
 * pool for them starts its workers only once this thread has run cases for `SOLO_MS`, so a
 * campaign that ends sooner starts none. Other targets' pools start all of them at once.
 */
export const startsWorkersLate = (spec: string): boolean => /^(model|mutant)(:|$)/.test(spec);

/**
 * How long this thread runs cases alone before the worker threads start. A worker costs about
 * 130 ms of CPU to start (Node's own bootstrap, the bundled harness, msgpackr, the base
 * corpus), measured; on 2 cores, two of them starting beside this thread slowed its cases
 * about 2x for the first 200 to 300 ms, the very cases where shallow bugs are found. A long
 * campaign loses at most this long of parallelism; a short one may never need workers.
 */
export const SOLO_MS = 100;

/**
 * The pool, started late, with this thread running tasks until the first pool task comes
 * back: alone for the first `soloMs`, then beside the workers while they start. Its results go
 * out case by case, so a find is processed as soon as it is made, not at the end of its task.
 * Only for in-process targets (model, mutant:), which cannot block this thread: their hangs
 * are promises that time out. Which thread ran a case never changes its result.
 */
export class WarmingPool implements FuzzExecutor {
  private pool: TaskPool<FuzzTask, CaseResult> | undefined;
  /** Cases run in this thread and in the pool's workers (tests look). */
  casesHere = 0;
  casesPooled = 0;
  /** When the first run started: a later run (the next --rounds round) goes on from there. */
  private started: number | undefined;

  constructor(
    readonly workers: number,
    private readonly createPool: () => TaskPool<FuzzTask, CaseResult>,
    private readonly soloMs: number,
    private readonly tasksHereMax: number,
  ) {}

  async run(
    next: () => FuzzTask | undefined,
    control: TaskControl<FuzzTask, CaseResult> = {},
  ): Promise<void> {
    // A later run (--rounds: one per round) once the workers were started goes to them alone:
    // this thread helping again would make the round wait for the warm-up tasks once more.
    if (this.pool !== undefined)
      return this.pool.run(next, {
        ...control,
        onResults: (t, r) => {
          this.casesPooled += r.length;
          control.onResults?.(t, r);
        },
      });
    const first = next();
    if (first === undefined) return;
    const started = (this.started ??= performance.now());
    let warm = false;
    let pooled: Promise<void> | undefined;
    const startPool = (): Promise<void> => {
      // Stopped (Ctrl-C) while this thread waited on a case: no workers to start.
      if (control.signal?.aborted === true) return Promise.resolve();
      const pool = (this.pool ??= this.createPool());
      // Each worker's first task has no cases: it loads the modules and decodes the base
      // corpus while this thread goes on with the next real tasks, in order.
      let warmups = pool.workers;
      const pull = (): FuzzTask | undefined =>
        warmups-- > 0 ? { settings: first.settings, base: first.base, cases: [] } : next();
      return pool.run(pull, {
        ...control,
        onResults: (t, r) => {
          // A worker's first real task runs cold (unoptimized code): help until one is back.
          if (t.cases.length === 0) return;
          warm = true;
          this.casesPooled += r.length;
          control.onResults?.(t, r);
        },
      });
    };
    // Also while a case here waits on a hanging call.
    const timer = setTimeout(
      () => {
        pooled ??= startPool();
      },
      Math.max(0, this.soloMs - (performance.now() - started)),
    );
    let task: FuzzTask | undefined = first;
    let tasksHere = 0;
    try {
      while (task !== undefined) {
        const t = task;
        tasksHere++;
        await runFuzzTask(t, (r) => {
          this.casesHere++;
          control.onResults?.(t, [r]);
        });
        if (control.signal?.aborted === true) {
          task = undefined;
          break;
        }
        if (performance.now() - started >= this.soloMs) pooled ??= startPool();
        // Lets the pool's replies (and a signal) in between this thread's tasks.
        await new Promise((r) => setImmediate(r));
        if (warm || tasksHere >= this.tasksHereMax) break;
        task = next();
      }
    } finally {
      clearTimeout(timer);
    }
    // Stopped by tasksHereMax before the pool started: it takes the rest.
    if (task !== undefined) pooled ??= startPool();
    await pooled;
  }

  workersStarted(): number {
    return this.pool === undefined ? 0 : this.workers;
  }

  close(): Promise<void> {
    return this.pool?.close() ?? Promise.resolve();
  }
}

export class InlineFuzzExecutor implements FuzzExecutor {
  readonly workers = 1;

  workersStarted(): number {
    return 0; // every case runs in this thread
  }

  async run(
    next: () => FuzzTask | undefined,
    control: TaskControl<FuzzTask, CaseResult> = {},
  ): Promise<void> {
    for (let task = next(); task !== undefined; task = next()) {
      // A turn of the event loop between tasks: an abort from a timer or a signal handler is
      // heard even when the target is synchronous (the library's fuzzTarget runs here).
      await new Promise<void>((r) => setImmediate(r));
      if (control.signal?.aborted === true) return;
      control.onResults?.(task, await runFuzzTask(task));
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
