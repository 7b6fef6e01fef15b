// From failing cases to findings. Failing cases are grouped by the (kind, function) of their
// first violation; the lowest-indexed few of each group are regenerated from (seed, index),
// re-run to see that they fail every time (a flaky failure is reported unminimized), minimized
// against the target ("still fails the same way" = a violation of the same kind in the same
// function, about the same part of the answer: replayCheck.ts), re-run a few times to count
// how often the repro reproduces, and deduplicated by signature: what the violation is (kind,
// function, and for the kinds that are not about inertness the part of the answer that
// differs), never which calls the repro kept. Picking
// the lowest indices makes the result the same however the cases were spread over workers
// or shards (merge.ts combines shards the same way).
import { hashString } from '../core/hash.js';
import type { Trace } from '../trace/trace.js';
import {
  INERTNESS_KINDS,
  violationPart,
  type Violation,
  type ViolationKind,
} from '../replay/violation.js';
import { failureKey } from './campaign.js';
import type { CaseResult } from './protocol.js';

export interface FailureGroup {
  readonly kind: ViolationKind;
  readonly fn: string;
  /** Failing cases in the group. */
  readonly hits: number;
  /** The lowest-indexed ones, which get minimized. */
  readonly cases: readonly CaseResult[];
}

export interface Minimized {
  readonly trace: Trace;
  /** The candidate budget ran out before the repro was 1-minimal. */
  readonly exhausted: boolean;
  readonly attempts: number;
}

/** What processing findings needs from the outside: replay, minimization, the clock. */
export interface FindingDeps {
  /** The trace of case `index` as it ran (its first `calls` calls). */
  regenerate(index: number, calls: number): Trace;
  /** Minimizes a trace that fails with `v`, keeping that violation's kind and function. */
  minimize(trace: Trace, v: Violation): Promise<Minimized>;
  /** Replays `trace` `times` times on fresh targets: how many showed the same violation. */
  reproduce(trace: Trace, v: Violation, times: number): Promise<Reproduced>;
  readonly signal?: AbortSignal;
  /**
   * True once minimizing must stop (its time budget is spent): as after an interrupt, the
   * cases left are re-run once and reported unminimized.
   */
  stopping?(): boolean;
  /** Replays each trace once, all in one batch: how many (0 or 1) showed its violation. */
  readonly reproduceEach?: (
    items: readonly { trace: Trace; v: Violation }[],
  ) => Promise<Reproduced[]>;
  /**
   * Signatures set aside as known (`nightly --known`). A case is judged by its first violation
   * not known: minimized for it, and named after it. A case whose violations are all known is
   * not minimized (its bug is known; the budget goes to the others, which come first): it is
   * re-run and reported as it ran (`notMinimized: "known"`).
   */
  readonly known?: ReadonlySet<string>;
}

export interface Reproduced {
  readonly count: number;
  /** The matching violation as the first successful run reported it. */
  readonly seen?: Violation;
  /**
   * What that run reported first at the same call (seen itself, or another side of the same
   * wrong answer, a ret before an out parameter): what a user replaying the repro sees first.
   */
  readonly lead?: Violation;
  /**
   * Everything that run reported at that call (same call index and function), lead first: a
   * call can be wrong in several ways at once (*Length and *VirtualAddress both written).
   */
  readonly atCall?: readonly Violation[];
}

/** One violation at a finding's failing call, as reports list them. */
export interface ViolationAtCall {
  readonly kind: ViolationKind;
  /** The parameter or field concerned, when the violation names one. */
  readonly field?: string;
  readonly message: string;
  /** Where the oracle's rule comes from, "spec §1 B [R]" (replay/ruleSource.ts). */
  readonly rule?: string;
  /** The docs/spec-gaps.md link when the check is stricter than the documentation. */
  readonly stricter?: string;
}

export function violationAtCall(v: Violation): ViolationAtCall {
  return {
    kind: v.kind,
    ...(v.field === undefined ? {} : { field: v.field }),
    message: v.message,
    ...(v.rule === undefined ? {} : { rule: v.rule }),
    ...(v.stricter === undefined ? {} : { stricter: v.stricter }),
  };
}

