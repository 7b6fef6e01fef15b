// Two builds of the checked replay compared in this thread, by CPU time, on a loaded machine.
//
//   npx tsx scripts/bench/replayAb.ts BASE_DIST NEW_DIST [rounds=6] [callsPerTrace=30000]
//
// BASE_DIST and NEW_DIST are built dist/ directories (a `git worktree add` of the old commit
// with `npm run build` in it, say). Both are loaded into this one process as separate module
// instances and run the corpus mix (each bundled scenario scaled to callsPerTrace calls, as
// scripts/bench/replay.ts scales them, against `model` with every check on) round by round,
// alternating which goes first, so that both see the same load: wall clock means nothing on
// a shared machine, CPU time (process.cpuUsage) much less so. Prints calls/s of CPU per
// round, best and median per build, their ratio (new / base), and per trace the best
// microseconds per call.
import { resolve } from 'node:path';
import { k, load3, printRatio } from './abSummary.js';
import type { resolveDevice } from '../../src/model/device.js';
import type { TraceCall } from '../../src/model/values.js';
import type { createModelTargetSync } from '../../src/replay/modelTarget.js';
import type { replayTrace } from '../../src/replay/replayTrace.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { SCENARIOS } from '../corpus/scenarios/index.js';
import { scaled } from './scaledScenario.js';

type ReplayTrace = typeof replayTrace;
type CreateModelTargetSync = typeof createModelTargetSync;
type ResolveDevice = typeof resolveDevice;

interface Build {
  readonly dir: string;
  readonly replayTrace: ReplayTrace;
  readonly createModelTargetSync: CreateModelTargetSync;
  readonly resolveDevice: ResolveDevice;
  readonly rounds: number[]; // calls/s of CPU
  readonly perTrace: Map<string, number>; // best us per call
}

const [baseDir, newDir, roundsText = '6', perText = '30000'] = process.argv.slice(2);
if (baseDir === undefined || newDir === undefined) {
  console.error('usage: npx tsx scripts/bench/replayAb.ts BASE_DIST NEW_DIST [rounds] [calls]');
  process.exit(2);
}
const rounds = Number(roundsText);
const per = Number(perText);

async function load(dir: string): Promise<Build> {
  const d = resolve(dir);
  const r = (await import(`${d}/replay/replayTrace.js`)) as { replayTrace: ReplayTrace };
  const t = (await import(`${d}/replay/modelTarget.js`)) as {
    createModelTargetSync: CreateModelTargetSync;
  };
  const m = (await import(`${d}/model/device.js`)) as { resolveDevice: ResolveDevice };
  return {
    dir,
    replayTrace: r.replayTrace,
    createModelTargetSync: t.createModelTargetSync,
    resolveDevice: m.resolveDevice,
    rounds: [],
    perTrace: new Map(),
  };
}

const usable = SCENARIOS.filter((s) => s.layout === undefined && s.reactosMisuse === undefined);
const mix: { name: string; header: TraceHeader; calls: readonly TraceCall[] }[] = usable.map(
  (s) => ({
    name: s.name,
    header: {
      format: 'vpdma-trace',
      version: 1,
      profile: 'docs',
      device: s.device ?? {},
      meta: { scenario: s.name },
    },
    calls: scaled(s, per).slice(0, per),
  }),
);
const total = mix.reduce((n, t) => n + t.calls.length, 0);
const builds = [await load(baseDir), await load(newDir)] as const;

/** One round of the mix: CPU seconds. */
async function round(b: Build): Promise<number> {
  const t0 = process.cpuUsage();
  for (const t of mix) {
    const s0 = process.cpuUsage();
    const device = b.resolveDevice(t.header.device);
    const target = b.createModelTargetSync({ device, profile: 'docs' });
    const r = await b.replayTrace(t.header, t.calls, target);
    if (r.violations.length > 0) throw new Error(`${b.dir} ${t.name}: ${r.violations[0]?.message}`);
    const s = process.cpuUsage(s0);
    const us = (s.user + s.system) / t.calls.length;
    b.perTrace.set(t.name, Math.min(b.perTrace.get(t.name) ?? Infinity, us));
  }
  const c = process.cpuUsage(t0);
  return (c.user + c.system) / 1e6;
}

console.log(`${mix.length} traces, ${total} calls a round; load average ${load3()}`);
for (const b of builds) await round(b); // warm-up: module loading and JIT, not counted
builds.forEach((b) => b.perTrace.clear());
for (let i = 0; i < rounds; i++) {
  for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
    const cps = total / (await round(b));
    b.rounds.push(cps);
    console.log(`round ${i + 1} ${b.dir}: ${k(cps)} calls/s`);
  }
}
const [o, n] = builds;
printRatio(o, n);
console.log('\n| trace | base, us/call | new, us/call |\n| --- | ---: | ---: |');
for (const t of mix)
  console.log(
    `| ${t.name} | ${(o.perTrace.get(t.name) ?? 0).toFixed(2)} | ${(n.perTrace.get(t.name) ?? 0).toFixed(2)} |`,
  );
