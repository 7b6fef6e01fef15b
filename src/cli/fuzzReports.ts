// What \`vpdma fuzz\` leaves behind: report.json (and --json), and the exit code its report means.
import { join } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import { reportJson } from '../report/replayReport.js';
import { setUpFailed } from '../replay/violation.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError, type CliContext, type CliIo } from './context.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import { writeReportFile } from './outputDir.js';

/** The exit code a finished campaign's report means (after an interrupt, 130 whatever it found). */
export function verdict(
  ctx: CliContext,
  report: FuzzReport,
  usage: boolean | undefined,
  /** A signal came after the campaign, while its reports were written (they are whole). */
  late = false,
): ExitCode {
  if (report.interrupted || late) return EXIT.interrupted;
  if (report.setupError !== undefined) {
    ctx.io.err(`vpdma: ${setUpFailed(oneLine(report.setupError))}\n`);
    return usage === true ? EXIT.badInput : EXIT.crash;
  }
  return report.findings.length > 0 ? EXIT.violations : EXIT.ok;
}

/** report.json and --json; what could not be written is the run's last line (exit 2). */
export async function writeReports(
  io: CliIo,
  report: FuzzReport,
  out: string,
  json?: string,
): Promise<UserError | undefined> {
  try {
    const text = reportJson(report);
    await writeFileAtomic(join(out, 'report.json'), text);
    if (json !== undefined) await writeReportFile(io, json, text);
    return undefined;
  } catch (e) {
    return new UserError(`cannot write the report: ${e instanceof Error ? e.message : String(e)}`);
  }
}
