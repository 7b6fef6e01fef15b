// The end of `vpdma nightly` once its report is built: the reports, then the history, the
// summary, the earlier unminimized findings removed, and the exit code. A signal now (the
// night's own Interrupt, still listening) lets the reports and the history finish: exit 130.
import { dirname, resolve } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { DAMAGE_NOTE } from '../report/replayReport.js';
import { setUpFailed } from '../replay/violation.js';
import { exitWithFaults } from './campaignGuards.js';
import type { CliIo } from './context.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import type { Interrupt } from './interrupt.js';
import { exitForNightly, removeFindings, type FailOn } from './nightlyPlan.js';
import { unwrittenError, writeNightlyReports } from './nightlyOutputs.js';
import { nightlySummary } from './nightlySummary.js';
import { summaryTo } from './outputDir.js';

export interface NightEnd {
  readonly report: NightlyReportWithDetail;
  readonly out: string;
  /** --json and --history. */
  readonly json: string | undefined;
  readonly history: string | undefined;
  readonly saveHistory: () => Promise<void>;
  readonly failOn: FailOn;
  /** The corpus replay's results: an unreadable trace is said where a user looks. */
  readonly results: readonly { readonly inputError?: string; readonly damage?: string }[];
  /** The night ran to its end: the earlier unminimized findings go. */
  readonly ranOut: boolean;
  readonly unminimized: readonly string[];
  /** The finding files this night wrote (kept whatever `unminimized` names). */
  readonly findingTraces: readonly string[];
  readonly corpusStopped: string | undefined;
  /** The fuzz phase's full-disk faults (exit 2). */
  readonly faults: readonly string[];
  /** vpdma's own fault in phase 1 or 2: thrown once the reports say what ran (exit 3). */
  readonly fault: Error | undefined;
  /** The module could not be loaded for want of a usable SPEC: 2, not 3. */
  readonly usage: boolean;
  readonly interrupt: Interrupt;
}

export async function endNight(io: CliIo, e: NightEnd): Promise<ExitCode> {
  const { report, out } = e;
  // Each report is tried, and the summary printed, whatever the disk refused. A history
  // written past reports that were lost would judge the next night against one nobody saw.
  const unwritten = await writeNightlyReports(io, report, out, e.json);
  const historyFailed =
    unwritten === undefined
      ? await e.saveHistory().then(
          () => undefined,
          (x: unknown) => ({ e: x }),
        )
      : undefined;
  summaryTo(io, e.json)(nightlySummary(report, out, undefined, e.corpusStopped));
  // Unreadable traces decide the exit code (2): say which, and why, where a user looks.
  for (const x of e.results) {
    if (x.inputError !== undefined) io.err(`vpdma: ${x.inputError}\n`);
    if (x.damage !== undefined) io.err(`vpdma: ${x.damage}: ${DAMAGE_NOTE}\n`);
  }
  // Earlier unminimized findings go once a night ran to its end (it found their bugs again).
  if (e.ranOut && e.unminimized.length > 0) {
    const wrote = new Set(e.findingTraces.map((f) => resolve(dirname(f))));
    await removeFindings(out, e.unminimized, wrote).catch((x: unknown) =>
      io.err(`vpdma: ${x instanceof Error ? x.message : String(x)}\n`),
    );
  }
  const setup = report.fuzzDetail.setupError;
  if (setup !== undefined) io.err(`vpdma: ${setUpFailed(oneLine(setup))}\n`);
  const verdict = exitForNightly(report, e.failOn);
  // Asked now, not when the report was built: a signal while it was written is one too.
  const code =
    e.interrupt.received() !== undefined
      ? EXIT.interrupted
      : e.usage && verdict === EXIT.crash
        ? EXIT.badInput
        : verdict;
  // A full disk is the machine's fault, as main.ts has it: exit 2, everything else reported.
  const exit = exitWithFaults(io.err, code, e.faults);
  // The reports and the history say what ran; main() tells the fault, with its stack (exit 3).
  if (e.fault !== undefined) {
    const lost =
      unwritten === undefined ? historyFailed?.e : unwrittenError(out, unwritten, e.history);
    if (lost instanceof Error) io.err(`vpdma: ${lost.message}\n`);
    throw e.fault;
  }
  if (unwritten !== undefined) throw unwrittenError(out, unwritten, e.history);
  if (historyFailed !== undefined) throw historyFailed.e;
  return exit;
}
