// Minimization benchmark: every bundled mutant, minimized from the kitchen sink (captured and
// generated style) and from the padded kitchen sink, against the real replayer in this thread.
// For each: start length, final length vs the known minimum, the repro's data bytes (@write's
// data: what a person reads past), candidates tried, candidate replays, wall time; and, in the
// same run, fast-check's own shrinking of the same failure.
//
//   npx tsx scripts/bench/minimize.ts [--inputs kitchen,generated,padded,laid-out] [--only NAME]
//                                     [--fc-seconds 120] [--workers N --batch B] [--no-fc]
//
// --workers replays our candidates in the Piscina pool (npm run build first) with batch size
// B (default N); the repro and `tried` do not change, `replays` counts speculative ones too.
//
// The baseline: the trace's calls as fc.array(fc.constantFrom(...calls)), the full trace
// given as the one example, and the property "this trace does not fail the same way" (same
// replay, same target, same kind-and-function test as ours). fast-check then shrinks the
// counterexample with its array shrinker (dropping elements and swapping one for an earlier
// call): one replay per shrink candidate, no reference rewriting, no argument simplification.
// On a captured trace that is the baseline's best case: recorded values name every handle, so
// a trace with calls removed still replays meaningfully. On a generated-style trace values are
// the oracle's own, and removing an allocation moves every later one: what references.ts and
// materialize.ts are for.
import fc from 'fast-check';
import { cpus } from 'node:os';
import { InlineExecutor, type Executor } from '../../src/replay/executor.js';
import { PiscinaExecutor } from '../../src/replay/pool.js';
import { kitchenSink } from '../../test/support/kitchenSink.js';
import { MUTANTS, type Mutant } from '../../src/replay/mutants.js';
import { stillFailsPredicate, type FailureSignature } from '../../src/replay/stillFails.js';
import type { Trace } from '../../src/trace/trace.js';
import {
  header,
  kitchen,
  KITCHEN_MINIMUM,
  laidOut,
  minimizeMutant,
  padded,
  settingsFor,
} from './minimizeCases.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const inputs = (arg('--inputs') ?? 'kitchen,generated,padded').split(',');
const only = arg('--only');
const fcSeconds = Number(arg('--fc-seconds') ?? 120);
const workers = arg('--workers') === undefined ? undefined : Number(arg('--workers'));
const batchSize = Number(arg('--batch') ?? workers ?? 1);
const withFc = !process.argv.includes('--no-fc');
const executor: Executor =
  workers === undefined ? new InlineExecutor() : new PiscinaExecutor(workers);

const LAID_OUT = ['drops-map-registers', 'devicedma-drops-last-byte'] as const;
const INPUTS: Record<string, (m: Mutant) => Trace | undefined> = {
  kitchen,
  generated: () => ({ header, calls: kitchenSink(false) }),
  padded,
  // Only the two mutants the kitchen sink cannot take to minimalCalls have a laid-out trace.
  'laid-out': (m) => {
    const name = LAID_OUT.find((n) => n === m.name);
    return name === undefined ? undefined : laidOut(name);
  },
};

interface Shrunk {
  readonly calls: number;
  readonly replays: number;
  readonly ms: number;
  readonly interrupted: boolean;
}

