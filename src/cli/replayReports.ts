// `vpdma replay`'s reports: report.json's object from the results, and --json and --junit
// written from it (--known's marks included: report/knownViolations.ts).
import { tableRevision } from '../model/calls.js';
import { plural } from '../core/plural.js';
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { PROFILE_PER_TRACE } from '../replay/runIdentity.js';
import { rssLimitRecord } from '../replay/rssLimit.js';
import { caseForTrace, interruptedCase, junitXml } from '../report/junit.js';
import { markKnown, withKnownCase, type KnownSignatures } from '../report/knownViolations.js';
import {
  REPORT_SCHEMA,
  REPORT_SCHEMA_VERSION,
  reportJson,
  reportViolations,
  summarize,
  traceEntry,
  withTraceId,
  type ReplayReport,
} from '../report/replayReport.js';
import { UserError, type CliIo } from './context.js';
import { buildRevision } from './buildRevision.js';
import type { SkippedTrace } from './disabledTraces.js';
import { traceIdOf } from './historyTraceName.js';
import { writeReportFile } from './outputDir.js';
import { withLines } from './violationLines.js';
import { lossOf, targetWarnings } from './targetWarnings.js';
import { packageVersion } from './version.js';

/** What a replay was run with besides its settings, for the report. */
export interface ReplayRecord {
  readonly seed: string;
  readonly workers: number;
  readonly wallMs: number;
  readonly interrupted: boolean;
  readonly workerHeapMb: number | undefined;
  readonly disabled: readonly string[] | undefined;
  readonly skipped: readonly SkippedTrace[];
  /** --known's signatures (undefined without it). */
  readonly known: KnownSignatures | undefined;
}

export async function buildReport(
  results: readonly ItemResult[],
  s: ReplaySettings,
  o: ReplayRecord,
  /** vpdma's own fault part way, or a module target that never loaded (ReplayReport). */
  failed: { readonly harnessError?: string; readonly setupError?: string } = {},
): Promise<ReplayReport> {
  const entries = results.map(traceEntry).map((e) => withTraceId(e, traceIdOf(e.trace)));
  const violations = markKnown(await withLines(reportViolations(results)), o.known);
  const counted = summarize(entries, violations);
  const warnings = targetWarnings(lossOf(results.map((r) => r.result)), 'trace');
  const skipped = o.skipped.length;
  const known = violations.filter((v) => v.known === true).length;
  const summary = {
    ...counted,
    ...(skipped > 0 ? { skipped } : {}),
    ...(o.known === undefined ? {} : { known }),
  };
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    command: 'replay',
    seed: o.seed,
    vpdmaVersion: packageVersion(),
    modelRevision: tableRevision(),
    buildRevision: buildRevision(),
    target: s.target,
    profile: s.profile ?? PROFILE_PER_TRACE,
    paranoid: s.paranoid,
    sampleBytes: s.sampleBytes,
    timeoutMs: s.timeoutMs,
    ...(o.workerHeapMb === undefined ? {} : { workerHeapMb: o.workerHeapMb }),
    ...rssLimitRecord(s),
    ...(o.disabled === undefined ? {} : { disabled: o.disabled }),
    ...(o.known === undefined ? {} : { knownFrom: o.known.from }),
    summary,
    traces: entries,
    ...(o.disabled === undefined ? {} : { skipped: o.skipped }),
    violations,
    interrupted: o.interrupted,
    ...(failed.harnessError === undefined ? {} : { harnessError: failed.harnessError }),
    ...(failed.setupError === undefined ? {} : { setupError: failed.setupError }),
    ...(warnings.length === 0 ? {} : { warnings }),
    timing: {
      workers: o.workers,
      wallMs: Math.round(o.wallMs),
      callsPerSecond: Math.round(summary.calls / Math.max(o.wallMs / 1000, 1e-3)),
    },
  };
}

export async function writeReports(
  io: CliIo,
  report: ReplayReport,
  opts: { readonly json?: string; readonly junit?: string },
  given: number,
): Promise<void> {
  try {
    if (opts.json !== undefined) await writeReportFile(io, opts.json, reportJson(report));
    if (opts.junit !== undefined) {
      // Known violations are no failures: a trace with nothing else is a skipped case.
      const counted = report.violations.filter((v) => v.known !== true);
      const cases = report.traces.map((t) => withKnownCase(caseForTrace(t, counted), t, report));
      // A skipped trace is a test case that did not run, saying why.
      for (const { trace, reason } of report.skipped ?? [])
        cases.push({
          ...caseForTrace({ trace, outcome: 'pass', calls: 0, violations: 0 }, []),
          skipped: reason,
        });
      // A dashboard shows the cases it is given: a stopped run must not read as a green one.
      const missing = given - report.traces.length;
      if (report.interrupted)
        cases.push(interruptedCase(`interrupted: ${plural(missing, 'trace')} not replayed`));
      await writeReportFile(io, opts.junit, junitXml('vpdma replay', cases));
    }
  } catch (e) {
    throw new UserError(`cannot write the report: ${e instanceof Error ? e.message : String(e)}`);
  }
}
