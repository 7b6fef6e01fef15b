// The worker's side of a fuzz task (also run inline by tests): rebuild each case from (seed,
// index, base corpus), generate its calls against the replayer's own oracle while replaying
// them against a fresh target, and return plain results with the coverage the oracle reached.
// A case stops at the first call that shows a violation, and a few calls (its swarm slot
// says how many: 2, 8 or all) after the first misuse or call the oracle cannot judge (one
// depending on a scatter/gather list the target made differently: the oracle stops
// describing the target there; only the inert checks go on, and they then read all live
// memory around every call). The final sweep of all live memory runs
// when that is at most 1 MiB: the bytes each call touches are compared anyway, and a case
// that maps the whole 16 MiB frame buffer would spend most of its time sweeping it.
import { beat, holding, starting, watchedBy } from '../replay/heartbeat.js';
import { profileOf, resolveDevice } from '../model/device.js';
import type { Stepped } from '../model/step.js';
import type { Model } from '../model/model.js';
import { TargetFault } from '../replay/callTarget.js';
import { HEARTBEAT_SLOTS } from '../replay/protocol.js';
import { coverageAfterCalls } from '../replay/coverageAsk.js';
import { Replayer, type ReplayOutcome } from '../replay/replay.js';
import { newEdges } from '../replay/targetCoverage.js';
import { sessionFor } from '../replay/runTask.js';
import type { TargetSession } from '../replay/sessions.js';
import { NOT_STARTED, violation } from '../replay/violation.js';
import { CaseBuilder } from './builder.js';
import { caseProgram, type CaseContext } from './caseGen.js';
import { CoverageSink } from './coverage.js';
import { baseEntries } from './base.js';
import { roundEntries } from './roundBase.js';
import type { CaseResult, FuzzTask } from './protocol.js';

/**
 * Calls still run after the first misuse (or latitude detach) when the case does not say
 * (its swarm slot's misuseTailMax, weights.ts): the inert checks go on.
 */
const detachedTailMax = 2;
/** Live memory up to which a case ends with the replayer's full sweep, bytes. */
const sweepBytesMax = 1 << 20;
/**
 * Live bytes the inert checks read whole after a misuse (no oracle to compare with: before
 * and after are read in full); above this a rotating window of this size. Full reads of a
 * mapped frame buffer around those calls took a sixth of the fuzzer's time.
 */
const fullCheckBytesMax = 128 << 10;
/** Violations a case result carries (the first one decides its finding). */
const violationsKept = 4;

/** Milliseconds since the epoch, comparable between threads (unlike performance.now()). */
export const wallClock = (): number => performance.timeOrigin + performance.now();

function liveBytes(m: Model): number {
  let n = 0;
  for (const r of m.state.ranges.all()) n += r.length;
  return n;
}

function crashedOutcome(r: Replayer): 'timeout' | 'crash' {
  return r.violations[r.violations.length - 1]?.kind === 'target-timeout' ? 'timeout' : 'crash';
}

function crashedAtStart(index: number, e: TargetFault): CaseResult {
  const kind = e.timeout ? 'target-timeout' : 'target-crashed';
  const v = violation(kind, '(start)', 0, `${NOT_STARTED}: ${e.message}`);
  return { index, calls: 0, outcome: e.timeout ? 'timeout' : 'crash', violations: [v], keys: [] };
}

