// Fuzz throughput against the size of the base corpus: a campaign resumed on its own --corpus
// starts from thousands of kept entries. In one run, 2 workers, target `model`, `seconds`
// each: the bundled corpus alone, then the bundled corpus plus `extra` entries (cases of
// another seed, as a campaign would have kept them), then the bundled corpus alone again.
// Figures: calls/s, and the large base's over the mean of the two small-base runs (the goal
// is 1: a case costs the same whatever the base holds). Start-up (building the base, the
// workers decoding it) is timed apart.
//   npm run build && npx tsx scripts/bench/fuzzLargeBase.ts [extra=8000] [seconds=20]
import { availableParallelism, loadavg } from 'node:os';
import { buildBase, type NamedTrace } from '../../src/fuzz/base.js';
import { generateCase } from '../../src/fuzz/caseGen.js';
import { createFuzzPool } from '../../src/fuzz/executor.js';
import { caseContext } from '../../src/fuzz/run.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { campaignOn, fuzzSettings } from './fuzzSetup.js';

const extra = Number(process.argv[2] ?? 8000);
const seconds = Number(process.argv[3] ?? 20);
const callsMax = 64;

const settings = fuzzSettings(20261128, { callsMax });

const bundled: NamedTrace[] = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
// Entries as another campaign keeps them: its cases, from the bundled corpus and fresh.
const other = buildBase(bundled, callsMax);
const otherCtx = caseContext(fuzzSettings(7, { callsMax }), other.entries);
const kept: NamedTrace[] = Array.from({ length: extra }, (_, i) => ({
  name: `kept-${String(i).padStart(6, '0')}.vpt`,
  trace: generateCase(otherCtx, i),
}));

async function campaign(what: string, named: readonly NamedTrace[]): Promise<number> {
  const t0 = performance.now();
  const base = buildBase(named, callsMax);
  const built = performance.now() - t0;
  const r = await campaignOn(createFuzzPool(2, 'model'), base, settings, {
    timeMs: seconds * 1000,
  });
  const perSec = r.calls / (r.elapsedMs / 1000);
  process.stdout.write(
    `${what}: base ${named.length} entries (built in ${(built / 1000).toFixed(1)} s), ` +
      `${r.cases} cases, ${Math.round(perSec)} calls/s\n`,
  );
  return perSec;
}

process.stdout.write(
  `node ${process.version}, ${availableParallelism()} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${seconds} s each\n`,
);
const small1 = await campaign('bundled corpus     ', bundled);
const large = await campaign(`bundled + ${extra} kept`, [...bundled, ...kept]);
const small2 = await campaign('bundled corpus     ', bundled);
process.stdout.write(`large base / small base: ${(large / ((small1 + small2) / 2)).toFixed(2)}\n`);