export interface FuzzFinding {
  readonly signature: string;
  readonly kind: ViolationKind;
  readonly fn: string;
  /** Index of the failing call in the repro (as replayed by the reproduction runs). */
  readonly callIndex: number;
  readonly message: string;
  /**
   * Every violation the repro showed at its failing call, the one the finding is named after
   * (kind, message) first. Not part of the signature.
   */
  readonly violationsAtCall: readonly ViolationAtCall[];
  readonly reproCalls: number;
  readonly originalCalls: number;
  readonly caseIndex: number;
  /** Every minimized case that came out with this signature. */
  readonly cases: readonly number[];
  /** e.g. "3/3". */
  readonly reproduced: string;
  /** At least one re-run showed it: only confirmed findings are reported as findings. */
  readonly confirmed: boolean;
  readonly minimized: boolean;
  readonly exhausted: boolean;
  readonly attempts: number;
  /**
   * Set when the minimized repro failed on fewer re-runs than the case (e.g. "1/3"): the case
   * is reported unminimized instead (`minimized` false).
   */
  readonly minimizedReproduced?: string;
  readonly repro: Trace;
  /** Case `caseIndex` as it ran (the repro itself when not minimized): kept beside the repro. */
  readonly original?: Trace;
  /** Why it was not minimized, when not for a stop or a flaky target: its bug is known. */
  readonly notMinimized?: 'known';
}

export const REPRODUCE_TIMES = 3;

export function firstViolation(r: CaseResult): Violation | undefined {
  return r.violations[0];
}

/** What judges a case (FindingDeps.known): its first violation not known, else its first. */
export function judgeCase(
  r: CaseResult,
  known: ReadonlySet<string> | undefined,
): { v: Violation; known: boolean } | undefined {
  const first = firstViolation(r);
  if (first === undefined) return undefined;
  const v = known === undefined ? first : firstNotKnown(r.violations, known);
  return v === undefined ? { v: first, known: true } : { v, known: false };
}

/** The first of `vs` whose signature is not in `known` (none without known signatures). */
function firstNotKnown(
  vs: readonly Violation[],
  known?: ReadonlySet<string>,
): Violation | undefined {
  return known === undefined ? undefined : vs.find((x) => !known.has(signatureOfViolation(x)));
}

/**
 * Groups in order of their first case; `perGroup` lowest indices each. `hits` counts each
 * group's failing cases when `failing` holds only some of them (the campaign's bound).
 */
export function groupFailures(
  failing: readonly CaseResult[],
  perGroup: number,
  hits?: ReadonlyMap<string, number>,
): FailureGroup[] {
  const groups = new Map<
    string,
    { kind: ViolationKind; fn: string; hits: number; cases: CaseResult[] }
  >();
  for (const r of [...failing].sort((a, b) => a.index - b.index)) {
    const v = firstViolation(r);
    if (v === undefined) continue;
    const key = failureKey(r);
    let g = groups.get(key);
    if (g === undefined) {
      g = { kind: v.kind, fn: v.fn, hits: 0, cases: [] };
      groups.set(key, g);
    }
    g.hits++;
    if (g.cases.length < perGroup) g.cases.push(r);
  }
  if (hits !== undefined) for (const [key, g] of groups) g.hits = hits.get(key) ?? g.hits;
  return [...groups.values()];
}

const shortFn = (fn: string): string => fn.replace(/^VideoPort/, '').replace(/^@/, 'at-');

/**
 * Which scheme `signatureOf` follows. Scheme 1 hashed the set of functions the repro called
 * for the kinds that are not about inertness, so one bug got a new signature whenever its repro
 * kept another incidental call. A history file's version is the scheme of its signatures
 * (report/history.ts HISTORY_VERSION, which does not compile unless it equals this): changing
 * `signatureOf` means a new scheme here, and a new history version that reads the older files.
 */
export const SIGNATURE_SCHEME = 2;

/**
 * Dedup key, as "kind/Function/hash" (also its directory under findings/): what failed, never
 * how the repro got there. The hash covers the part of the answer that differs
 * (violationPart: "ret", "out.pLength", "memory", none for a crash) for the kinds that are not
 * about inertness, so a StartDma that returns the wrong value and one that writes a wrong
 * *pLength are two findings, whatever calls, addresses or seed led to them. For an inertness
 * kind it covers nothing (always b8a02000, the hash of ""): the obsolete call was not inert,
 * that is the bug, whichever byte, object or out-parameter showed it first.
 */
