// A worker that fails while it runs no task (Piscina emits that on the pool, not on a task):
// the pool hears it, Piscina replaces the worker, and later tasks run. Unheard, the 'error'
// event would end the process (probe 2 of session 30: fuzz against a leaking module target,
// whose worker ran out of memory while the watchdog was terminating it).
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/waitFor.js';
import { TaskPool, type PooledTask, type TaskKind } from './pool.js';

interface LateTask extends PooledTask {
  readonly n: number;
  readonly channel: string;
}

const kind: TaskKind<LateTask, number> = {
  filename: fileURLToPath(new URL('../../test/fixtures/late-error-worker.mjs', import.meta.url)),
  timeoutMs: () => 60_000,
  afterKill: () => ({ results: [-1] }),
  afterDeath: () => ({ results: [-2] }),
};

/** Runs the single task `task` on `pool`: its results. */
async function runOnce(pool: TaskPool<LateTask, number>, task: LateTask): Promise<number[]> {
  const got: number[] = [];
  let queue: LateTask | undefined = task;
  const next = (): LateTask | undefined => {
    const t = queue;
    queue = undefined;
    return t;
  };
  await pool.run(next, { onResults: (_t, r) => got.push(...r) });
  return got;
}

describe('a pool worker failing with no task in hand', () => {
  it('is heard as a stray error, its worker replaced, and the next task runs', async () => {
    const channel = `vpdma-stray-${process.pid}-${Date.now()}`;
    // An idle Piscina worker blocks in Atomics.wait (its timers and messages wait for the next
    // task); without atomics its event loop runs between tasks, so it can fail there. Workers
    // read this when they load.
    process.env['PISCINA_DISABLE_ATOMICS'] = '1';
    const pool = new TaskPool(1, kind);
    const stray: unknown[] = [];
    pool.onStrayError((e) => stray.push(e));
    const bc = new BroadcastChannel(channel);
    try {
      expect(await runOnce(pool, { n: 1, channel })).toEqual([1]);
      bc.postMessage('throw');
      expect(await waitFor(() => stray.length > 0, 30_000)).toBe(true);
      expect(String(stray[0])).toContain('thrown with no task in hand');
      // A new worker answers: not -2 (a death in hand) and not a rejected run.
      expect(await runOnce(pool, { n: 2, channel })).toEqual([2]);
      expect(stray).toHaveLength(1);
    } finally {
      delete process.env['PISCINA_DISABLE_ATOMICS'];
      bc.close();
      await pool.close();
    }
  });
});
