// Two builds of the fuzzer's cases compared in this thread, by CPU time, on a loaded machine.
//
//   npx tsx scripts/bench/fuzzAb.ts BASE_DIST NEW_DIST [rounds=6] [cases=2048] [checked=1024]
//
// BASE_DIST and NEW_DIST are built dist/ directories (a `git worktree add` of the old commit
// with `npm run build` in it, say), both loaded into this one process as separate module
// instances. Each round runs `runFuzzTask` (the worker's side of `vpdma fuzz`) over the same
// cases, seed 20261128, `callsMax` 64, target `model`, the bundled corpus, tasks of 64 cases,
// the two builds alternating which goes first, so that both see the same load: wall clock
// means nothing on a shared machine, CPU time (process.cpuUsage) much less so. Prints calls/s
// of CPU per round, best and median per build and their ratio. Before timing, it hashes what
// each build makes of the first `checked` cases, with and without the corpus: each case's
// result (calls, outcome, violations, coverage keys and labels) and each case regenerated as
// a trace (`generateCase`, what the corpus and the repros are written from): a change meant to
// keep the generated stream must print the same hashes for both builds.
import { resolve } from 'node:path';
import { k, load3, printRatio } from './abSummary.js';
import type { buildBase } from '../../src/fuzz/base.js';
import type { generateCase } from '../../src/fuzz/caseGen.js';
import type { FuzzSettings, SharedBase } from '../../src/fuzz/protocol.js';
import type { runFuzzTask } from '../../src/fuzz/runCases.js';
import type { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { hashString } from '../../src/core/hash.js';
import { fuzzSettings } from './fuzzSetup.js';

interface Build {
  readonly dir: string;
  readonly runFuzzTask: typeof runFuzzTask;
  readonly generateCase: typeof generateCase;
  readonly base: ReturnType<typeof buildBase>;
  readonly empty: ReturnType<typeof buildBase>;
  readonly entries: (b: SharedBase) => Parameters<typeof generateCase>[0]['base'];
  readonly rounds: number[]; // calls/s of CPU
}

const [baseDir, newDir, roundsText = '6', casesText = '2048', checkedText = '1024'] =
  process.argv.slice(2);
if (baseDir === undefined || newDir === undefined) {
  console.error('usage: npx tsx scripts/bench/fuzzAb.ts BASE_DIST NEW_DIST [rounds] [cases]');
  process.exit(2);
}
const rounds = Number(roundsText);
const cases = Number(casesText);
const checked = Number(checkedText);
const settings: FuzzSettings = fuzzSettings(20261128);
const taskCases = 64;

async function load(dir: string): Promise<Build> {
  const d = resolve(dir);
  const fuzz = (await import(`${d}/fuzz/runCases.js`)) as { runFuzzTask: typeof runFuzzTask };
  const gen = (await import(`${d}/fuzz/caseGen.js`)) as { generateCase: typeof generateCase };
  const b = (await import(`${d}/fuzz/base.js`)) as {
    buildBase: typeof buildBase;
    baseEntries: Build['entries'];
  };
  const store = (await import(`${d}/store/corpus.js`)) as {
    bundledCorpusDir: typeof bundledCorpusDir;
    readCorpusDir: typeof readCorpusDir;
  };
  const named = await store.readCorpusDir(store.bundledCorpusDir(), () => undefined, 'corpus/');
  return {
    dir,
    runFuzzTask: fuzz.runFuzzTask,
    generateCase: gen.generateCase,
    base: b.buildBase(named, settings.callsMax),
    empty: b.buildBase([], settings.callsMax),
    entries: b.baseEntries,
    rounds: [],
  };
}

const text = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v].join(',') : v,
  );

/** Cases 0..n-1 in tasks of taskCases, as a worker runs them: calls, and a hash of the results. */
async function run(
  b: Build,
  base: SharedBase,
  n: number,
): Promise<{ calls: number; hash: number }> {
  let calls = 0;
  let hash = 0;
  for (let i = 0; i < n; i += taskCases) {
    const indices = Array.from({ length: Math.min(taskCases, n - i) }, (_, k) => i + k);
    for (const r of await b.runFuzzTask({ settings, base, cases: indices, campaign: 1 })) {
      calls += r.calls;
      hash = hashString(text(r), hash);
    }
  }
  return { calls, hash };
}

function generated(b: Build, base: SharedBase, n: number): number {
  const ctx = {
    seed: settings.seed,
    seedText: settings.seedText,
    callsMax: settings.callsMax,
    base: b.entries(base),
  };
  let hash = 0;
  for (let i = 0; i < n; i++) hash = hashString(text(b.generateCase(ctx, i)), hash);
  return hash;
}

const builds = [await load(baseDir), await load(newDir)] as const;
console.log(`${cases} cases a round, tasks of ${taskCases}; load average ${load3()}`);
for (const b of builds) {
  // Every run is campaign 1: a key's label goes out the first time each build meets it.
  const withBase = await run(b, b.base.shared, checked);
  const fresh = await run(b, b.empty.shared, checked);
  console.log(
    `${b.dir}: ${checked} cases: results ${withBase.hash} (${withBase.calls} calls), ` +
      `no corpus ${fresh.hash} (${fresh.calls} calls); traces ${generated(b, b.base.shared, checked)}, ` +
      `no corpus ${generated(b, b.empty.shared, checked)}`,
  );
}
for (let i = 0; i < rounds; i++) {
  for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
    const t0 = process.cpuUsage();
    const { calls } = await run(b, b.base.shared, cases);
    const c = process.cpuUsage(t0);
    const cps = calls / ((c.user + c.system) / 1e6);
    b.rounds.push(cps);
    console.log(`round ${i + 1} ${b.dir}: ${k(cps)} calls/s (${calls} calls)`);
  }
}
const [o, n] = builds;
printRatio(o, n);
