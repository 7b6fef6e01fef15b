// Replay throughput against a target that keeps failing: canaries whose bug fires at nearly
// every obsolete call, on bundled scenarios scaled up, next to the model on the same calls.
//
//   npx tsx scripts/bench/replayBuggy.ts [callsPerTrace]      (default 100000)
//
// After its first violation the oracle takes the changed bytes over (and, once detached,
// keeps following the target's writes), so a target with touched() keeps the cheap checks.
// Baseline, measured in the same run: the same canary without touched(), whose obsolete calls
// need every live byte read before and after (what a detached oracle used to cost every
// target); on the first baselineCalls calls only, because it is that slow.
import { performance } from 'node:perf_hooks';
import { resolveDevice } from '../../src/model/device.js';
import type { TraceCall } from '../../src/model/values.js';
import { createModelTargetSync } from '../../src/replay/modelTarget.js';
import { createMutantTarget, findMutant } from '../../src/replay/mutants.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import type { Target } from '../../src/replay/target.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { SCENARIOS } from '../corpus/scenarios/index.js';
import { scaled } from './scaledScenario.js';

const callsPerTrace = Number(process.argv[2] ?? 100_000);
const baselineCalls = 3000;
const PAIRS = [
  ['legacy-mapdma-during-transfers', 'mapdma-corrupts-common-buffer'],
  ['legacy-mapdma-flags', 'unmapdma-tears-down-view'],
] as const;

/** The target without touched(): reads every live byte around each obsolete call. */
function withoutTouched(t: Target): Target {
  return {
    call: (c) => t.call(c),
    read: (address, length) => t.read(address, length),
    ...(t.state === undefined ? {} : { state: () => t.state?.() ?? {} }),
  };
}

async function timed(
  header: TraceHeader,
  calls: readonly TraceCall[],
  target: Target,
): Promise<{ secs: number; violations: number; detachedAt: number | undefined }> {
  const t0 = performance.now();
  const r = await replayTrace(header, calls, target);
  return {
    secs: (performance.now() - t0) / 1000,
    violations: r.violations.length,
    detachedAt: r.detachedAt,
  };
}

const rate = (calls: number, secs: number): string => {
  const r = calls / secs;
  return r >= 10_000 ? `${(r / 1000).toFixed(0)}K` : r.toFixed(0);
};

console.log(
  `replay against failing canaries: ${callsPerTrace} calls per scaled scenario, baseline on ${baselineCalls}, node ${process.version}\n`,
);
console.log(
  '| trace | target | calls/s | violations | vs model | baseline (no touched), calls/s | speed-up |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, mutantName] of PAIRS) {
  const scenario = SCENARIOS.find((s) => s.name === name);
  const mutant = findMutant(mutantName);
  if (scenario === undefined || mutant === undefined)
    throw new Error(`no ${name} or ${mutantName}`);
  const calls = scaled(scenario, callsPerTrace);
  const device = resolveDevice(scenario.device ?? {});
  const header: TraceHeader = {
    format: 'vpdma-trace',
    version: 1,
    profile: 'docs',
    device: scenario.device ?? {},
    meta: {},
  };
  const options = { device, profile: 'docs' as const };
  const model = await timed(header, calls, createModelTargetSync(options));
  const buggy = await timed(header, calls, createMutantTarget(mutant, options));
  const few = calls.slice(0, baselineCalls);
  const base = await timed(header, few, withoutTouched(createMutantTarget(mutant, options)));
  const fast = await timed(header, few, createMutantTarget(mutant, options));
  console.log(
    `| ${name} (${calls.length}) | mutant:${mutantName} | ${rate(calls.length, buggy.secs)} | ${buggy.violations} | ${(model.secs / buggy.secs).toFixed(2)}x (model ${rate(calls.length, model.secs)}) | ${rate(few.length, base.secs)} | ${(base.secs / fast.secs).toFixed(0)}x |`,
  );
}
