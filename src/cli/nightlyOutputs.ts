// Writing the nightly reports, every one atomically: report.json, junit.xml, results.sarif
// and report.html in --out, and the same JSON at --json FILE.
import { join } from 'node:path';
import { nightlyHtml } from '../report/html.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { nightlyJunitXml } from '../report/nightlyJunit.js';
import { reportJson } from '../report/replayReport.js';
import { nightlySarifJson } from '../report/sarif.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError, type CliIo } from './context.js';
import { writeReportFile } from './outputDir.js';

export const REPORT_FILES = ['report.json', 'junit.xml', 'results.sarif', 'report.html'] as const;

export async function writeNightlyReports(
  io: CliIo,
  report: NightlyReportWithDetail,
  out: string,
  json?: string,
): Promise<void> {
  try {
    const text = reportJson(report);
    await writeFileAtomic(join(out, 'report.json'), text);
    await writeFileAtomic(join(out, 'junit.xml'), nightlyJunitXml(report));
    await writeFileAtomic(join(out, 'results.sarif'), nightlySarifJson(report));
    await writeFileAtomic(join(out, 'report.html'), nightlyHtml(report));
    if (json !== undefined) await writeReportFile(io, json, text);
  } catch (e) {
    throw new UserError(
      `cannot write the reports to ${out}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
