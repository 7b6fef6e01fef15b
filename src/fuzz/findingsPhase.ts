// The findings phase of a run: failing cases, grouped, minimized against the target in the
// replay pool (the minimizer, then reshaping), re-run to confirm, and written; those that
// never fail again are kept apart as unconfirmed.
import { plural } from '../core/plural.js';
import type { ReplaySettings } from '../replay/protocol.js';
import type { Violation } from '../replay/violation.js';
import type { Trace } from '../trace/trace.js';
import type { CaseContext } from './caseGen.js';
import { generateCase } from './caseGen.js';
import { processFindings, type FailureGroup, type Reproduced } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';
import { keep, keptFindings, setAsideKnown } from './knownFindings.js';
import { ReplayCheck } from './replayCheck.js';
import type { FuzzRunIo, FuzzRunOptions, Unconfirmed } from './run.js';
import { minimizeDeep } from './shorten.js';

/** What ended minimization early: the time budget (--minimize-time) or an interrupt. */
export type MinimizeStop = 'time' | 'signal';

/**
 * The time budget and the interrupt, polled between candidate batches and cases (so an
 * injected clock decides it); `signal` aborts once it has said stop, for the minimizer. What
 * stopped it is kept only when minimizing asks (stopping): a signal heard after the last
 * minimization ended (during the final re-runs) cut nothing short, so it is not said.
 */
class Budget {
  readonly stop = new AbortController();
  stoppedBy: MinimizeStop | undefined;
  private readonly started: number;

  constructor(
    private readonly now: () => number,
    private readonly timeMs: number | undefined,
    private readonly interrupt: AbortSignal | undefined,
  ) {
    this.started = now();
  }

  stopping(): boolean {
    this.stoppedBy ??= this.spent();
    if (this.stoppedBy === undefined) return false;
    this.stop.abort();
    return true;
  }

  /** The interrupt heard: the minimizer under way stops at once (it then asks stopping). */
  interrupted(): void {
    this.stop.abort();
  }

  private spent(): MinimizeStop | undefined {
    if (this.interrupt?.aborted === true) return 'signal';
    if (this.timeMs !== undefined && this.now() - this.started >= this.timeMs) return 'time';
    return undefined;
  }
}

