// The parallel pool: the only Piscina user. Tasks carry their traces as shared bytes (no
// cloning), results go back by item id, and a watchdog reads each task's heartbeat: a target
// stuck inside one call for longer than the timeout gets its worker terminated (Piscina
// replaces it), that trace is reported as target-timeout, and the rest of the task re-runs.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { byId, type Executor, type RunControl } from './executor.js';
import { HEARTBEAT_SLOTS, type ItemResult, type ReplayTask } from './protocol.js';
import { violation } from './violation.js';
import { fnName } from './fnIndex.js';

/** The compiled worker (tests run from src/ but workers need JavaScript: dist/ is built first). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return here.replace(/[\\/]src[\\/]replay[\\/]pool\.ts$/, '/dist/replay/worker.js');
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

const watchdogMs = 100;
/** Grace on top of the call timeout before a silent worker is killed. */
const killSlackMs = 1000;

interface Running {
  readonly task: ReplayTask;
  readonly beat: Int32Array;
  readonly abort: AbortController;
  lastCount: number;
  lastChange: number;
}

export class PiscinaExecutor implements Executor {
  private readonly pool: Piscina<ReplayTask, ItemResult[]>;

  constructor(readonly workers: number) {
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
    });
  }

  async run(tasks: readonly ReplayTask[], control: RunControl = {}): Promise<ItemResult[]> {
    const results = new Map<number, ItemResult>();
    const queue = [...tasks];
    const running = new Set<Running>();
    const timer = setInterval(() => this.watch(running), watchdogMs);
    const deliver = (r: ItemResult): void => {
      results.set(r.id, r);
      control.onItem?.(r);
    };
    try {
      const lanes = Array.from({ length: this.workers }, async () => {
        for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
          if (control.signal?.aborted === true) return;
          const redo = await this.runOne(task, running, deliver, control.signal);
          if (redo !== undefined) queue.unshift(redo);
        }
      });
      await Promise.all(lanes);
    } finally {
      clearInterval(timer);
    }
    return byId(results.values());
  }

  /** Runs one task; returns the items to retry when its worker had to be killed. */
  private async runOne(
    task: ReplayTask,
    running: Set<Running>,
    deliver: (r: ItemResult) => void,
    signal?: AbortSignal,
  ): Promise<ReplayTask | undefined> {
    const heartbeat = new SharedArrayBuffer(HEARTBEAT_SLOTS * 4);
    const beat = new Int32Array(heartbeat);
    Atomics.store(beat, 0, -1);
    const r: Running = {
      task,
      beat,
      abort: new AbortController(),
      lastCount: 0,
      lastChange: Date.now(),
    };
    const onStop = (): void => r.abort.abort();
    signal?.addEventListener('abort', onStop);
    running.add(r);
    try {
      for (const item of await this.pool.run({ ...task, heartbeat }, { signal: r.abort.signal }))
        deliver(item);
      return undefined;
    } catch (e) {
      if (signal?.aborted === true) return undefined;
      if (!r.abort.signal.aborted) throw e;
      return this.afterKill(task, beat, deliver);
    } finally {
      running.delete(r);
      signal?.removeEventListener('abort', onStop);
    }
  }

  private afterKill(
    task: ReplayTask,
    beat: Int32Array,
    deliver: (r: ItemResult) => void,
  ): ReplayTask | undefined {
    const hungId = Atomics.load(beat, 0);
    const callIndex = Atomics.load(beat, 1);
    const hung = task.items.find((i) => i.id === hungId);
    if (hung !== undefined) {
      const ms = task.settings.timeoutMs;
      const fn = fnName(Atomics.load(beat, 3));
      const v = violation(
        'target-timeout',
        fn,
        callIndex,
        `${fn} did not return within ${ms} ms; its worker was terminated`,
      );
      deliver({
        id: hung.id,
        label: hung.label,
        result: { outcome: 'timeout', calls: callIndex, violations: [v] },
      });
    }
    const rest = task.items.filter((i) => i.id !== hungId);
    return rest.length === 0 ? undefined : { ...task, items: rest };
  }

  private watch(running: Set<Running>): void {
    const now = Date.now();
    for (const r of running) {
      const count = Atomics.load(r.beat, 2);
      if (count !== r.lastCount) {
        r.lastCount = count;
        r.lastChange = now;
      } else if (
        Atomics.load(r.beat, 0) >= 0 &&
        now - r.lastChange > r.task.settings.timeoutMs + killSlackMs
      ) {
        r.abort.abort();
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
