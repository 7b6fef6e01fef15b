// Two builds of the model alone compared in this thread, by CPU time, on a loaded machine.
//
//   npx tsx scripts/bench/modelAb.ts BASE_DIST NEW_DIST [rounds=8] [callsPerTrace=30000] [--alloc]
//
// The corpus scaled (the 18 scenarios scripts/bench/replay.ts uses, each run again in one
// model to callsPerTrace calls), stepped on fresh `Model`s of each build, loaded into this one
// process as separate module instances, round by round with the order alternating: calls/s of
// process CPU time, best and median per build, "step + touched()" (touched() after every step,
// as the replayer asks of both models) and "step only". Call names are the table's own
// strings, as the replay's validation leaves them. --alloc adds, per build, the bytes one
// round allocates (a sampling heap profile keeping collected objects: an estimate, ±2%).
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe } from '../../src/model/calls.js';
import type { Model as ModelClass, ModelOptions } from '../../src/model/model.js';
import type { TraceCall } from '../../src/model/values.js';
import { SCENARIOS } from '../corpus/scenarios/index.js';
import { k, load3, printRatio } from './abSummary.js';
import { scaled } from './scaledScenario.js';

type ModelCtor = new (o: ModelOptions) => ModelClass;

interface Build {
  readonly dir: string;
  readonly Model: ModelCtor;
  readonly touchRounds: number[];
  readonly stepRounds: number[];
}

const args = process.argv.slice(2);
const alloc = args.includes('--alloc');
const [baseDir, newDir, roundsText = '8', perText = '30000'] = args.filter(
  (a) => !a.startsWith('--'),
);
if (baseDir === undefined || newDir === undefined) {
  console.error('usage: npx tsx scripts/bench/modelAb.ts BASE_DIST NEW_DIST [rounds] [calls]');
  process.exit(2);
}
const rounds = Number(roundsText);
const per = Number(perText);

const usable = SCENARIOS.filter((s) => s.layout === undefined && s.reactosMisuse === undefined);
const set = usable.map((s) => ({
  options: { device: s.device ?? {} },
  calls: scaled(s, per)
    .slice(0, per)
    .map((c): TraceCall => ({ ...c, fn: describe(c.fn)?.fn ?? c.fn })),
}));
const total = set.reduce((n, t) => n + t.calls.length, 0);

async function load(dir: string): Promise<Build> {
  const url = pathToFileURL(resolve(dir, 'model/model.js')).href;
  const { Model } = (await import(url)) as { Model: ModelCtor };
  return { dir, Model, touchRounds: [], stepRounds: [] };
}

/** One round of the set: CPU seconds. */
function round(b: Build, touchEach: boolean): number {
  const t0 = process.cpuUsage();
  for (const t of set) {
    const m = new b.Model(t.options);
    if (touchEach)
      for (const c of t.calls) {
        m.step(c.fn, c.args);
        m.touched();
      }
    else for (const c of t.calls) m.step(c.fn, c.args);
  }
  const c = process.cpuUsage(t0);
  return (c.user + c.system) / 1e6;
}

/** Bytes allocated by one round, collected or not, from a sampling heap profile. */
async function allocated(b: Build, touchEach: boolean): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  round(b, touchEach);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  // Self sizes are the samples scaled up to what was allocated; `samples` are not.
  const sum = (node: typeof profile.head): number =>
    node.children.reduce((n, c) => n + sum(c), node.selfSize);
  return sum(profile.head);
}

console.log(`${set.length} traces, ${total} calls a round; load average ${load3()}`);
const builds = [await load(baseDir), await load(newDir)] as const;
for (const b of builds) for (const touch of [true, false]) round(b, touch); // warm-up (JIT)
for (let i = 0; i < rounds; i++) {
  for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
    const touch = total / round(b, true);
    const step = total / round(b, false);
    b.touchRounds.push(touch);
    b.stepRounds.push(step);
    console.log(`round ${i + 1} ${b.dir}: step + touched() ${k(touch)}, step only ${k(step)}`);
  }
}
const [o, n] = builds;
console.log('\nstep + touched():');
printRatio({ dir: o.dir, rounds: o.touchRounds }, { dir: n.dir, rounds: n.touchRounds });
console.log('step only:');
printRatio({ dir: o.dir, rounds: o.stepRounds }, { dir: n.dir, rounds: n.stepRounds });
if (alloc)
  for (const b of builds)
    console.log(
      `${b.dir}: allocated per round, step + touched() ${((await allocated(b, true)) / 1e6).toFixed(0)} MB`,
    );
