// The findings phase of a run: failing cases, grouped, minimized against the target in the
// replay pool (the minimizer, then reshaping), re-run to confirm, and written; those that
// never fail again are kept apart as unconfirmed.
import type { ReplaySettings } from '../replay/protocol.js';
import type { Violation } from '../replay/violation.js';
import type { CaseContext } from './caseGen.js';
import { generateCase } from './caseGen.js';
import { processFindings, type FailureGroup } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';
import { ReplayCheck } from './replayCheck.js';
import type { FuzzRunIo, FuzzRunOptions, Unconfirmed } from './run.js';
import { minimizeDeep } from './shorten.js';

export async function findingsPhase(
  o: FuzzRunOptions,
  io: FuzzRunIo,
  ctx: CaseContext,
  groups: readonly FailureGroup[],
): Promise<{
  findings: ReportFinding[];
  minimized: Map<number, string>;
  unconfirmed: Unconfirmed[];
}> {
  const findings: ReportFinding[] = [];
  const unconfirmed: Unconfirmed[] = [];
  const minimized = new Map<number, string>();
  if (groups.length === 0) return { findings, minimized, unconfirmed };
  const s = o.settings;
  const settings: ReplaySettings = {
    target: s.target,
    ...(s.profile === undefined ? {} : { profile: s.profile }),
    paranoid: false,
    timeoutMs: s.timeoutMs,
    sampleBytes: s.sampleBytes,
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
  try {
    const all = await processFindings(
      groups,
      {
        regenerate: (index, calls) => generateCase(ctx, index, calls),
        minimize: (trace, v: Violation) =>
          minimizeDeep(
            trace,
            v.callIndex,
            (cands) => checkFor(v).failsSame(cands, v),
            (t, stillFails, failingIndex) =>
              io.minimize(t, stillFails, {
                attemptsMax: o.attemptsMax,
                ...(failingIndex === undefined ? {} : { failingIndex }),
                batchSize,
                ...(o.signal === undefined ? {} : { signal: o.signal }),
              }),
            o.signal,
          ),
        reproduce: (trace, v, times) => checkFor(v).reproduce(trace, v, times),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      },
      (f) =>
        io.log?.(
          f.confirmed
            ? `finding ${f.signature}: ${f.reproCalls} calls (case ${f.caseIndex})\n`
            : `case ${f.caseIndex}: ${f.kind} in ${f.fn} did not happen again (unconfirmed)\n`,
        ),
    );
    for (const f of all) {
      for (const c of f.cases) minimized.set(c, f.signature);
      if (f.confirmed) findings.push(await io.writeFinding(f));
      else unconfirmed.push({ caseIndex: f.caseIndex, kind: f.kind, fn: f.fn, message: f.message });
    }
  } finally {
    for (const c of checks.values()) await c.close();
  }
  return { findings, minimized, unconfirmed };
}
