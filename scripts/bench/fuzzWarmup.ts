// The first seconds of a campaign: CPU per case in one thread, cold (a fresh process) and then
// warm (the same cases again in the same process, as a new campaign), by CPU time, so a loaded
// machine still gives a reading. Each window runs `cases` cases from `from` (seed 12, target
// `model`, the bundled corpus, tasks of 64) through runFuzzTask, as a worker does; the rows
// give ms of CPU per case for each 512 cases. If the cold window's first rows are dear and the
// warm window's are not, the slow start is the thread warming up (V8 compiling and optimizing),
// not the cases: every thread of a campaign (this one and each worker) pays it once.
// `process.cpuUsage()` counts the whole process: V8's compiler threads included.
//   npx tsx scripts/bench/fuzzWarmup.ts [cases=5504] [from=0]
import { loadavg } from 'node:os';
import { buildBase } from '../../src/fuzz/base.js';
import { runFuzzTask } from '../../src/fuzz/runCases.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { fuzzSettings } from './fuzzSetup.js';

const cases = Number(process.argv[2] ?? 5504);
const from = Number(process.argv[3] ?? 0);
const taskCases = 64;
const rowCases = 512;

const settings = fuzzSettings(12, { callsMax: 64 });
const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
const base = buildBase(named, settings.callsMax);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function window(campaign: number): Promise<{ perTask: number[]; calls: number }> {
  const perTask: number[] = [];
  let calls = 0;
  for (let j = from; j < from + cases; j += taskCases) {
    const indices = Array.from({ length: Math.min(taskCases, from + cases - j) }, (_, k) => j + k);
    const c0 = cpuMs();
    const results = await runFuzzTask({ settings, base: base.shared, cases: indices, campaign });
    perTask.push(cpuMs() - c0);
    for (const r of results) calls += r.calls;
  }
  return { perTask, calls };
}

function rows(perTask: readonly number[]): string {
  const per = rowCases / taskCases;
  const out: string[] = [];
  for (let i = 0; i < perTask.length; i += per) {
    const slice = perTask.slice(i, i + per);
    out.push((slice.reduce((a, b) => a + b, 0) / (slice.length * taskCases)).toFixed(2));
  }
  return out.join(' ');
}

const load = loadavg()[0]?.toFixed(1) ?? '?';
for (const [what, campaign] of [
  ['cold', 1],
  ['warm', 2],
] as const) {
  const w = await window(campaign);
  const total = w.perTask.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${what}: cases ${from}..${from + cases - 1}, ${w.calls} calls, CPU ${total.toFixed(0)} ms ` +
      `(${(total / cases).toFixed(3)} ms/case); ms/case per ${rowCases}: ${rows(w.perTask)}\n`,
  );
}
process.stdout.write(`load ${load} at the start\n`);
