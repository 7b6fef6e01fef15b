// --history for `vpdma nightly` and `vpdma merge`: read before any work (a file vpdma cannot
// read is a usage error, and is never overwritten), then the run's findings folded into it:
// each marked new, open or regressed, the buckets that stayed away listed as fixed.
import { relative } from 'node:path';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { updateHistory, withHistory, type History, type HistoryRun } from '../report/history.js';
import { nightlyFinding } from '../report/nightlyBuild.js';
import type { Finding, FixedFinding } from '../report/nightlySchema.js';
import { readHistory, writeHistory } from '../store/historyFile.js';
import { UserError } from './context.js';

export interface HistoryFile {
  readonly path: string;
  readonly history: History;
}

export async function loadHistory(path: string | undefined): Promise<HistoryFile | undefined> {
  if (path === undefined) return undefined;
  const r = await readHistory(path);
  if (!r.ok) throw new UserError(`--history: ${r.error}`);
  return { path, history: r.value };
}

/** The findings as the nightly report shows them (paths relative to `out`), with history. */
export async function foldFindings(
  found: readonly ReportFinding[],
  out: string,
  file: HistoryFile | undefined,
  run: HistoryRun,
): Promise<{ findings: Finding[]; fixed: readonly FixedFinding[] }> {
  const findings = found.map((f) => nightlyFinding(f, (p) => relative(out, p)));
  if (file === undefined) return { findings, fixed: [] };
  const u = updateHistory(file.history, findings, run);
  await writeHistory(file.path, u.history);
  return { findings: withHistory(findings, u.statuses), fixed: u.fixed };
}
