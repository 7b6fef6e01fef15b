// Time to find each bundled canary (replay/mutants.ts), median over 5 seeds: `vpdma fuzz`
// (the pool, 2 workers, pool start-up included) against the fast-check baseline
// (fuzzBaseline.ts, one thread, equal sequence lengths), each capped at `capSeconds`. A find is
// the first case whose first violation is the mutant's own kind. Both sides are warmed up
// first (untimed), so neither pays the JIT's warm-up of the code they share.
//   npx tsx scripts/bench/canaries.ts [capSeconds=60] [seeds=5] [mutant names...]
import { availableParallelism, loadavg } from 'node:os';
import { buildBase } from '../../src/fuzz/base.js';
import { createFuzzPool } from '../../src/fuzz/executor.js';
import { MUTANTS, type Mutant } from '../../src/replay/mutants.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { runBaseline } from './fuzzBaseline.js';
import { campaignOn, fuzzSettings } from './fuzzSetup.js';

const capSeconds = Number(process.argv[2] ?? 60);
const seedCount = Number(process.argv[3] ?? 5);
const only = process.argv.slice(4);
const callsMax = 64;
/** fc.commands with size 'max': about half of maxCommands on average, like the fuzzer's cases. */
const commandsMax = 53;
const timeoutMs = 1000;

const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
const base = buildBase(named, callsMax);

interface Found {
  readonly ms: number;
  /** Cases (fuzzer) or property runs (baseline) up to and including the find. */
  readonly cases: number;
}

async function ours(m: Mutant, seed: number): Promise<Found | undefined> {
  const settings = fuzzSettings(seed, { target: `mutant:${m.name}`, callsMax, timeoutMs });
  const started = performance.now();
  const r = await campaignOn(createFuzzPool(2, settings.target), base, settings, {
    timeMs: capSeconds * 1000,
    failuresMax: 1,
    counts: (c) => c.violations[0]?.kind === m.kind,
  });
  const hit = r.failing.find((c) => c.violations[0]?.kind === m.kind);
  if (r.firstFailureMs === undefined || hit === undefined) return undefined;
  // From before the pool was created to when the find was processed.
  const ms = r.endedAt - started - (r.elapsedMs - r.firstFailureMs);
  return { ms, cases: hit.index + 1 };
}

async function baseline(m: Mutant, seed: number): Promise<Found | undefined> {
  const r = await runBaseline(`mutant:${m.name}`, seed, capSeconds * 1000, commandsMax, (msg) =>
    msg.includes(m.kind),
  );
  return r.failure === undefined ? undefined : { ms: r.failure.ms, cases: r.failure.runs };
}

function median(xs: readonly (number | undefined)[]): number | undefined {
  const found = xs.map((x) => x ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const mid = found[Math.floor(found.length / 2)];
  return mid === undefined || !Number.isFinite(mid) ? undefined : mid;
}

const show = (ms: number | undefined): string =>
  ms === undefined
    ? `> ${capSeconds} s`
    : ms < 1000
      ? `${ms.toFixed(0)} ms`
      : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

// Untimed warm-up of both sides on the clean model (and so of the Replayer they share): the
// finds below take milliseconds, and whichever side ran first would otherwise pay the JIT's
// warm-up for both.
const warmUpMs = 500;
{
  const settings = fuzzSettings(0, { callsMax, timeoutMs });
  await campaignOn(createFuzzPool(2, 'model'), base, settings, { timeMs: warmUpMs });
  await runBaseline('model', 0, warmUpMs, commandsMax);
}

function column(xs: readonly (Found | undefined)[]): string {
  const t = median(xs.map((x) => x?.ms));
  const n = median(xs.map((x) => x?.cases));
  const found = xs.filter((x) => x !== undefined).length;
  return `${show(t)} | ${n ?? '-'} | ${found}/${xs.length}`;
}

const lines: string[] = [];
for (const m of MUTANTS) {
  if (only.length > 0 && !only.includes(m.name)) continue;
  const a: (Found | undefined)[] = [];
  const b: (Found | undefined)[] = [];
  for (let seed = 1; seed <= seedCount; seed++) {
    a.push(await ours(m, seed));
    b.push(await baseline(m, seed));
  }
  const line = `| ${m.name} | ${m.depth} | ${column(a)} | ${column(b)} |`;
  const each = (xs: readonly (Found | undefined)[]): string =>
    xs.map((x) => (x === undefined ? 'none' : `${show(x.ms)}/${x.cases}`)).join(', ');
  process.stderr.write(`${line}  ours ${each(a)}; baseline ${each(b)}\n`);
  lines.push(line);
}
process.stdout.write(
  `\nnode ${process.version}, ${availableParallelism()} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, cap ${capSeconds} s, seeds 1..${seedCount}\n\n`,
);
process.stdout.write(
  [
    '| canary | depth | vpdma fuzz: median time | cases | found | fast-check: median time | runs | found |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...lines,
  ].join('\n') + '\n',
);
