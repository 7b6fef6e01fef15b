// Replay throughput with every check on, over the corpus scaled to millions of calls.
//
//   npx tsx scripts/bench/replay.ts [callsTotal]      (default 10 million)
//
// "The corpus scaled": each bundled scenario's driver program runs again and again inside one
// model until its trace has ~callsTotal/scenarios calls, so every handle stays valid (a
// captured trace of a driver running for a long time). The traces go to .vpt files in the
// temp directory (kept between runs), and `vpdma replay`'s own pool replays them against
// `model`, first with 1 worker, then with 2, in the same run. Figures: calls/s per worker
// count (decode + replay + checks, as a user gets them) and the 2/1 ratio; then, per trace, the
// replay in this thread without the pool or decoding, against the floor of a lockstep oracle.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PiscinaExecutor } from '../../src/replay/pool.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import { createModelTargetSync } from '../../src/replay/modelTarget.js';
import { makeTasks } from '../../src/replay/tasks.js';
import { resolveDevice } from '../../src/model/device.js';
import { readTrace, writeTraceAtomic } from '../../src/store/traceFiles.js';
import { SCENARIOS } from '../corpus/scenarios/index.js';
import { scaled } from './scaledScenario.js';

const callsTotal = Number(process.argv[2] ?? 10_000_000);
const dir = join(tmpdir(), `vpdma-bench-replay-v2-${callsTotal}`);

async function traces(): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const usable = SCENARIOS.filter((s) => s.layout === undefined && s.reactosMisuse === undefined);
  const files: string[] = [];
  let made = 0;
  for (const [i, s] of usable.entries()) {
    const file = join(dir, `${s.name}.vpt`);
    const count = `${file}.calls`; // the call count, written beside the trace
    // Scenarios that leave objects alive stop early (at the model's 4096 live objects of a
    // kind): the ones after them make up the difference, so the total reaches callsTotal.
    const per = Math.ceil((callsTotal - made) / (usable.length - i));
    if (!existsSync(file) || !existsSync(count)) {
      const calls = scaled(s, per);
      await writeTraceAtomic(file, {
        header: {
          format: 'vpdma-trace',
          version: 1,
          profile: 'docs',
          device: s.device ?? {},
          meta: { scenario: s.name },
        },
        calls,
      });
      writeFileSync(count, String(calls.length));
    }
    made += Number(readFileSync(count, 'utf8'));
    files.push(file);
  }
  return files;
}

async function poolRun(
  files: string[],
  workers: number,
): Promise<{ calls: number; seconds: number; violations: number }> {
  const ex = new PiscinaExecutor(workers);
  const items = files.map((path, id) => ({ id, label: path, path, size: statSync(path).size }));
  const settings = { target: 'model', paranoid: false, timeoutMs: 60_000, sampleBytes: 512 };
  // Warm the workers (module loading, JIT) on one small trace first.
  await ex.run(makeTasks(items.slice(0, 1), settings, workers));
  const t0 = performance.now();
  const finished: number[] = []; // when each trace's result came back, for the idle tail
  const results = await ex.run(makeTasks(items, settings, workers), {
    onItem: () => finished.push((performance.now() - t0) / 1000),
  });
  const seconds = (performance.now() - t0) / 1000;
  await ex.close();
  const last = finished.slice(-workers - 1).map((t) => `${t.toFixed(1)} s`);
  console.log(`  last results at ${last.join(', ')}`);
  let calls = 0;
  let violations = 0;
  for (const r of results) {
    calls += r.result?.calls ?? 0;
    violations += r.result?.violations.length ?? 0;
    if (r.inputError !== undefined || r.setupError !== undefined)
      throw new Error(r.inputError ?? r.setupError);
  }
  return { calls, seconds, violations };
}

const files = await traces();
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
console.log(
  `replay bench: ${files.length} scaled corpus traces in ${dir} (${(bytes / 2 ** 20).toFixed(0)} MiB .vpt), ${availableParallelism()} cores, node ${process.version}`,
);
const one = await poolRun(files, 1);
console.log(
  `1 worker : ${one.calls} calls in ${one.seconds.toFixed(2)} s = ${(one.calls / one.seconds / 1e6).toFixed(3)} M calls/s (violations ${one.violations})`,
);
const two = await poolRun(files, 2);
console.log(
  `2 workers: ${two.calls} calls in ${two.seconds.toFixed(2)} s = ${(two.calls / two.seconds / 1e6).toFixed(3)} M calls/s (violations ${two.violations})`,
);
console.log(`ratio 2/1 workers: ${(one.seconds / two.seconds).toFixed(2)}x (goal >= 1.8)`);
// Per trace, in this thread, without the pool or decoding: the replay (every check) against
// the floor of a lockstep oracle, two model steps per call and touched() (what any replay
// against the model must do), over each trace's first `perTraceCalls` calls.
const perTraceCalls = 100_000;
let replaySecs = 0;
let floorSecs = 0;
let callsDone = 0;
console.log('\n| trace | replay, calls/s | floor (2 model steps), calls/s | replay / floor |');
console.log('| --- | ---: | ---: | ---: |');
for (const file of files) {
  const t = await readTrace(file);
  if (!t.ok) throw new Error(t.error.message);
  const calls = t.value.calls.slice(0, perTraceCalls);
  const device = resolveDevice(t.value.header.device);
  const t0 = performance.now();
  const r = await replayTrace(
    t.value.header,
    calls,
    createModelTargetSync({ device, profile: 'docs' }),
  );
  const replay = (performance.now() - t0) / 1000;
  if (r.violations.length > 0) throw new Error(r.violations[0]?.message);
  const a = createModelTargetSync({ device, profile: 'docs' });
  const b = createModelTargetSync({ device, profile: 'docs' });
  const t1 = performance.now();
  for (const c of calls) {
    a.call(c);
    b.call(c);
    a.model.touched();
    b.model.touched();
  }
  const floor = (performance.now() - t1) / 1000;
  replaySecs += replay;
  floorSecs += floor;
  callsDone += calls.length;
  const k = (x: number): string => `${Math.round(calls.length / x / 1000)}K`;
  console.log(
    `| ${file.split('/').pop()} | ${k(replay)} | ${k(floor)} | ${(floor / replay).toFixed(2)} |`,
  );
}
console.log(
  `| all (${callsDone} calls) | ${Math.round(callsDone / replaySecs / 1000)}K | ${Math.round(callsDone / floorSecs / 1000)}K | ${(floorSecs / replaySecs).toFixed(2)} |`,
);
