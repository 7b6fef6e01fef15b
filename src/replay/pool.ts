// The parallel pool: the only Piscina user. Tasks carry their traces as shared bytes (no
// cloning), results go back by item id, and a watchdog reads each task's heartbeat: a target
// stuck inside one call for longer than the timeout gets its worker terminated (Piscina
// replaces it), that trace is reported as target-timeout, and the rest of the task re-runs.
// TaskPool is the same machinery for any kind of task (replay here, fuzz cases in src/fuzz):
// a worker module, a timeout per task, and what to report and re-run after a kill. A worker
// that dies under its target (the target exits the thread, runs it out of memory, throws
// outside any call) costs only the trace or case in hand: it is reported as target-crashed,
// Piscina starts a new worker, and the rest of the task runs again.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { byId, type Executor, type RunControl } from './executor.js';
import { explainText, type ItemResult, type ReplayTask } from './protocol.js';
import { askStop, heldItem, newHeartbeat, progressCount } from './heartbeat.js';
import { replayAfterDeath, replayAfterKill } from './replayAfter.js';
import type { WorkerReply } from './workerReply.js';
import { startTimeoutMs } from './startTimeout.js';

/**
 * The compiled worker, bundled (scripts/bundle.ts; tests run from src/ but workers need
 * JavaScript: dist/ is built first). Relative to dist/X/, where this module and the CLI's
 * bundle both live.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return here.replace(/[\\/]src[\\/]replay[\\/]pool\.ts$/, '/dist/replay/worker.bundle.js');
  return fileURLToPath(new URL('../replay/worker.bundle.js', import.meta.url));
}

/**
 * Piscina loads a worker with require() first and import() after; where require() can load
 * ES modules (Node >= 20.19), a failed attempt can leave the module half-registered and the
 * import() then trips an internal assertion (seen intermittently in long fuzz runs). Workers
 * go straight to import() instead.
 */
export function workerExecArgv(): string[] {
  const flag = '--experimental-require-module';
  const inherited = withoutTsx(process.execArgv);
  return process.allowedNodeEnvironmentFlags.has(flag)
    ? [...inherited, '--no-experimental-require-module']
    : inherited;
}

/** The worker flags the first pool started with (so later pools need no second try). */
let acceptedArgv: string[] | undefined;

/**
 * The flags a Worker refused to start with (ERR_WORKER_INVALID_EXEC_ARGV; its message lists
 * them), else undefined. Workers take per-thread Node flags only: V8 and per-process flags
 * (`node --max-old-space-size=4096 bin/vpdma.js ...`) already apply to the whole process,
 * so dropping them from the workers' list loses nothing.
 */
