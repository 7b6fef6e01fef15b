// What a task costs to go through the Piscina pool (issue: "per-task overhead stays below
// 5%"): the same fuzz tasks run in this thread and through a 1-worker pool, alternately, after
// a warm-up on each side; and the round trip of an empty task (the fixed cost per task: the
// message both ways, the heartbeat, the watchdog's bookkeeping).
//
//   npm run build && npx tsx scripts/bench/poolOverhead.ts [tasks=40] [casesPerTask=64] [rounds=3]
// Everything from dist/, the code the pool's workers run: tsx's own transform of src/ runs at
// a different speed, which would be measured instead of the pool.
import { buildBase } from '../../dist/fuzz/base.js';
import { createFuzzPool } from '../../dist/fuzz/executor.js';
import type { FuzzSettings, FuzzTask } from '../../dist/fuzz/protocol.js';
import { runFuzzTask } from '../../dist/fuzz/runCases.js';
import { bundledCorpusDir, readCorpusDir } from '../../dist/store/corpus.js';

const taskCount = Number(process.argv[2] ?? 40);
const casesPerTask = Number(process.argv[3] ?? 64);
const rounds = Number(process.argv[4] ?? 3);

const settings: FuzzSettings = {
  target: 'model',
  timeoutMs: 1000,
  sampleBytes: 512,
  callsMax: 64,
  seed: 20261128,
  seedText: '20261128',
};
const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
const base = buildBase(named, settings.callsMax).shared;

const tasksFrom = (first: number, count: number, size: number): FuzzTask[] =>
  Array.from({ length: count }, (_, t) => ({
    settings,
    base,
    cases: Array.from({ length: size }, (_, k) => first + t * size + k),
  }));

interface Timing {
  readonly ms: number;
  /** Process CPU time, all threads: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly calls: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

async function inline(tasks: readonly FuzzTask[]): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let calls = 0;
  for (const t of tasks) for (const r of await runFuzzTask(t)) calls += r.calls;
  return { ms: performance.now() - t0, cpuMs: cpuMs(c0), calls };
}

const pool = createFuzzPool(1);
async function pooled(tasks: readonly FuzzTask[]): Promise<Timing> {
  const queue = [...tasks];
  let calls = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await pool.run(() => queue.shift(), {
    onResults: (_t, results) => {
      for (const r of results) calls += r.calls;
    },
  });
  return { ms: performance.now() - t0, cpuMs: cpuMs(c0), calls };
}

// Warm-up: both sides run the same tasks a few times (module loading, JIT: it takes about
// three passes to settle).
const work = tasksFrom(0, taskCount, casesPerTask);
for (let i = 0; i < 3; i++) {
  await inline(work);
  await pooled(work);
}

console.log(
  `${taskCount} tasks of ${casesPerTask} cases (seed ${settings.seed}, target model), ${rounds} rounds\n`,
);
console.log(
  '| round | this thread: wall, CPU | pool, 1 worker: wall, CPU | pool / this thread: wall, CPU |',
);
console.log('| --- | ---: | ---: | ---: |');
for (let round = 1; round <= rounds; round++) {
  const a = await inline(work);
  const b = await pooled(work);
  if (a.calls !== b.calls) throw new Error(`different work: ${a.calls} vs ${b.calls} calls`);
  const ms = (t: Timing): string => `${t.ms.toFixed(0)} ms, ${t.cpuMs.toFixed(0)} ms`;
  console.log(
    `| ${round} | ${ms(a)} | ${ms(b)} | ${(b.ms / a.ms).toFixed(3)}, ${(b.cpuMs / a.cpuMs).toFixed(3)} |`,
  );
}

// The fixed cost per task: empty tasks (no cases) through the pool, one after another.
const empties = 500;
const t0 = performance.now();
await pooled(Array.from({ length: empties }, () => ({ settings, base, cases: [] })));
const roundTripUs = ((performance.now() - t0) * 1000) / empties;
const taskMs = (await inline(work)).ms / taskCount;
console.log(
  `\nempty task round trip: ${roundTripUs.toFixed(0)} µs; a ${casesPerTask}-case task takes ${taskMs.toFixed(1)} ms in this thread: fixed overhead ${((roundTripUs / 1000 / taskMs) * 100).toFixed(2)}% per task`,
);
await pool.close();
