// What a target's own coverage buys and costs (docs/fuzzing.md, "Target coverage"), against
// examples/c-target's coverage build (make -C examples/c-target first):
// 1. Time to find VPDMA_C_FAULT=corrupt-on-mapdma-run (the 8th MapDmaMemory in a row with one
//    VirtualAddress and Length corrupts memory; each step is a C branch the model does not
//    have) over `seeds` seeds, with and without target coverage: campaigns in generations
//    (coverageGenerations.ts: `cases` cases each, the kept cases mutated by the next), capped
//    at `generationsMax`. Cases and seconds to the find, medians.
// 2. The throughput cost of asking (one round trip per case): `throughputCases` cases of the
//    clean coverage build with and without --no-target-coverage, alternated `rounds` times.
// 3. The same cost as round trips, which a loaded machine blurs less: one child, a call and a
//    coverage request alternated 4,000 times, the median time of each.
//   npx tsx scripts/bench/targetCoverage.ts [seeds=5] [cases=200] [generationsMax=5] [throughputCases=800] [rounds=3]
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { buildBase } from '../../src/fuzz/base.js';
import { createFuzzPool } from '../../src/fuzz/executor.js';
import { DEFAULT_DEVICE } from '../../src/model/device.js';
import { createProcessTarget } from '../../src/replay/processTarget.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { generations, type GenerationsResult } from './coverageGenerations.js';
import { campaignOn, fuzzSettings } from './fuzzSetup.js';

const seedCount = Number(process.argv[2] ?? 5);
const cases = Number(process.argv[3] ?? 200);
const generationsMax = Number(process.argv[4] ?? 5);
const throughputCases = Number(process.argv[5] ?? 800);
const rounds = Number(process.argv[6] ?? 3);
const workers = 2;
const binary = resolve(import.meta.dirname, '../../examples/c-target/vpdma-c-target-cov');
const canary = `process:VPDMA_C_FAULT=corrupt-on-mapdma-run ${binary}`;

console.log(
  `cores ${availableParallelism()}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${workers} workers; ${cases} cases a generation, at most ${generationsMax}`,
);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const found = (r: { violations: readonly { kind: string; fn: string }[] }): boolean =>
  r.violations[0]?.kind === 'memory-corrupted' && r.violations[0]?.fn === 'VideoPortMapDmaMemory';

const runs: Record<'on' | 'off', GenerationsResult[]> = { on: [], off: [] };
for (let seed = 1; seed <= seedCount; seed++) {
  for (const mode of ['on', 'off'] as const) {
    const r = await generations({
      target: canary,
      seed: seed * 1000,
      cases,
      generationsMax,
      targetCoverage: mode === 'on',
      workers,
      found,
    });
    runs[mode].push(r);
    const where =
      r.found === undefined
        ? `not found in ${generationsMax} generations`
        : `found in generation ${r.found.generation + 1}, case ${r.found.caseIndex}`;
    console.log(
      `seed ${seed * 1000} target coverage ${mode.padEnd(3)}: ${where}; ${r.cases} cases, ${(r.ms / 1000).toFixed(1)} s, ${r.kept} kept; edges by generation ${r.edges.map((e) => e ?? '-').join(' ')}`,
    );
  }
}
for (const mode of ['on', 'off'] as const) {
  const rs = runs[mode];
  const n = rs.filter((r) => r.found !== undefined).length;
  console.log(
    `target coverage ${mode}: found with ${n}/${rs.length} seeds; median ${median(rs.map((r) => r.cases))} cases, ${(median(rs.map((r) => r.ms)) / 1000).toFixed(1)} s (a seed not found counts its whole budget)`,
  );
}
const ratio = (f: (r: GenerationsResult) => number): string =>
  (median(runs.off.map(f)) / median(runs.on.map(f))).toFixed(2);
console.log(`without / with: cases ${ratio((r) => r.cases)}x, seconds ${ratio((r) => r.ms)}x`);

// 2. Throughput: the clean coverage build, asked or not.
const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
const base = buildBase(named, 64);
const clean = `process:${binary}`;
const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
let callsRun = 0;
let casesRun = 0;
for (let round = 0; round < rounds; round++)
  for (const mode of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    const settings = {
      ...fuzzSettings(round + 1, { target: clean }),
      ...(mode === 'on' ? {} : { targetCoverage: false }),
    };
    const r = await campaignOn(createFuzzPool(workers, clean), base, settings, {
      runs: throughputCases,
    });
    const rate = r.calls / (r.elapsedMs / 1000);
    callsRun += r.calls;
    casesRun += r.cases;
    rates[mode].push(rate);
    console.log(
      `round ${round + 1} target coverage ${mode.padEnd(3)}: ${r.cases} cases, ${r.calls} calls in ${(r.elapsedMs / 1000).toFixed(1)} s: ${Math.round(rate)} calls/s, ${r.kept.length} kept`,
    );
  }
const on = median(rates.on);
const off = median(rates.off);
console.log(
  `calls/s median: with ${Math.round(on)}, without ${Math.round(off)}: with / without ${(on / off).toFixed(3)}`,
);

// 3. Round trips on one child: a call (an obsolete one that changes nothing) and a coverage
// request, alternated.
const child = await createProcessTarget({
  command: binary,
  device: DEFAULT_DEVICE,
  profile: 'docs',
  timeoutMs: 5000,
});
const callUs: number[] = [];
const coverageUs: number[] = [];
const filler = { fn: 'VideoPortGetBytesUsed', args: { hwDeviceExtension: 1n, pDma: 0n } };
for (let i = 0; i < 4000; i++) {
  const t0 = performance.now();
  await child.call(filler);
  const t1 = performance.now();
  await child.coverage?.();
  const t2 = performance.now();
  callUs.push((t1 - t0) * 1000);
  coverageUs.push((t2 - t1) * 1000);
}
child.child.kill();
const perCase = Math.round(callsRun / Math.max(casesRun, 1));
console.log(
  `round trip medians: call ${median(callUs).toFixed(0)} us, coverage ${median(coverageUs).toFixed(0)} us; one coverage request per case of about ${perCase} calls is ${((100 * median(coverageUs)) / (perCase * median(callUs))).toFixed(1)}% more request time`,
);
