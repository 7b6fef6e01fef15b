// What one or more runs' corpus replays say about earlier findings and failing traces: the
// repros still failing, passing or failing another way, and the signatures the other failing
// traces are judged by (nightlyHistory.ts folds them into the history).
import { signatureOfViolation } from '../fuzz/findings.js';
import { bothFailed, type FailedTrace } from '../report/historyShows.js';
import type { ReportViolation, TraceEntry } from '../report/replayReport.js';
import { historyTraceName } from './historyTraceName.js';

export interface Regressions {
  /** Signatures whose repro failed the way its finding did: their bug is not fixed. */
  readonly stillFailing: Set<string>;
  /** Signatures whose repro was replayed and passed (in every list given, for shards). */
  readonly passing: Set<string>;
  /**
   * Repros that failed, but not the way their finding did (another kind, function or part of
   * the answer): by signature, the repro and the first violation it showed. Neither still
   * failing nor passing: the finding is neither seen nor fixed by it.
   */
  readonly changed: Map<string, { readonly trace: string; readonly now: ReportViolation }>;
  /** By signature, the repro replayed for it (the first, over shards). */
  readonly repros: Map<string, string>;
  /**
   * The signatures of the first violations of the other traces that failed (not repros in
   * OUT/findings: --replay traces, committed copies of repros among them), each with the
   * first trace that showed it.
   */
  readonly shown: Map<string, string>;
  /**
   * By signature, the traces (historyTraceName) that failed first with it, other than earlier
   * findings' repros failing as their finding did: the other traces (as `shown`), and the
   * changed repros. What --history judges them by (HistoryRun.shown).
   */
  readonly sightings: Map<
    string,
    { kind: string; fn: string; traces: Set<string>; at: Map<string, number> }
  >;
  /** By trace (historyTraceName), the signature each failing trace is judged by (TraceVerdict). */
  readonly judged: Map<string, string>;
  /** Traces (historyTraceName) replayed and passing in every run that replayed them (started). */
  readonly tracesPassing: Set<string>;
  /** Of `stillFailing`, the kind and function of the violation each repro failed with so. */
  readonly foundAs: Map<string, { kind: string; fn: string }>;
  /**
   * By trace (historyTraceName), what each trace that failed in every run that replayed it
   * showed (HistoryRun.failedTraces); absent when its report cannot tell (violations missing).
   */
  readonly failed: Map<string, FailedTrace>;
  /** The `known` signatures (--known) a listed violation of a failing trace had: seen, though known. */
  readonly knownShown: Set<string>;
  /**
   * Traces (historyTraceName) replayed with all memory compared (TraceEntry.paranoid) in every
   * run that replayed them: what a memory-corrupted bucket's fix must be seen by.
   */
  readonly fullyChecked: Set<string>;
  /**
   * Of `changed`, by signature, the call its finding failed at in the repro (finding.json's
   * callIndex, reproCall.ts): what tells a fix from a failure masking it (historyShows.ts).
   */
  readonly changedAt: Map<string, number>;
}

export function emptyRegressions(): Regressions {
  return {
    stillFailing: new Set(),
    passing: new Set(),
    changed: new Map(),
    repros: new Map(),
    shown: new Map(),
    sightings: new Map(),
    judged: new Map(),
    tracesPassing: new Set(),
    foundAs: new Map(),
    failed: new Map(),
    knownShown: new Set(),
    fullyChecked: new Set(),
    changedAt: new Map(),
  };
}

/** The signature of a regression repro (OUT/findings/<kind>/<fn>/<hash>/repro.*), else undefined. */
export function regressionSignature(trace: string): string | undefined {
  const m =
    /(?:^|[\\/])findings[\\/]([^\\/]+)[\\/]([^\\/]+)[\\/]([^\\/]+)[\\/]repro\.(?:jsonl|txt|vpt)$/.exec(
      trace,
    );
  return m === null ? undefined : `${m[1]}/${m[2]}/${m[3]}`;
}

/** One run's corpus replay, as its report has it: each trace's entry, and every violation. */
export interface ReplayedRun {
  readonly traces: readonly TraceEntry[];
  readonly violations: readonly ReportViolation[];
}

/**
 * Whether a repro of `signature` that showed `v` fails the way its finding did: `v` has that
 * signature; for a scheme-1 signature (`oldScheme`, report/history.ts), which named the calls
 * the repro kept, the same kind and function.
 */
export function failsAsFound(signature: string, v: ReportViolation, oldScheme: boolean): boolean {
  const now = signatureOfViolation(v);
  if (now === signature) return true;
  const kindFn = (s: string): string => s.slice(0, s.lastIndexOf('/'));
  return oldScheme && kindFn(now) === kindFn(signature);
}

/**
 * What a failing trace's entry and its listed violations say (FailedTrace), or undefined when
 * they cannot: a violation counted but neither listed nor among `unlisted`.
 */
