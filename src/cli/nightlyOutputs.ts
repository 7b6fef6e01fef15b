// Writing the nightly reports, every one atomically: report.json, junit.xml, results.sarif
// and report.html in --out, and the same JSON at --json FILE.
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_TRACE } from '../report/command.js';
import { nightlyHtml } from '../report/html.js';
import type { TraceRefOf } from '../report/htmlEscape.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { nightlyJunitXml } from '../report/nightlyJunit.js';
import { reportJson } from '../report/replayReport.js';
import { nightlySarifJson } from '../report/sarif.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError, type CliIo } from './context.js';
import { commandTraceName, historyTraceName } from './historyTraceName.js';
import { writeReportFile } from './outputDir.js';

export const REPORT_FILES = ['report.json', 'junit.xml', 'results.sarif', 'report.html'] as const;

/**
 * --history and --json must not name a file this run writes otherwise: the history would be
 * replaced by a report (or the report by the history), junit.xml by JSON. --json naming
 * OUT/report.json itself is the same file with the same text, and allowed.
 */
export function checkOutputNames(out: string, json?: string, history?: string): void {
  const written = new Map(REPORT_FILES.map((f) => [resolve(out, f), f]));
  if (history !== undefined) {
    const h = resolve(history);
    const clash =
      written.get(h) ?? (json !== undefined && resolve(json) === h ? '--json' : undefined);
    if (clash !== undefined)
      throw new UserError(
        `--history ${history}: is ${clash}, which this run writes; give another file`,
      );
  }
  if (json !== undefined) {
    const clash = written.get(resolve(json));
    if (clash !== undefined && clash !== 'report.json')
      throw new UserError(`--json ${json}: is ${clash}, which this run writes; give another file`);
  }
}

/**
 * The page's traces: a bundled corpus trace by its stable name (`corpus:NAME`) and no link, as
 * neither a downloaded --out nor another machine has vpdma's install path; others linked from
 * --out, where the page sits, to the path the run named from where it started.
 */
export function pageTraceRef(out: string): TraceRefOf {
  return (trace) => {
    const name = historyTraceName(trace);
    if (name.startsWith(BUNDLED_TRACE)) return { text: name };
    return { text: trace, href: relative(resolve(out), resolve(trace)) };
  };
}

/**
 * Where vpdma is installed (docs/ is in it): the page's stricter-than-documented links point
 * there, as file: URLs, where the night ran. Their text is the docs path as cited, which says
 * where to look in any copy of vpdma's docs on a machine without this one.
 */
export const INSTALL_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Reports a night could not write: their names (or --json's path), and the first reason. */
export interface Unwritten {
  readonly files: readonly string[];
  readonly reason: string;
}

/**
 * Every report, each tried even when one before it failed (a full disk may still take the
 * smaller ones); a report not written keeps what it held (the night before's, or nothing).
 */
export async function writeNightlyReports(
  io: CliIo,
  report: NightlyReportWithDetail,
  out: string,
  json?: string,
): Promise<Unwritten | undefined> {
  const text = reportJson(report);
  const writes: [string, () => Promise<void>][] = [
    ['report.json', () => writeFileAtomic(join(out, 'report.json'), text)],
    [
      'junit.xml',
      () =>
        writeFileAtomic(
          join(out, 'junit.xml'),
          nightlyJunitXml(report, (t) => commandTraceName(t)),
        ),
    ],
    [
      'results.sarif',
      () =>
        writeFileAtomic(
          join(out, 'results.sarif'),
          nightlySarifJson(report, (t) => historyTraceName(t)),
        ),
    ],
    [
      'report.html',
      () =>
        writeFileAtomic(
          join(out, 'report.html'),
          nightlyHtml(report, pageTraceRef(out), INSTALL_DIR),
        ),
    ],
  ];
  if (json !== undefined) writes.push([`--json ${json}`, () => writeReportFile(io, json, text)]);
  const files: string[] = [];
  let reason: string | undefined;
  for (const [name, write] of writes) {
    try {
      await write();
    } catch (e) {
      files.push(name);
      reason ??= e instanceof Error ? e.message : String(e);
    }
  }
  return reason === undefined ? undefined : { files, reason };
}

/** The one line for reports not written (exit 2, as main.ts says any file the machine refused). */
export function unwrittenError(out: string, u: Unwritten, history?: string): UserError {
  const held = u.files.length === 1 ? 'it holds' : 'they hold';
  const notHistory = history === undefined ? '' : `; --history ${history} was not written either`;
  // --json names its own path, which need not be in --out.
  const inOut = u.files.filter((f) => !f.startsWith('--json '));
  const own = u.files.filter((f) => f.startsWith('--json '));
  const where = [...(inOut.length === 0 ? [] : [`${inOut.join(', ')} to ${out}`]), ...own];
  return new UserError(
    `cannot write ${where.join(' or ')} (${u.reason}): ${held} what an earlier run wrote, if any${notHistory}`,
  );
}