export function signatureOf(kind: ViolationKind, fn: string, field?: string): string {
  const part = INERTNESS_KINDS.has(kind) ? '' : violationPart(field);
  const h = hashString(part).toString(16).padStart(14, '0').slice(-8);
  return `${kind}/${shortFn(fn)}/${h}`;
}

/** The signature of the finding a violation would be (known before minimizing). */
export function signatureOfViolation(v: Pick<Violation, 'kind' | 'fn' | 'field'>): string {
  return signatureOf(v.kind, v.fn, v.field);
}

/** Minimizing has to stop: interrupted, or its time budget is spent. */
const stopped = (deps: FindingDeps): boolean =>
  deps.signal?.aborted === true || deps.stopping?.() === true;

async function one(r: CaseResult, v: Violation, deps: FindingDeps): Promise<FuzzFinding> {
  const original = deps.regenerate(r.index, r.calls);
  // A case that does not fail every time it runs (a flaky target) is not minimized: each
  // candidate would be a coin toss, and the whole attempt budget spent on noise.
  const before = stopped(deps) ? undefined : await deps.reproduce(original, v, REPRODUCE_TIMES);
  const steady = before?.count === REPRODUCE_TIMES && !stopped(deps);
  const m = steady ? await deps.minimize(original, v) : undefined;
  // Unminimized, the runs before are the count; once stopped, one run will do.
  const reuse = m === undefined && before !== undefined;
  const times = reuse || !stopped(deps) ? REPRODUCE_TIMES : 1;
  const after = reuse ? before : await deps.reproduce(m?.trace ?? original, v, times);
  // A minimized repro that fails on fewer runs than the case did (3/3) is flaky after all: its
  // candidates were accepted by chance (a target that hangs at random). The case as it ran is
  // the better repro, and is reported unminimized, as flaky ones are.
  const fellBack = m !== undefined && before !== undefined && after.count < times;
  const repro = m !== undefined && !fellBack ? markMinimized(m.trace, original, v) : original;
  const again = fellBack ? before : after;
  const runs = fellBack ? REPRODUCE_TIMES : times;
  return findingOf(r, v, original, repro, again, runs, deps.known, {
    minimized: m !== undefined && !fellBack,
    exhausted: !fellBack && (m?.exhausted ?? false),
    attempts: m?.attempts ?? 0,
    ...(fellBack ? { minimizedReproduced: `${after.count}/${times}` } : {}),
  });
}

/**
 * The minimized repro, its meta saying so as `vpdma minimize`'s does (`minimized`: the case's
 * `calls`, the `kind` and `fn` kept; its `seed` and `case` stay beside): a copy of it
 * replayed by a night (a `vpdma-regressions/` directory) is then known for a repro, not
 * minimized again (minimalTraces.ts).
 */
function markMinimized(t: Trace, original: Trace, v: Violation): Trace {
  const minimized = { calls: original.calls.length, kind: v.kind, fn: v.fn };
  return { ...t, header: { ...t.header, meta: { ...t.header.meta, minimized } } };
}

const NOT_MINIMIZED = { minimized: false, exhausted: false, attempts: 0 } as const;
const KNOWN_HOW = { ...NOT_MINIMIZED, notMinimized: 'known' } as const;

/** A case re-run and reported as it ran, not minimized: its bug is known (FindingDeps.known). */
async function asKnown(r: CaseResult, v: Violation, deps: FindingDeps): Promise<FuzzFinding> {
  const original = deps.regenerate(r.index, r.calls);
  const again = await deps.reproduce(original, v, REPRODUCE_TIMES);
  // The re-run checks what the campaign may not have (all of memory): a violation not known
  // there makes the case new after all, minimized for it.
  const fresh = firstNotKnown(again.atCall ?? [], deps.known);
  if (fresh !== undefined && !stopped(deps)) return one(r, fresh, deps);
  return findingOf(r, v, original, original, again, REPRODUCE_TIMES, deps.known, KNOWN_HOW);
}

