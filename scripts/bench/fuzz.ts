// Fuzz throughput: calls checked per second by `vpdma fuzz` (in this thread, and in the pool
// with 1 and 2 workers) against the straightforward fast-check baseline (fuzzBaseline.ts,
// single-threaded), on the reference model, in one run. Both check every call with the same
// Replayer; lengths are reported so the comparison is at equal sequence lengths (the
// baseline's maxCommands is set to give the fuzzer's mean case length).
//   npx tsx scripts/bench/fuzz.ts [seconds=15] [callsMax=64]
import { availableParallelism, loadavg } from 'node:os';
import { buildBase } from '../../src/fuzz/base.js';
import type { CampaignResult } from '../../src/fuzz/campaign.js';
import { createFuzzPool, InlineFuzzExecutor, type FuzzExecutor } from '../../src/fuzz/executor.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { runBaseline } from './fuzzBaseline.js';
import { campaignOn, fuzzSettings } from './fuzzSetup.js';

const seconds = Number(process.argv[2] ?? 15);
const callsMax = Number(process.argv[3] ?? 64);
const seed = 20261128;

const settings = fuzzSettings(seed, { callsMax });

async function ours(ex: FuzzExecutor, withBase: boolean): Promise<CampaignResult> {
  const named = withBase ? await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/') : [];
  return campaignOn(ex, buildBase(named, callsMax), settings, { timeMs: seconds * 1000 });
}

interface Row {
  readonly what: string;
  readonly cases: number;
  readonly calls: number;
  readonly ms: number;
}

const rows: Row[] = [];
const row = (what: string, cases: number, calls: number, ms: number): Row => {
  const r = { what, cases, calls, ms };
  rows.push(r);
  const perSec = Math.round(calls / (ms / 1000));
  process.stderr.write(`${what}: ${perSec} calls/s, ${(calls / cases).toFixed(1)} calls/case\n`);
  return r;
};

const inline = await ours(new InlineFuzzExecutor(), true);
row('vpdma fuzz, this thread', inline.cases, inline.calls, inline.elapsedMs);
const fresh = await ours(new InlineFuzzExecutor(), false);
row(
  'vpdma fuzz, this thread, no corpus (fresh cases only)',
  fresh.cases,
  fresh.calls,
  fresh.elapsedMs,
);
const one = await ours(createFuzzPool(1, 'model'), true);
row('vpdma fuzz, pool, 1 worker', one.cases, one.calls, one.elapsedMs);
const two = await ours(createFuzzPool(2, 'model'), true);
row('vpdma fuzz, pool, 2 workers', two.cases, two.calls, two.elapsedMs);
// fc.commands with size 'max' draws lengths up to maxCommands: twice the mean gives the mean.
const meanOurs = two.calls / two.cases;
const base = await runBaseline('model', seed, seconds * 1000, Math.round(2 * meanOurs));
row(
  `fast-check baseline (fc.commands maxCommands ${Math.round(2 * meanOurs)})`,
  base.runs,
  base.calls,
  base.ms,
);
const base5 = await runBaseline('model', seed, seconds * 1000, 5);
row(
  'fast-check baseline (fc.commands, about 5 commands per run)',
  base5.runs,
  base5.calls,
  base5.ms,
);

const perSec = (r: Row): number => r.calls / (r.ms / 1000);
const ref = perSec(rows[4] as Row);
process.stdout.write(
  `\nnode ${process.version}, ${availableParallelism()} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${seconds} s each, callsMax ${callsMax}\n\n`,
);
process.stdout.write(
  '| run | cases | calls/case | calls/s | vs baseline |\n| --- | ---: | ---: | ---: | ---: |\n',
);
for (const r of rows)
  process.stdout.write(
    `| ${r.what} | ${r.cases} | ${(r.calls / r.cases).toFixed(1)} | ${Math.round(perSec(r))} | ${(perSec(r) / ref).toFixed(2)}x |\n`,
  );