async function fastCheck(m: Mutant, trace: Trace, failure: FailureSignature): Promise<Shrunk> {
  const executor = new InlineExecutor();
  const stillFails = stillFailsPredicate({ executor, settings: settingsFor(m), failure });
  let replays = 0;
  const calls = fc.array(fc.constantFrom(...trace.calls), { maxLength: trace.calls.length });
  const property = fc.asyncProperty(calls, async (cs) => {
    replays++;
    const [fails] = await stillFails([{ header: trace.header, calls: cs }]);
    return fails !== true;
  });
  const t0 = performance.now();
  const d = await fc.check(property, {
    examples: [[[...trace.calls]]],
    numRuns: 1,
    seed: 1,
    interruptAfterTimeLimit: fcSeconds * 1000,
    markInterruptAsFailure: false,
  });
  const ms = performance.now() - t0;
  const found = d.counterexample?.[0];
  return { calls: found?.length ?? trace.calls.length, replays, ms, interrupted: d.interrupted };
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
/** Bytes of data the repro's calls carry (@write's data): what a person reads past. */
const dataBytes = (t: Trace): number => {
  let n = 0;
  for (const c of t.calls)
    for (const v of Object.values(c.args)) if (v instanceof Uint8Array) n += v.length;
  return n;
};
const secs = (ms: number): string => (ms / 1000).toFixed(2);

async function row(m: Mutant, input: string): Promise<void> {
  const trace = INPUTS[input]?.(m);
  if (trace === undefined) return;
  const ours = await minimizeMutant(m, trace, { batchSize }, executor);
  const r = ours.result;
  if (ours.failure === undefined || r === undefined) {
    console.log(`${m.name.padEnd(30)} ${input}: no violation`);
    return;
  }
  const known = KITCHEN_MINIMUM[m.name];
  const min = known === undefined ? `${m.minimalCalls}` : `${m.minimalCalls}/${known}`;
  const base = withFc
    ? await fastCheck(m, trace, ours.failure)
    : { calls: 0, replays: 0, ms: 0, interrupted: false };
  const flag = ours.stillFails ? '' : ' (repro did not fail again!)';
  console.log(
    `${m.name.padEnd(30)} ${input.padEnd(9)} ${pad(min, 4)} ${pad(trace.calls.length, 5)} | ` +
      `${pad(r.trace.calls.length, 3)} ${pad(dataBytes(r.trace), 5)} ${pad(r.attempts, 6)} ${pad(r.evaluated, 6)} ${pad(secs(ours.ms), 7)} | ` +
      `${pad(base.calls, 3)} ${pad(base.replays, 6)} ${pad(secs(base.ms), 7)}` +
      `${base.interrupted ? ' (time limit)' : ''}${flag}`,
  );
  totals.push({
    ours: [r.trace.calls.length, r.evaluated, ours.ms, dataBytes(r.trace), r.attempts],
    fc: [base.calls, base.replays, base.ms],
  });
}

const totals: { ours: number[]; fc: number[] }[] = [];

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}`);
console.log(
  `ours: ${workers === undefined ? 'inline' : `pool of ${workers}`}, batch size ${batchSize}`,
);
console.log(
  [
    'Both sides replay every candidate with the same replayer, target and "same kind in the same',
    'function" test, one at a time in this thread. vpdma minimize: cut, resource chain, ddmin with',
    'reference rewriting, argument simplification (tried = candidates in order; replays = the',
    'predicate evaluations). fast-check: fc.array(fc.constantFrom(...calls)) with the trace as its',
    'only example, shrunk by fast-check (replays = property runs; no argument simplification).',
    'Inputs: kitchen = the captured kitchen sink (recorded values name every handle: the',
    "baseline's best case), generated = the same without ret/out (values are the oracle's own),",
    'padded = the captured kitchen sink with 72 unrelated calls.',
    "min: the mutant's minimalCalls (/ the kitchen sink's deletion minimum where that is larger)",
  ].join('\n'),
);
console.log(
  `${'mutant'.padEnd(30)} ${'input'.padEnd(9)} ${pad('min', 4)} ${pad('start', 5)} | ` +
    `${pad('vpdma minimize: calls', 3)} bytes tried replays     s | fast-check: calls replays   s`,
);
for (const input of inputs)
  for (const m of MUTANTS) if (only === undefined || m.name === only) await row(m, input);
const sum = (k: 'ours' | 'fc', i: number): number => totals.reduce((s, t) => s + (t[k][i] ?? 0), 0);
console.log(
  `total: vpdma minimize ${sum('ours', 0)} calls, ${sum('ours', 3)} data bytes, ` +
    `${sum('ours', 4)} tried, ${sum('ours', 1)} replays, ${secs(sum('ours', 2))} s; ` +
    `fast-check ${sum('fc', 0)} calls, ${sum('fc', 1)} replays, ${secs(sum('fc', 2))} s`,
);
await executor.close();
