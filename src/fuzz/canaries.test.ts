// The pipeline's self-test (STYLE lesson 11): a short campaign against every bundled mutant
// (replay/mutants.ts) finds it as its own violation kind, and minimization (the minimizer plus
// reshaping) cuts the shortest repro of that kind to exactly the mutant's minimalCalls, a
// repro that reproduces on every re-run. Runs in the pool: dist/ must be built.
import { describe, expect, it } from 'vitest';
import { MUTANTS, type Mutant } from '../replay/mutants.js';
import { likelyOneBug, stateChange, type LikelyOneBug } from './likelyOneBug.js';
import { fuzzInMemory } from '../../test/support/fuzzInMemory.js';
import { testSeed } from '../../test/seed.js';

async function hunt(m: Mutant): Promise<{
  lengths: number[];
  reproduced: string[];
  cases: number;
  /** Findings of its kind about the target's state, and how the summary groups them. */
  stateful: number;
  grouped: LikelyOneBug[];
}> {
  // A hang costs this much per call that hangs, during the campaign and minimization: short
  // for the mutant that hangs. The others never hang, and at 300 ms (the watchdog acts after
  // half a second of silence) a worker starved on a loaded machine can read as hung: a
  // finding the mutant did not cause, a candidate judged wrongly, a repro re-run "2/3".
  const timeoutMs = m.kind === 'target-timeout' ? 300 : 10_000;
  const r = await fuzzInMemory(`mutant:${m.name}`, timeoutMs, {
    runs: 4000,
    // One worker: the campaign still runs in the pool (after this thread's first cases), and
    // its results are the same for any worker count (campaign.test.ts); a second worker's
    // start cost about a third of this file's CPU, measured, for cases found in seconds.
    workers: 1,
    perGroup: 3,
    attemptsMax: 2000,
    failuresMax: 8,
  });
  const mine = r.findings.filter((f) => f.kind === m.kind);
  return {
    lengths: mine.map((f) => f.reproCalls),
    reproduced: mine.map((f) => f.reproduced),
    cases: r.campaign.cases,
    stateful: mine.filter((f) => stateChange(f) !== undefined).length,
    grouped: likelyOneBug(mine),
  };
}

const STATE_KINDS = new Set(['transfer-state-changed', 'object-state-changed', 'view-torn-down']);

// Work counted in cases and attempts, seconds of CPU a mutant: at load 30 that is minutes.
const COUNTED = { timeout: 240_000 };

describe(
  `every mutant is found and minimized to its minimalCalls (seed=${testSeed.text})`,
  COUNTED,
  () => {
    it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
      const r = await hunt(m);
      expect(r.lengths.length, `not found in ${r.cases} cases`).toBeGreaterThan(0);
      expect(Math.min(...r.lengths)).toBe(m.minimalCalls);
      expect(r.reproduced.every((x) => x === '3/3')).toBe(true);
      // One planted bug is one bug in the summary, however many functions it showed in.
      // Every finding about the target's state is read (the message's shape, inertCheck.ts).
      expect(r.stateful).toBe(STATE_KINDS.has(m.kind) ? r.lengths.length : 0);
      expect(r.grouped.map((g) => g.findings)).toEqual(r.stateful > 1 ? [r.stateful] : []);
    });
  },
);
