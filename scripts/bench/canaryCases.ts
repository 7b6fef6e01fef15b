// Cases to the first find of each deep canary, over many seeds, against the fast-check
// baseline's runs over the same seeds: counts, not milliseconds, so machine load does not move
// them (canaries.ts times 5 seeds, where a find takes a few milliseconds and the clock's
// noise is as large). Ours in this thread, case by case as a campaign numbers them, split
// into fresh and mutated cases (a mutated case names its base entry in `meta.parent`).
//   npx tsx scripts/bench/canaryCases.ts [seeds=40] [mutant names...]
import { buildBase, baseEntries } from '../../src/fuzz/base.js';
import { caseProgram, type CaseContext } from '../../src/fuzz/caseGen.js';
import { runFuzzTask } from '../../src/fuzz/runCases.js';
import { MUTANTS, type Mutant } from '../../src/replay/mutants.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { runBaseline } from './fuzzBaseline.js';
import { fuzzSettings } from './fuzzSetup.js';

const seedCount = Number(process.argv[2] ?? 40);
const only = process.argv.slice(3);
const callsMax = 64;
const commandsMax = 53; // as canaries.ts: equal sequence lengths
const casesMax = 2000;
const batch = 100;
const baselineCapMs = 20_000;

const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
const base = buildBase(named, callsMax);

interface Ours {
  readonly first: number | undefined;
  readonly fresh: [hits: number, cases: number];
  readonly mutated: [hits: number, cases: number];
}

async function ours(m: Mutant, seed: number): Promise<Ours> {
  const settings = fuzzSettings(seed, { target: `mutant:${m.name}`, callsMax, timeoutMs: 1000 });
  const ctx: CaseContext = {
    seed,
    seedText: String(seed),
    callsMax,
    base: baseEntries(base.shared),
  };
  const fresh: [number, number] = [0, 0];
  const mutated: [number, number] = [0, 0];
  let first: number | undefined;
  // Hit rates from the first `batch` cases of every seed; beyond that only the first find.
  for (let from = 0; from < casesMax && (first === undefined || from < batch); from += batch) {
    const cases = Array.from({ length: batch }, (_, i) => from + i);
    for (const r of await runFuzzTask({ settings, base: base.shared, cases })) {
      const hit = r.violations[0]?.kind === m.kind;
      if (hit && first === undefined) first = r.index + 1;
      if (r.index >= batch) continue;
      const tally = caseProgram(ctx, r.index).header.meta['parent'] === undefined ? fresh : mutated;
      tally[1]++;
      if (hit) tally[0]++;
    }
  }
  return { first, fresh, mutated };
}

async function baseline(m: Mutant, seed: number): Promise<number | undefined> {
  const r = await runBaseline(`mutant:${m.name}`, seed, baselineCapMs, commandsMax, (msg) =>
    msg.includes(m.kind),
  );
  return r.failure?.runs;
}

function stats(xs: readonly (number | undefined)[]): string {
  const found = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  if (found.length === 0) return `- | - | 0/${xs.length}`;
  // Misses count as worse than any find for the median.
  const all = xs.map((x) => x ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const mid = all[Math.floor(all.length / 2)] ?? Number.POSITIVE_INFINITY;
  const mean = found.reduce((s, x) => s + x, 0) / found.length;
  return `${Number.isFinite(mid) ? mid : '-'} | ${mean.toFixed(1)} | ${found.length}/${xs.length}`;
}

const pct = ([hits, n]: readonly [number, number]): string =>
  n === 0 ? '-' : `${((100 * hits) / n).toFixed(1)}%`;

const lines: string[] = [];
for (const m of MUTANTS) {
  if (only.length > 0 ? !only.includes(m.name) : m.depth !== 'deep') continue;
  const firsts: (number | undefined)[] = [];
  const runs: (number | undefined)[] = [];
  const fresh: [number, number] = [0, 0];
  const mutated: [number, number] = [0, 0];
  for (let seed = 1; seed <= seedCount; seed++) {
    const o = await ours(m, seed);
    firsts.push(o.first);
    fresh[0] += o.fresh[0];
    fresh[1] += o.fresh[1];
    mutated[0] += o.mutated[0];
    mutated[1] += o.mutated[1];
    runs.push(await baseline(m, seed));
  }
  const line = `| ${m.name} | ${stats(firsts)} | ${pct(fresh)} | ${pct(mutated)} | ${stats(runs)} |`;
  process.stderr.write(`${line}\n`);
  lines.push(line);
}
process.stdout.write(
  [
    `\nseeds 1..${seedCount}; vpdma: cases to the first find (up to ${casesMax}), hit rates over each seed's first ${batch} cases; fast-check: runs (up to ${baselineCapMs / 1000} s)\n`,
    '| canary | vpdma: median cases | mean | found | fresh cases that find it | mutated cases | fast-check: median runs | mean | found |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...lines,
  ].join('\n') + '\n',
);