function findingOf(
  r: CaseResult,
  v: Violation,
  original: Trace,
  repro: Trace,
  again: Reproduced,
  runs: number,
  known: ReadonlySet<string> | undefined,
  how: Pick<
    FuzzFinding,
    'minimized' | 'exhausted' | 'attempts' | 'minimizedReproduced' | 'notMinimized'
  >,
): FuzzFinding {
  // Named after what the repro shows first at that call: one wrong answer whose cases led with
  // its ret or with its out parameter is one finding, not two with the same repro. With known
  // signatures, after the first not known there (a case is judged so: judgeCase).
  const lead = again.lead ?? again.seen ?? v;
  const atCall = again.atCall ?? [lead];
  const shown = firstNotKnown(atCall, known) ?? lead;
  return {
    signature: signatureOfViolation(shown),
    kind: shown.kind,
    fn: shown.fn,
    callIndex: again.seen?.callIndex ?? Math.max(0, repro.calls.length - 1),
    message: shown.message,
    violationsAtCall: (shown === lead ? atCall : [shown, ...atCall.filter((x) => x !== shown)]).map(
      violationAtCall,
    ),
    reproCalls: repro.calls.length,
    originalCalls: original.calls.length,
    caseIndex: r.index,
    cases: [r.index],
    reproduced: `${again.count}/${runs}`,
    confirmed: again.count > 0,
    ...how,
    repro,
    original,
  };
}

interface Judged {
  readonly r: CaseResult;
  readonly v: Violation;
  readonly known: boolean;
}

/** The cases left once stopped, unminimized, each re-run once: all in one batch. */
async function leftOver(
  left: readonly Judged[],
  reproduceEach: NonNullable<FindingDeps['reproduceEach']>,
  deps: FindingDeps,
): Promise<FuzzFinding[]> {
  if (left.length === 0) return [];
  const traces = left.map(({ r }) => deps.regenerate(r.index, r.calls));
  const runs = await reproduceEach(traces.map((trace, k) => ({ trace, v: left[k]!.v })));
  return left.map(({ r, v, known }, k) => {
    const t = traces[k]!;
    const again = runs[k] ?? { count: 0 };
    return findingOf(r, v, t, t, again, 1, deps.known, known ? KNOWN_HOW : NOT_MINIMIZED);
  });
}

/** Minimizes the selected cases of every group, in order; one finding per signature. */
export async function processFindings(
  groups: readonly FailureGroup[],
  deps: FindingDeps,
  onFinding?: (f: FuzzFinding) => void,
): Promise<FuzzFinding[]> {
  const bySignature = new Map<string, FuzzFinding>();
  /** Adds f, or its case to the finding with its signature; true when it is new. */
  const add = (f: FuzzFinding): boolean => {
    const have = bySignature.get(f.signature);
    if (have !== undefined) {
      // Ascending, not in group order: a merge of shards must give the same list.
      const cases = [...have.cases, f.caseIndex].sort((a, b) => a - b);
      bySignature.set(f.signature, { ...have, cases });
      return false;
    }
    bySignature.set(f.signature, f);
    onFinding?.(f);
    return true;
  };
  // Once stopped, the cases left are re-run together (in parallel where the pool allows),
  // not one after another: against a hanging target each run is a whole timeout.
  const left: Judged[] = [];
  const batched = deps.reproduceEach;
  const deferred = (j: Judged): boolean => {
    if (batched === undefined || (left.length === 0 && !stopped(deps))) return false;
    left.push(j);
    return true;
  };
  // Cases whose violations are all known wait for the rest: none is minimized.
  const known: Judged[] = [];
  for (const g of groups) {
    for (const r of g.cases) {
      const j = judgeCase(r, deps.known);
      if (j === undefined) continue;
      if (j.known) known.push({ r, ...j });
      if (j.known || deferred({ r, ...j })) continue;
      const f = await one(r, j.v, deps);
      // A flaky failure's other cases would only add unminimized copies of it.
      const flaky = !f.minimized && f.confirmed && !stopped(deps);
      if (add(f) && flaky) break;
    }
  }
  // A known bug's other cases would only add unminimized copies: each is listed, not re-run.
  const shownAs = new Map<string, string>();
  for (const j of known) {
    const before = signatureOfViolation(j.v);
    const have = bySignature.get(shownAs.get(before) ?? '');
    if (have !== undefined) add({ ...have, caseIndex: j.r.index });
    else if (!deferred(j)) {
      const f = await asKnown(j.r, j.v, deps);
      add(f);
      if (f.confirmed && f.notMinimized === 'known') shownAs.set(before, f.signature);
    }
  }
  if (batched !== undefined) for (const f of await leftOver(left, batched, deps)) add(f);
  return [...bySignature.values()];
}
