// What InlineExecutor's event-loop turns cost minimization, in one process: every bundled mutant
// minimized from the kitchen sink (captured and generated style) and the padded one, as
// scripts/bench/minimize.ts does, with the executor as before session 31 (no turn), as now (a
// turn every YIELD_MS) and with a turn before every task. The variants alternate, their order
// rotating each round; round 0 warms up and is not counted. CPU time (user + system), since
// wall time means little on a loaded machine; the repros and replays must be the same in all.
//
//   npx tsx scripts/bench/inlineYield.ts [ROUNDS=3] [BATCH=1]
//
// BATCH 4 is what `vpdma fuzz --workers 1` hands the executor per candidate batch.
import { byId, InlineExecutor, type Executor } from '../../src/replay/executor.js';
import { MUTANTS, type Mutant } from '../../src/replay/mutants.js';
import type { ItemResult, ReplayTask } from '../../src/replay/protocol.js';
import { runReplayTask } from '../../src/replay/runTask.js';
import type { Trace } from '../../src/trace/trace.js';
import { kitchenSink } from '../../test/support/kitchenSink.js';
import { header, kitchen, minimizeMutant, padded } from './minimizeCases.js';

/** InlineExecutor without its turns (as before), or with one before every task. */
class Turns implements Executor {
  readonly workers = 1;
  constructor(private readonly everyTask: boolean) {}
  async run(tasks: readonly ReplayTask[]): Promise<ItemResult[]> {
    const out: ItemResult[] = [];
    for (const t of tasks) {
      if (this.everyTask) await new Promise<void>((r) => setImmediate(r));
      for (const r of await runReplayTask(t)) out.push(r);
    }
    return byId(out);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const rounds = Number(process.argv[2] ?? 3);
const batchSize = Number(process.argv[3] ?? 1);
const variants: [string, () => Executor][] = [
  ['no turn', () => new Turns(false)],
  [`turn every 10 ms`, () => new InlineExecutor()],
  ['turn every task', () => new Turns(true)],
];
const inputs: ((m: Mutant) => Trace | undefined)[] = [
  kitchen,
  () => ({ header, calls: kitchenSink(false) }),
  padded,
];
const cpuMs: number[] = variants.map(() => 0);
const work: string[] = variants.map(() => '');
let replays = 0;
for (let round = 0; round <= rounds; round++) {
  for (let v = 0; v < variants.length; v++) {
    const k = (v + round) % variants.length;
    const executor = variants[k]![1]();
    const c0 = process.cpuUsage();
    let done = '';
    let n = 0;
    for (const m of MUTANTS)
      for (const input of inputs) {
        const trace = input(m);
        if (trace === undefined) continue;
        const r = await minimizeMutant(m, trace, { batchSize }, executor);
        done += `${r.result?.trace.calls.length}/${r.result?.evaluated};`;
        n += r.result?.evaluated ?? 0;
      }
    const d = process.cpuUsage(c0);
    if (round > 0) cpuMs[k]! += (d.user + d.system) / 1000;
    if (round === 0) {
      work[k] = done;
      replays = n;
    } else if (work[k] !== done) throw new Error(`${variants[k]![0]}: other repros than before`);
  }
  if (round > 0)
    console.log(
      `after ${round} round(s), mean CPU: ` +
        variants.map(([name], k) => `${name} ${(cpuMs[k]! / round).toFixed(0)} ms`).join(', '),
    );
}
// What one turn costs by itself (no I/O pending, as in a minimization).
const turns = 20_000;
const t0 = process.cpuUsage();
for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
const t = process.cpuUsage(t0);
console.log(`one turn: ${((t.user + t.system) / turns).toFixed(1)} µs of CPU (${turns} turns)`);
const same = work.every((w) => w === work[0]);
console.log(
  `same repros in every variant: ${same}; ${replays} candidate replays each, batch ${batchSize}`,
);