export async function findingsPhase(
  o: FuzzRunOptions,
  io: FuzzRunIo,
  ctx: CaseContext,
  all: readonly FailureGroup[],
  now: () => number,
): Promise<{
  findings: ReportFinding[];
  minimized: Map<number, string>;
  unconfirmed: Unconfirmed[];
  stoppedBy?: MinimizeStop;
}> {
  const findings: ReportFinding[] = [];
  const unconfirmed: Unconfirmed[] = [];
  const minimized = new Map<number, string>();
  // Known findings whose repro still fails are not minimized again (knownFindings.ts).
  const { groups, kept } = setAsideKnown(all, o.known);
  const known = o.known ?? new Map<string, ReportFinding>();
  const withKept = (): ReportFinding[] => {
    for (const [signature, cases] of kept) for (const c of cases) minimized.set(c, signature);
    return [...findings, ...keptFindings(kept, known)];
  };
  if (groups.length === 0) return { findings: withKept(), minimized, unconfirmed };
  const budget = new Budget(now, o.minimizeTimeMs, o.signal);
  const onInterrupt = (): void => budget.interrupted();
  o.signal?.addEventListener('abort', onInterrupt);
  const stop = budget.stop.signal;
  const total = groups.reduce((n, g) => n + g.cases.length, 0);
  let started = 0;
  const status = (): void =>
    io.minimizing?.({
      done: Math.max(0, started - 1),
      current: started,
      total,
      attempts: [...checks.values()].reduce((n, c) => n + c.replays, 0),
    });
  const s = o.settings;
  const settings: ReplaySettings = {
    target: s.target,
    ...(s.profile === undefined ? {} : { profile: s.profile }),
    paranoid: false,
    timeoutMs: s.timeoutMs,
    sampleBytes: s.sampleBytes,
    ...(s.rssLimitMb === undefined ? {} : { rssLimitMb: s.rssLimitMb }),
  };
  // Hangs cost a timeout per candidate: those replay in parallel, the rest wherever is cheapest.
  const checks = new Map<boolean, ReplayCheck>();
  const checkFor = (v: Violation): ReplayCheck => {
    const hangs = v.kind === 'target-timeout';
    let c = checks.get(hangs);
    if (c === undefined) {
      c = new ReplayCheck(io.replayExecutor(o.workers, s.target, hangs), settings);
      checks.set(hangs, c);
    }
    return c;
  };
  const batchSize = Math.max(1, o.workers * 4);
  // Once stopped, candidates are not replayed: each answers "passes", and the minimizer,
  // seeing its signal aborted, ends with the shortest repro it has.
  const stillFails =
    (v: Violation) =>
    (cands: readonly Trace[]): Promise<boolean[]> => {
      status();
      return budget.stopping()
        ? Promise.resolve(cands.map(() => false))
        : checkFor(v).failsSame(cands, v);
    };
  let stoppedBy: MinimizeStop | undefined;
  try {
    const found = await processFindings(
      groups,
      {
        regenerate: (index, calls) => {
          started++; // each case starts here
          status();
          return generateCase(ctx, index, calls);
        },
        minimize: async (trace, v: Violation) => {
          const m = await minimizeDeep(
            trace,
            v.callIndex,
            stillFails(v),
            // --attempts-max caps all rounds together: each gets what the earlier ones left.
            (t, fails, failingIndex, attemptsMax) =>
              io.minimize(t, fails, {
                attemptsMax,
                ...(failingIndex === undefined ? {} : { failingIndex }),
                batchSize,
                signal: stop,
              }),
            o.attemptsMax,
            stop,
          );
          // Cut short: it still fails, but may not be 1-minimal (as with the attempt budget);
          // stopping() keeps why.
          return stop.aborted && budget.stopping() ? { ...m, exhausted: true } : m;
        },
        reproduce: (trace, v, times) => checkFor(v).reproduce(trace, v, times),
        reproduceEach: async (items) => {
          // Hangs and the rest replay where each kind does (checkFor), each kind in one run.
          const out = new Array<Reproduced>(items.length);
          for (const hangs of [true, false]) {
            const mine = items.flatMap((x, k) =>
              (x.v.kind === 'target-timeout') === hangs ? [k] : [],
            );
            const first = items[mine[0] ?? -1];
            if (first === undefined) continue;
            const got = await checkFor(first.v).reproduceEach(mine.map((k) => items[k]!));
            mine.forEach((k, j) => (out[k] = got[j] ?? { count: 0 }));
          }
          return out;
        },
        ...(o.knownSignatures === undefined ? {} : { known: o.knownSignatures }),
        // The interrupt too (no `signal` here): asked, it keeps why minimizing stopped.
        stopping: () => budget.stopping(),
      },
      (f) =>
        io.log?.(
          f.confirmed
            ? `vpdma fuzz: finding ${f.signature}: ${plural(f.reproCalls, 'call')} (case ${f.caseIndex})\n`
            : `vpdma fuzz: case ${f.caseIndex}: ${f.kind} in ${f.fn} did not happen again (unconfirmed)\n`,
        ),
    );
    // A stop while the findings are written cut no minimization short.
    stoppedBy = budget.stoppedBy;
    for (const f of found) {
      for (const c of f.cases) minimized.set(c, f.signature);
      // Minimized into a known finding after all: that one's repro stays.
      if (f.confirmed && known.has(f.signature)) keep(kept, f.signature, f.cases);
      else if (f.confirmed) findings.push(await io.writeFinding(f));
      else unconfirmed.push({ caseIndex: f.caseIndex, kind: f.kind, fn: f.fn, message: f.message });
    }
  } finally {
    o.signal?.removeEventListener('abort', onInterrupt);
    for (const c of checks.values()) await c.close();
  }
  return {
    findings: withKept(),
    minimized,
    unconfirmed,
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
  };
}