export function failedTrace(
  t: TraceEntry,
  seen: readonly ReportViolation[],
): FailedTrace | undefined {
  const unlisted = Object.entries(t.unlisted ?? {}).filter(([, n]) => n !== undefined && n > 0);
  const counted = seen.length + unlisted.reduce((sum, [, n]) => sum + (n ?? 0), 0);
  if (seen.length === 0 || counted !== t.violations) return undefined;
  const toEnd = t.outcome === 'fail' && t.damage === undefined && t.interrupted !== true;
  const stops = [t.detachedAt, t.recordedDetachedAt, toEnd ? undefined : t.calls];
  let stoppedAt = Infinity;
  for (const n of [...seen.map((v) => v.callIndex), ...stops])
    if (n !== undefined && n < stoppedAt) stoppedAt = n;
  return {
    signatures: new Set(seen.map(signatureOfViolation)),
    stoppedAt,
    firstAt: Math.min(...seen.map((v) => v.callIndex)),
    calls: t.calls,
    toEnd,
    unlistedKinds: new Set(unlisted.map(([k]) => k)),
  };
}

/**
 * The regression repros (traces under some OUT/findings/<kind>/<fn>/<hash>/, which
 * collectNightlyTraces replays first) in one or more runs' corpus replays (a merge's shards):
 * a repro that failed as its finding did anywhere is still failing; one that failed otherwise
 * (and nowhere as its finding did) changed. The other traces that failed show what they failed
 * with first. `oldScheme` tells the scheme-1 signatures of the history. A trace is judged by its
 * first violation whose signature is not `known` (--known): one with only known ones is judged
 * by none, and a repro failing with only known ones changed to nothing a verdict names.
 */
export function regressionResults(
  runs: readonly ReplayedRun[],
  oldScheme: (signature: string) => boolean = () => false,
  known: ReadonlySet<string> = new Set(),
): Regressions {
  const r = emptyRegressions();
  const counted = (v: ReportViolation): boolean => !known.has(signatureOfViolation(v));
  const failedTraces = new Set<string>();
  // Failed in some run in a way its report cannot tell: nothing said of it (failedTrace).
  const untold = new Set<string>();
  // Replayed sampled in some run: not fully checked, whatever another run did.
  const sampled = new Set<string>();
  const sight = (v: ReportViolation, trace: string): string => {
    const s = signatureOfViolation(v);
    const x = r.sightings.get(s) ?? {
      kind: v.kind,
      fn: v.fn,
      traces: new Set<string>(),
      at: new Map<string, number>(),
    };
    x.traces.add(trace);
    // Shards replay a trace alike; if not, the later call, which a trace must get past.
    x.at.set(trace, Math.max(v.callIndex, x.at.get(trace) ?? v.callIndex));
    r.sightings.set(s, x);
    return s;
  };
  for (const run of runs) {
    const violations = new Map<string, ReportViolation[]>();
    for (const v of run.violations) {
      const list = violations.get(v.trace);
      if (list === undefined) violations.set(v.trace, [v]);
      else list.push(v);
    }
    for (const t of run.traces) {
      // A replay that could not start the target neither saw the bug nor missed it.
      if (t.notStarted === true) continue;
      const failed = t.violations > 0 || t.outcome === 'crash' || t.outcome === 'timeout';
      const passed = t.outcome === 'pass' && t.damage === undefined && t.violations === 0;
      const key = historyTraceName(t.trace);
      const seen = violations.get(t.trace) ?? [];
      for (const v of seen) if (!counted(v)) r.knownShown.add(signatureOfViolation(v));
      (t.paranoid === true ? r.fullyChecked : sampled).add(key);
      if (failed) {
        failedTraces.add(key);
        const now = failedTrace(t, seen);
        const was = r.failed.get(key);
        if (now === undefined) untold.add(key);
        else r.failed.set(key, was === undefined ? now : bothFailed(was, now));
      } else if (passed) r.tracesPassing.add(key);
      const signature = regressionSignature(t.trace);
      if (signature === undefined) {
        const first = seen.find(counted);
        if (failed && first !== undefined) {
          const s = sight(first, key);
          if (!r.shown.has(s)) r.shown.set(s, t.trace);
          if (!r.judged.has(key)) r.judged.set(key, s);
        }
        continue;
      }
      if (!r.repros.has(signature)) r.repros.set(signature, t.trace);
      const old = oldScheme(signature);
      // Violations past the report's cap are not listed: failing, as far as anyone can tell.
      const as = seen.find((v) => failsAsFound(signature, v, old));
      if (failed && (seen.length === 0 || as !== undefined)) {
        r.stillFailing.add(signature);
        if (as !== undefined && !r.foundAs.has(signature))
          r.foundAs.set(signature, { kind: as.kind, fn: as.fn });
      } else if (failed && !r.changed.has(signature))
        r.changed.set(signature, { trace: t.trace, now: seen.find(counted) ?? seen[0]! });
      else if (t.outcome === 'pass' && t.damage === undefined) r.passing.add(signature);
    }
  }
  for (const s of r.stillFailing) {
    r.passing.delete(s);
    r.changed.delete(s);
    const repro = r.repros.get(s);
    if (repro !== undefined && !known.has(s)) r.judged.set(historyTraceName(repro), s);
  }
  for (const [s, c] of r.changed) {
    r.passing.delete(s);
    if (!counted(c.now)) continue;
    const name = historyTraceName(c.trace);
    r.judged.set(name, sight(c.now, name));
  }
  for (const t of failedTraces) r.tracesPassing.delete(t);
  for (const t of untold) r.failed.delete(t);
  for (const t of sampled) r.fullyChecked.delete(t);
  return r;
}
