// What --rounds buys (docs/fuzzing.md, "Rounds"): with the same seeds and case budget, cases to
// the first find of each canary and the model coverage reached, without rounds and with each
// round size given; and what it costs this thread (process CPU per run, the boundaries' own
// share). Counts, not milliseconds, for the finds and the coverage: load does not move them.
// Everything runs in this thread (InlineFuzzExecutor), as one worker would.
// A canary named `c:FAULT` is the C target's planted bug VPDMA_C_FAULT=FAULT (its coverage
// build, target coverage on, 2 workers: examples/c-target), found at its first
// memory-corrupted VideoPortMapDmaMemory; coverageCases 0 skips the model coverage part.
//   npx tsx scripts/bench/rounds.ts [seeds=20] [cases=2000] [sizes=100,1000] [coverageCases=4000] [canaries...]
import { buildBase } from '../../src/fuzz/base.js';
import type { CampaignResult } from '../../src/fuzz/campaign.js';
import { generateCase } from '../../src/fuzz/caseGen.js';
import { withEdges } from '../../src/fuzz/edgeMeta.js';
import { createFuzzPool, InlineFuzzExecutor } from '../../src/fuzz/executor.js';
import { Rounds } from '../../src/fuzz/rounds.js';
import type { CaseResult } from '../../src/fuzz/protocol.js';
import { caseContext } from '../../src/fuzz/run.js';
import { MUTANTS } from '../../src/replay/mutants.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { campaignOn, fuzzSettings } from './fuzzSetup.js';

const seedCount = Number(process.argv[2] ?? 20);
const casesMax = Number(process.argv[3] ?? 2000);
const sizes = (process.argv[4] ?? '100,1000').split(',').map(Number);
const coverageCases = Number(process.argv[5] ?? 4000);
const only = process.argv.slice(6);
const callsMax = 64;

const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');

interface Run {
  readonly c: CampaignResult;
  readonly cpuMs: number;
  readonly boundaries: number;
  readonly boundaryMs: number;
}

/** One campaign in this thread; `found` ends it at the first case it says yes to. */
async function campaign(
  target: string,
  seed: number,
  runs: number,
  size: number | undefined,
  found?: (r: CaseResult) => boolean,
): Promise<Run> {
  const cpu = process.cpuUsage();
  const settings = fuzzSettings(seed, { target, callsMax });
  const base = buildBase(named, callsMax, undefined, undefined, undefined, size !== undefined);
  // Boundaries timed in CPU, not wall time: all of this run is in this thread.
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const rounds = size === undefined ? undefined : new Rounds(size, base, settings, cpuMs);
  const ctx = caseContext(settings, base.entries, rounds);
  const keep = (r: CaseResult): void => {
    if (rounds === undefined) return;
    const made = generateCase(ctx, r.index, r.calls);
    rounds.add(r.edges === undefined ? made : withEdges(made, r.edges));
  };
  const ex = target.startsWith('process:') ? createFuzzPool(2, target) : new InlineFuzzExecutor();
  const c = await campaignOn(ex, base, settings, {
    runs,
    ...(found === undefined ? {} : { failuresMax: 1, counts: found }),
    onKept: keep,
    ...(rounds === undefined ? {} : { rounds }),
  });
  const used = process.cpuUsage(cpu);
  const costs = rounds?.costs ?? [];
  return {
    c,
    cpuMs: (used.user + used.system) / 1000,
    boundaries: costs.length,
    boundaryMs: costs.reduce((s, x) => s + x.ms, 0),
  };
}

function stats(xs: readonly (number | undefined)[]): {
  median: number;
  mean: number;
  found: number;
} {
  const all = xs.map((x) => x ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const found = xs.filter((x): x is number => x !== undefined);
  return {
    median: all[Math.floor(all.length / 2)] ?? Number.POSITIVE_INFINITY,
    mean: found.reduce((s, x) => s + x, 0) / Math.max(1, found.length),
    found: found.length,
  };
}

const modes: (number | undefined)[] = [undefined, ...sizes];
const label = (s: number | undefined): string => (s === undefined ? 'no rounds' : `--rounds ${s}`);
const cBinary = new URL('../../examples/c-target/vpdma-c-target-cov', import.meta.url).pathname;
const canaries = MUTANTS.filter((m) =>
  only.length > 0 ? only.includes(m.name) : m.depth === 'deep',
).map((m) => ({
  name: m.name,
  target: `mutant:${m.name}`,
  found: (x: CaseResult) => x.violations[0]?.kind === m.kind,
}));
for (const name of only.filter((n) => n.startsWith('c:')))
  canaries.push({
    name,
    target: `process:VPDMA_C_FAULT=${name.slice(2)} ${cBinary}`,
    found: (x) =>
      x.violations[0]?.kind === 'memory-corrupted' &&
      x.violations[0]?.fn === 'VideoPortMapDmaMemory',
  });
const lines: string[] = [];
for (const m of canaries) {
  const cells: string[] = [];
  let flat: ReturnType<typeof stats> | undefined;
  for (const size of modes) {
    const firsts: (number | undefined)[] = [];
    for (let seed = 1; seed <= seedCount; seed++) {
      const r = await campaign(m.target, seed, casesMax, size, m.found);
      firsts.push(r.c.stoppedBy === 'failures' ? r.c.runsEquivalent : undefined);
      process.stderr.write(`${m.name} ${label(size)} seed ${seed}: ${firsts.at(-1) ?? '-'}\n`);
    }
    const s = stats(firsts);
    flat ??= s;
    const ratio = size === undefined ? '' : ` (x${(s.mean / flat.mean).toFixed(2)})`;
    cells.push(`${s.median} (${s.mean.toFixed(1)})${ratio} ${s.found}/${seedCount}`);
  }
  const line = `| ${m.name} | ${cells.join(' | ')} |`;
  process.stderr.write(`${line}\n`);
  lines.push(line);
}

// Model coverage at the same case budget, and what rounds cost this thread.
const cov: string[] = [];
for (const size of coverageCases > 0 ? modes : []) {
  let keys = 0;
  let cpuMs = 0;
  let boundaries = 0;
  let boundaryMs = 0;
  let kept = 0;
  const seeds = Math.min(seedCount, 5);
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await campaign('model', seed, coverageCases, size);
    keys += r.c.coverage;
    cpuMs += r.cpuMs;
    boundaries += r.boundaries;
    boundaryMs += r.boundaryMs;
    kept += r.c.kept.length;
  }
  const line = `| ${label(size)} | ${(keys / seeds).toFixed(1)} | ${(kept / seeds).toFixed(1)} | ${(cpuMs / seeds).toFixed(0)} | ${(boundaries / seeds).toFixed(1)} | ${(boundaryMs / seeds).toFixed(1)} |`;
  process.stderr.write(`${line}\n`);
  cov.push(line);
}

process.stdout.write(
  [
    `\nseeds 1..${seedCount}: cases to the first find (up to ${casesMax}), median (mean), ratio of means to no rounds, seeds found`,
    `| canary | ${modes.map(label).join(' | ')} |`,
    `| --- | ${modes.map(() => '---:').join(' | ')} |`,
    ...lines,
    `\nmodel target, ${coverageCases} cases, mean over seeds 1..${Math.min(seedCount, 5)}`,
    '| mode | coverage keys | kept | CPU ms per run | boundaries that grew the base | their CPU ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...cov,
  ].join('\n') + '\n',
);
