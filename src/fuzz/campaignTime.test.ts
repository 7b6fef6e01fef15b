// A campaign with a time budget, on an injected clock: tasks are sized from the time a case
// takes, so the budget is overshot by at most one task of bounded length; a task stopped at the
// budget leaves a gap-free prefix; and runFuzzTask stops before its next case once past stopAt.
import { describe, expect, it } from 'vitest';
import { buildBase } from './base.js';
import { runCampaign, timeSlice, type CampaignOptions } from './campaign.js';
import type { FuzzExecutor } from './executor.js';
import type { CaseResult, FuzzSettings, FuzzTask } from './protocol.js';
import { runFuzzTask, wallClock } from './runCases.js';

const settings: FuzzSettings = {
  target: 'model',
  timeoutMs: 1000,
  sampleBytes: 512,
  callsMax: 16,
  seed: 5,
  seedText: '5',
};
const base = buildBase([], 16);

// Each result labels its keys, as a worker thread does the first time it reports one.
const passed = (index: number, keys: number[] = []): CaseResult => ({
  index,
  calls: 1,
  outcome: 'pass',
  violations: [],
  keys,
  ...(keys.length === 0 ? {} : { labelKeys: keys, labels: keys.map((k) => `key ${k}`) }),
});

/** Runs tasks one after another, each case advancing the clock by `caseMs`. */
class ClockedExecutor implements FuzzExecutor {
  readonly tasks: number[][] = [];
  t = 0;
  constructor(
    readonly workers: number,
    private readonly caseMs: number,
  ) {}
  async run(
    next: () => FuzzTask | undefined,
    control: Parameters<FuzzExecutor['run']>[1] = {},
  ): Promise<void> {
    for (let task = next(); task !== undefined; task = next()) {
      this.tasks.push([...task.cases]);
      this.t += task.cases.length * this.caseMs;
      control.onResults?.(
        task,
        task.cases.map((i) => passed(i)),
      );
      await Promise.resolve();
    }
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const options = (ex: ClockedExecutor, timeMs: number): CampaignOptions => ({
  settings,
  base: base.shared,
  baseKeys: base.keys,
  shard: { index: 0, count: 1 },
  timeMs,
  now: () => ex.t,
});

describe('a campaign with --time', () => {
  it('overshoots by at most one task of about 200 ms when cases are slow', async () => {
    // 30 ms a case: tasks of 4, 8, 16, 32, 64 cases would end at 1.8 s for a 1 s budget.
    const ex = new ClockedExecutor(1, 30);
    const r = await runCampaign(ex, options(ex, 1000));
    expect(r.stoppedBy).toBe('time');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(r.elapsedMs).toBeLessThanOrEqual(1000 + 200);
    // Every task after the first result is about 200 ms of work at most.
    for (const t of ex.tasks) expect(t.length * 30).toBeLessThanOrEqual(200);
    expect(r.cases).toBe(ex.tasks.flat().length);
    expect(r.runsEquivalent).toBe(r.cases);
  });

  it('with 2 workers, counts the time per case as each worker spends it', async () => {
    // Results come back twice as fast as one thread runs them: 2 x 10 ms a case per worker.
    const ex = new ClockedExecutor(2, 10);
    await runCampaign(ex, options(ex, 2000));
    expect(Math.max(...ex.tasks.slice(1).map((t) => t.length))).toBe(10);
  });

  it('keeps tasks at the batch size when cases are fast', async () => {
    const ex = new ClockedExecutor(1, 0.05);
    const r = await runCampaign(ex, options(ex, 100));
    expect(Math.max(...ex.tasks.map((t) => t.length))).toBe(64);
    expect(r.elapsedMs).toBeLessThanOrEqual(100 + 64 * 0.05);
  });

  it('never sizes a task below one case, nor above the time left', () => {
    expect(timeSlice(1000, 500, 1, 1)).toBe(1); // 500 ms a case
    expect(timeSlice(1000, 900, 90, 1)).toBe(10); // 10 ms a case, 100 ms left
    expect(timeSlice(1000, 100, 100, 2)).toBe(100); // 2 ms a case per worker
    expect(timeSlice(undefined, 100, 100, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(timeSlice(1000, 0, 0, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a task stopped at the budget leaves the gap-free prefix; later results are dropped', async () => {
    let handed = 0;
    const ex: FuzzExecutor = {
      workers: 2,
      run: async (next, control = {}) => {
        const first = next();
        const second = next();
        if (first === undefined || second === undefined) throw new Error('two tasks expected');
        handed = first.cases.length + second.cases.length;
        // The second finished whole; the first stopped after two cases (time was up).
        control.onResults?.(
          second,
          second.cases.map((i) => passed(i, [1000 + i])),
        );
        control.onResults?.(first, [passed(0, [1]), passed(1, [2])]);
        await Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    const r = await runCampaign(ex, { ...options(new ClockedExecutor(1, 0), 1000), now: () => 0 });
    expect(handed).toBe(12);
    expect(r.cases).toBe(2);
    expect(r.runsEquivalent).toBe(2);
    expect([...r.firstSeen.keys()]).toEqual([1, 2]);
    expect(r.kept).toEqual([0, 1]);
  });
});

describe('runFuzzTask with stopAt', () => {
  const task: FuzzTask = { settings, base: base.shared, cases: [0, 1, 2] };

  it('past stopAt, runs the first case only', async () => {
    const r = await runFuzzTask({ ...task, stopAt: wallClock() - 1 });
    expect(r.map((x) => x.index)).toEqual([0]);
  });

  it('before stopAt, runs every case, with the results it gives without one', async () => {
    const r = await runFuzzTask({ ...task, stopAt: wallClock() + 60_000 });
    expect(r).toEqual(await runFuzzTask(task));
    expect(r.map((x) => x.index)).toEqual([0, 1, 2]);
  });
});