export function refusedWorkerFlags(e: unknown): Set<string> | undefined {
  if (!(e instanceof Error) || (e as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV')
    return undefined;
  const listed = /flags: (.*)$/.exec(e.message)?.[1];
  return listed === undefined ? undefined : new Set(listed.split(', '));
}

/**
 * Workers run compiled JavaScript (dist/) and never need tsx. Under `npx tsx` (the benchmark
 * scripts) its loader would be inherited and hook every import of the workers: measured,
 * the same fuzz tasks ran about 1.25x slower in such a worker than in the tsx process itself,
 * and about 1.05x under plain node.
 */
export function withoutTsx(argv: readonly string[]): string[] {
  const out: string[] = [];
  const isTsx = (v: string | undefined): boolean =>
    v !== undefined && /[\\/]tsx[\\/]|^tsx(\/|$)/.test(v);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const [name, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (!['--require', '-r', '--import', '--loader', '--experimental-loader'].includes(name)) {
      out.push(a);
    } else if (inline !== undefined) {
      if (!isTsx(inline)) out.push(a);
    } else if (isTsx(argv[i + 1])) i++;
    else out.push(a);
  }
  return out;
}

const watchdogMs = 100;
/**
 * Grace on top of the call timeout before a silent worker is killed: a call that never settles
 * is timed out inside the worker at the timeout, so the kill is for a synchronous hang only,
 * and the grace only has to cover timer lateness. Half the timeout, 200 to 1000 ms: at
 * --timeout 500 a spinning target's case costs 0.75 s, not 1.5 s (each hanging candidate of
 * a minimization pays it).
 */
export function killSlackMs(timeoutMs: number): number {
  return Math.min(1000, Math.max(200, Math.round(timeoutMs / 2)));
}

/**
 * Each worker thread's JavaScript heap limit in MiB for pools created from now on (undefined:
 * Node's own). The CLI sets it per command from --worker-heap-mb: a target that leaks then
 * dies at that size as a target-crashed of its trace, not after eating the machine's memory.
 */
let workerHeapMb: number | undefined;

export function setWorkerHeapLimit(mb: number | undefined): void {
  workerHeapMb = mb;
}

/** Any pooled task: the pool fills in the heartbeat. */
export interface PooledTask {
  readonly heartbeat?: SharedArrayBuffer;
}

/** What the pool needs to know about one kind of task. */
export interface TaskKind<T extends PooledTask, R> {
  /** The worker module (a path or a file: URL) whose default export runs a task. */
  readonly filename: string;
  /** How long one call may stay silent before the worker is killed (plus a grace period). */
  timeoutMs(task: T): number;
  /** The same before the first call, while the target starts (default: timeoutMs). */
  startTimeoutMs?(task: T): number;
  /**
   * On a stop (TaskControl.signal): how long a running task has to return what it has so far
   * after being asked to (heartbeat askStop) before its worker is terminated. Default 0: the
   * worker is terminated at once and its task's results are lost.
   */
  stopGraceMs?(task: T): number;
  /** Tasks per worker given to Piscina at once (default 1): with 2, the next one waits queued. */
  readonly tasksPerWorker?: number;
  /** After a kill: results for what was stuck, and the rest of the task to run again. */
  afterKill(task: T, beat: Int32Array): { readonly results: R[]; readonly redo?: T };
  /** After the worker died (`why`): the same, for the item it had in hand. */
  afterDeath(task: T, beat: Int32Array, why: string): { readonly results: R[]; readonly redo?: T };
}

/** A failure of the harness inside a worker: a bug, which ends the run (exit code 3). */
class HarnessError extends Error {}

export interface TaskControl<T, R> {
  /** Called with each task's results as it finishes, in completion order. */
  readonly onResults?: (task: T, results: R[]) => void;
  /**
   * Stop: no new tasks start; running ones are asked to stop and return what they have
   * (within the kind's stopGraceMs), else abandoned.
   */
  readonly signal?: AbortSignal;
}

interface Running {
  readonly timeoutMs: number;
  readonly startTimeoutMs: number;
  readonly beat: Int32Array;
  readonly abort: AbortController;
  lastCount: number;
  lastChange: number;
}

export class TaskPool<T extends PooledTask, R> {
  private readonly pool: Piscina<T, WorkerReply<R>>;
  private readonly running = new Set<Running>();
  private readonly strayErrorListeners: ((error: unknown) => void)[] = [];

  constructor(
    readonly workers: number,
    private readonly kind: TaskKind<T, R>,
  ) {
    const make = (execArgv: string[]): Piscina<T, WorkerReply<R>> =>
      new Piscina({
        filename: kind.filename,
        minThreads: workers,
        maxThreads: workers,
        idleTimeout: 60_000,
        execArgv,
        ...(workerHeapMb === undefined
          ? {}
          : { resourceLimits: { maxOldGenerationSizeMb: workerHeapMb } }),
      });
    let argv = acceptedArgv ?? workerExecArgv();
    try {
      this.pool = make(argv);
    } catch (e) {
      const refused = refusedWorkerFlags(e);
      if (refused === undefined) throw e;
      argv = argv.filter((a) => !refused.has(a));
      this.pool = make(argv);
    }
    acceptedArgv = argv;
    // A worker's 'error' (out of memory, an exception thrown outside any call) rejects the task
    // it was running: runOne reports that as target-crashed at the call in hand. With no task in
    // hand Piscina emits it on the pool instead, and unheard it would end vpdma: seen when a
    // worker the watchdog was terminating ran out of memory first (its case already a
    // target-timeout), or when a target throws from a timer after its last trace. Piscina has
    // already replaced that worker and no result is lost, so the error is only passed on.
    this.pool.on('error', (e: unknown) => {
      for (const listener of this.strayErrorListeners) listener(e);
    });
  }

  /** Runs tasks pulled from `next` on every worker until it returns undefined. */
  async run(next: () => T | undefined, control: TaskControl<T, R> = {}): Promise<void> {
    const redo: T[] = [];
    const timer = setInterval(() => this.watch(), watchdogMs);
    try {
      const lane = async (): Promise<void> => {
        for (let task = redo.shift() ?? next(); task !== undefined; task = redo.shift() ?? next()) {
          if (control.signal?.aborted === true) return;
          const again = await this.runOne(task, control);
          if (again !== undefined) redo.unshift(again);
        }
      };
      const lanes = Array.from({ length: this.workers * (this.kind.tasksPerWorker ?? 1) }, lane);
      await Promise.all(lanes);
    } finally {
      clearInterval(timer);
    }
  }

  /** Runs one task; returns what to re-run when its worker had to be killed. */
  private async runOne(task: T, control: TaskControl<T, R>): Promise<T | undefined> {
    const { buffer: heartbeat, beat } = newHeartbeat();
    const r: Running = {
      timeoutMs: this.kind.timeoutMs(task),
      startTimeoutMs: this.kind.startTimeoutMs?.(task) ?? this.kind.timeoutMs(task),
      beat,
      abort: new AbortController(),
      lastCount: 0,
      lastChange: Date.now(),
    };
    const signal = control.signal;
    const graceMs = this.kind.stopGraceMs?.(task) ?? 0;
    let grace: NodeJS.Timeout | undefined;
    // A task asked to stop returns what it has; one hung in a call is terminated after the grace.
    const onStop = (): void => {
      if (graceMs <= 0) return r.abort.abort();
      askStop(beat);
      grace = setTimeout(() => r.abort.abort(), graceMs);
    };
    signal?.addEventListener('abort', onStop);
    this.running.add(r);
    try {
      const reply = await this.pool.run({ ...task, heartbeat }, { signal: r.abort.signal });
      // Out of the running set before its results count: inFlight never counts twice.
      this.running.delete(r);
      if ('harnessError' in reply) throw new HarnessError(reply.harnessError);
      control.onResults?.(task, reply.results);
      return undefined;
    } catch (e) {
      if (e instanceof HarnessError) throw e;
      if (signal?.aborted === true) return undefined;
      this.running.delete(r);
      const after = r.abort.signal.aborted
        ? this.kind.afterKill(task, beat)
        : this.kind.afterDeath(task, beat, e instanceof Error ? e.message : String(e));
      control.onResults?.(task, after.results);
      return after.redo;
    } finally {
      clearTimeout(grace);
      this.running.delete(r);
      signal?.removeEventListener('abort', onStop);
    }
  }

  /**
   * `count` (callsMade, violationsFound, bytesRead) summed over the tasks still running (their
   * heartbeats): with the finished tasks' results, live progress through a long trace.
   */
  inFlight(count: (beat: Int32Array) => number): number {
    let n = 0;
    for (const r of this.running) n += count(r.beat);
    return n;
  }

  private watch(): void {
    const now = Date.now();
    for (const r of this.running) {
      const count = progressCount(r.beat);
      // Not started (queued, tasksPerWorker) is not silent, nor is time outside the target
      // (reading a streamed trace's next batch): a call's clock starts when it is back in it.
      const outside = Atomics.load(r.beat, 0) < 0;
      if (count !== r.lastCount || (count === 0 && heldItem(r.beat) < 0) || outside) {
        r.lastCount = count;
        r.lastChange = now;
      } else {
        const limit = Atomics.load(r.beat, 3) < 0 ? r.startTimeoutMs : r.timeoutMs;
        if (now - r.lastChange > limit + killSlackMs(limit)) r.abort.abort();
      }
    }
  }

  /**
   * Hears what workers send besides results (`parentPort.postMessage`), in the order each
   * worker sent it, until close() returns: a worker's messages are all heard by the time its
   * thread has exited, even when it was killed.
   */
  onMessage(listener: (message: unknown) => void): void {
    this.pool.on('message', listener);
  }

  /** Hears a worker's error that came with no task in hand (the worker is already replaced). */
  onStrayError(listener: (error: unknown) => void): void {
    this.strayErrorListeners.push(listener);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * How long a replay task has after Ctrl-C to return the traces it is in part way (it stops at
 * its next call), at least: a call in flight has its --timeout on top, so a slow call is not
 * taken for a hung one. A target hung in a call has its worker terminated after it, as before.
 */
export const STOP_GRACE_MS = 2000;

export class PiscinaExecutor implements Executor {
  private readonly tasks: TaskPool<ReplayTask, ItemResult>;
  /** The last run's --explain listener: its text may still come in until close(). */
  private explain: ((text: string) => void) | undefined;

  constructor(readonly workers: number) {
    this.tasks = new TaskPool(workers, {
      filename: workerFile(),
      timeoutMs: (t) => t.settings.timeoutMs,
      startTimeoutMs: (t) =>
        startTimeoutMs(t.settings.target, t.settings.timeoutMs, t.settings.startTimeoutMs),
      stopGraceMs: (t) => STOP_GRACE_MS + t.settings.timeoutMs,
      afterKill: replayAfterKill,
      afterDeath: replayAfterDeath,
    });
    this.tasks.onMessage((m) => {
      const text = explainText(m);
      if (text !== undefined) this.explain?.(text);
    });
  }

  /**
   * `count` summed over the tasks still running: heartbeat.ts's callsMade, violationsFound or
   * bytesRead, for live progress through a long trace (see TaskPool.inFlight).
   */
  inFlight(count: (beat: Int32Array) => number): number {
    return this.tasks.inFlight(count);
  }

  async run(tasks: readonly ReplayTask[], control: RunControl = {}): Promise<ItemResult[]> {
    const results = new Map<number, ItemResult>();
    const queue = [...tasks];
    this.explain = control.onExplain;
    await this.tasks.run(() => queue.shift(), {
      ...(control.signal === undefined ? {} : { signal: control.signal }),
      onResults: (_task, items) => {
        for (const r of items) {
          results.set(r.id, r);
          control.onItem?.(r);
        }
      },
    });
    return byId(results.values());
  }

  async close(): Promise<void> {
    await this.tasks.close();
  }
}
