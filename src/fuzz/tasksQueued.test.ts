// The fuzz pool keeps a task queued behind each running one (dist/ must be built for the
// workers): a worker that ends a task finds the next already handed to Piscina instead of
// waiting for this thread to take in its results and make the next. Results do not change.
import { describe, expect, it } from 'vitest';
import { TaskPool } from '../replay/pool.js';
import { startTimeoutMs } from '../replay/startTimeout.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase } from './base.js';
import { fuzzAfterDeath, fuzzAfterKill, fuzzWorkerFile } from './executor.js';
import type { CaseResult, FuzzSettings, FuzzTask } from './protocol.js';

const settings: FuzzSettings = {
  target: 'model',
  timeoutMs: 1000,
  sampleBytes: 512,
  callsMax: 16,
  seed: 3,
  seedText: '3',
};
const base = buildBase(await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/'), 16);

/** Tasks in flight at most (handed out, results not back), and every result by case. */
async function run(tasksPerWorker?: number): Promise<{ most: number; results: CaseResult[] }> {
  const pool = new TaskPool<FuzzTask, CaseResult>(2, {
    filename: fuzzWorkerFile(),
    timeoutMs: (t) => t.settings.timeoutMs,
    startTimeoutMs: (t) => startTimeoutMs(t.settings.target, t.settings.timeoutMs),
    ...(tasksPerWorker === undefined ? {} : { tasksPerWorker }),
    afterKill: fuzzAfterKill,
    afterDeath: fuzzAfterDeath,
  });
  let made = 0;
  let inFlight = 0;
  let most = 0;
  const results: CaseResult[] = [];
  try {
    await pool.run(
      () => {
        if (made === 12) return undefined;
        most = Math.max(most, ++inFlight);
        const cases = [0, 1, 2, 3].map((k) => 4 * made + k);
        made++;
        return { settings, base: base.shared, cases };
      },
      {
        onResults: (_t, rs) => {
          inFlight--;
          results.push(...rs);
        },
      },
    );
  } finally {
    await pool.close();
  }
  // Labels depend on the thread's history (no campaign here: per task); the rest must not.
  const plain = results.map(({ index, calls, outcome, violations, keys }) => ({
    index,
    calls,
    outcome,
    violations,
    keys,
  }));
  return { most, results: plain.sort((a, b) => a.index - b.index) };
}

describe('tasks queued per worker', () => {
  it('two per worker: four in flight on two workers, one each by default; same results', async () => {
    const queued = await run(2);
    const single = await run();
    expect(queued.most).toBe(4);
    expect(single.most).toBe(2);
    expect(queued.results.map((r) => r.index)).toEqual([...Array(48).keys()]);
    expect(queued.results).toEqual(single.results);
  });
});