export async function runCase(
  task: FuzzTask,
  ctx: CaseContext,
  session: TargetSession,
  index: number,
  seen: Set<number>,
  labelled: Set<number>,
  hb?: Int32Array,
): Promise<CaseResult> {
  const s = task.settings;
  const cp = caseProgram(ctx, index);
  const profile = profileOf(cp.header, s.profile);
  let target;
  starting(hb, index);
  try {
    target = await session.open(resolveDevice(cp.header.device), profile);
  } catch (e) {
    if (!TargetFault.is(e)) throw e;
    return crashedAtStart(index, e);
  }
  if (hb !== undefined) Atomics.store(hb, 0, index);
  const cov = new CoverageSink(seen, labelled);
  let misused = false;
  const r = new Replayer(cp.header, target, {
    profile,
    sampleBytes: s.sampleBytes,
    fullBytesMax: fullCheckBytesMax,
    callTimeoutMs: s.timeoutMs,
    onStep: (fn: string, stepped: Stepped, model: Model) => {
      cov.onStep(fn, stepped, model);
      if (stepped.misuse !== undefined) misused = true;
    },
    onDetach: (_i, by) => {
      if (by === 'latitude') misused = true;
    },
    ...(hb === undefined ? {} : { onCall: (i: number, fn: string) => beat(hb, i, fn) }),
  });
  const b = new CaseBuilder(cp.program, s.callsMax, cp.watch, cp.disabled);
  let outcome: ReplayOutcome | undefined;
  let last = '';
  let tail = 0;
  const tailMax = cp.misuseTailMax ?? detachedTailMax;
  let sent = 0;
  for (let call = b.next(r.model.state); call !== undefined; call = b.next(r.model.state)) {
    last = call.fn;
    sent++;
    // Synchronous for in-process targets: no microtask per call.
    const stepped = r.step(call);
    if (!(stepped instanceof Promise ? await stepped : stepped)) {
      const v = r.violations[r.violations.length - 1];
      outcome = v?.kind === 'target-timeout' ? 'timeout' : 'crash';
      break;
    }
    if (r.violations.length > 0 || (misused && ++tail > tailMax)) break;
  }
  if (outcome === undefined && r.violations.length === 0 && liveBytes(r.model) <= sweepBytesMax)
    if (!(await r.finish(last))) {
      const v = r.violations[r.violations.length - 1];
      outcome = v?.kind === 'target-timeout' ? 'timeout' : 'crash';
    }
  // Once per case, after its calls (docs/fuzzing.md, "Target coverage").
  let edges: number[] | undefined;
  if (outcome === undefined && s.targetCoverage !== false) {
    const got = await coverageAfterCalls(r, target, last, sent);
    if (got === false) outcome = crashedOutcome(r);
    // All the case hit, not only those new to the task: a kept case records them (edgeMeta.ts).
    else if (got !== undefined) edges = newEdges(got, new Set());
  }
  const result = r.result(outcome);
  const closeError = await session.release(target, outcome !== undefined);
  return {
    index,
    calls: b.count,
    outcome: result.outcome,
    violations: result.violations.slice(0, violationsKept),
    keys: cov.take(),
    ...cov.takeLabels(),
    ...(edges === undefined ? {} : { edges }),
    ...(closeError === undefined ? {} : { closeError }),
    ...(result.noState === undefined ? {} : { noState: result.noState }),
    ...(result.strayTouched === undefined ? {} : { strayTouched: result.strayTouched }),
  };
}

/**
 * The keys whose labels this thread has sent in one campaign (FuzzTask.campaign). A result
 * sent is a result received (a worker whose reply is lost is terminated, with this), so the
 * campaign has each of these already.
 */
let labelledIn: { readonly campaign: number; readonly keys: Set<number> } | undefined;

function labelledFor(task: FuzzTask): Set<number> {
  if (task.campaign === undefined) return new Set();
  if (labelledIn?.campaign !== task.campaign)
    labelledIn = { campaign: task.campaign, keys: new Set() };
  return labelledIn.keys;
}

/**
 * Runs a task's cases in order; `onCase` sees each result as soon as its case ends. Past
 * `stopAt` it stops before the next case (a case once started runs to its end).
 */
export async function runFuzzTask(
  task: FuzzTask,
  onCase?: (r: CaseResult) => void,
): Promise<CaseResult[]> {
  const s = task.settings;
  const indices = task.cases;
  const session = await sessionFor(s);
  if (typeof session === 'string') {
    const failed = indices.map((index) => ({
      index,
      calls: 0,
      outcome: 'crash' as const,
      violations: [],
      keys: [],
      setupError: session,
    }));
    if (onCase !== undefined) failed.forEach((r) => onCase(r));
    return failed;
  }
  const ctx: CaseContext = {
    seed: s.seed,
    seedText: s.seedText,
    callsMax: s.callsMax,
    base: task.round === undefined ? baseEntries(task.base) : roundEntries(task.base, task.round),
    ...(s.profile === undefined ? {} : { profile: s.profile }),
    ...(s.disabled === undefined ? {} : { disabled: new Set(s.disabled) }),
  };
  const hb =
    task.heartbeat === undefined ? undefined : new Int32Array(task.heartbeat, 0, HEARTBEAT_SLOTS);
  watchedBy(hb);
  const seen = new Set<number>();
  const labelled = labelledFor(task);
  const out: CaseResult[] = [];
  for (const index of indices) {
    if (task.stopAt !== undefined && out.length > 0 && wallClock() >= task.stopAt) break;
    holding(hb, index);
    const r = await runCase(task, ctx, session, index, seen, labelled, hb);
    holding(hb, -1);
    out.push(r);
    onCase?.(r);
  }
  return out;
}
