// --history for `vpdma nightly` and `vpdma merge`: read before any work (a file vpdma cannot
// read is a usage error, and is never overwritten), then the run's findings folded into it:
// each marked new, open or regressed, the buckets that stayed away listed as fixed.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import {
  oldSchemeBuckets,
  updateHistory,
  withHistory,
  type History,
  type HistoryRun,
} from '../report/history.js';
import { nightlyFinding } from '../report/nightlyBuild.js';
import type { Finding, FixedFinding } from '../report/nightlySchema.js';
import type { TraceEntry } from '../report/replayReport.js';
import { ioMessage } from '../store/fileChunks.js';
import { readHistory, writeHistory } from '../store/historyFile.js';
import { UserError } from './context.js';
import { checkOutputFile } from './outputDir.js';

export interface HistoryFile {
  readonly path: string;
  readonly history: History;
}

export async function loadHistory(path: string | undefined): Promise<HistoryFile | undefined> {
  if (path === undefined) return undefined;
  const r = await readHistory(path);
  if (!r.ok) throw new UserError(`--history: ${r.error}`);
  // It is written at the end: a place it cannot go, or a file made read-only, is refused now.
  await checkOutputFile('--history', path);
  const st = await stat(path).catch(() => undefined);
  if (st?.isFile() === true)
    await access(path, constants.W_OK).catch((e: unknown) => {
      throw new UserError(`--history ${path}: not writable (${ioMessage(e)})`);
    });
  return { path, history: r.value };
}

/**
 * The one-time note for a version 1 history (report/history.ts, "Signature schemes"), printed
 * by the night that upgrades it; '' for any other.
 */
export function upgradeNote(command: string, file: HistoryFile | undefined): string {
  if (file?.history.upgradedFrom !== 1) return '';
  const old = oldSchemeBuckets(file.history);
  const kept =
    old === 0
      ? ''
      : `; its ${old} ${old === 1 ? 'bucket' : 'buckets'} of kinds whose signature changed keep it (signatureScheme 1): a finding of the same kind and function as an open one of them is open, not new, and each is fixed once its repro in OUT/findings passes`;
  return `vpdma ${command}: --history ${file.path}: version 1, written back as version 2, whose signatures name what failed (kind, function, the part of the answer that differs), not the calls a repro kept${kept}\n`;
}

/** The findings as the nightly report shows them (paths relative to `out`), with history. */
export function foldFindings(
  found: readonly ReportFinding[],
  out: string,
  file: HistoryFile | undefined,
  run: HistoryRun,
): {
  findings: Finding[];
  fixed: readonly FixedFinding[];
  stillFailing: readonly string[];
  saveHistory: () => Promise<void>;
} {
  const findings = found.map((f) => nightlyFinding(f, (p) => relative(out, p)));
  const foundNow = new Set(findings.map((f) => f.signature));
  const stillFailing = [...(run.stillFailing ?? [])].filter((s) => !foundNow.has(s)).sort();
  if (file === undefined)
    return { findings, fixed: [], stillFailing, saveHistory: () => Promise.resolve() };
  // An unminimized repro (the night was interrupted first, or the failure is flaky) is not
  // replayed by later nights: recorded, its bucket could never be marked fixed.
  const recorded = findings.filter((_, i) => found[i]?.minimized !== false);
  const u = updateHistory(file.history, recorded, run);
  return {
    findings: withHistory(findings, u.statuses),
    fixed: u.fixed,
    stillFailing,
    // Written after the reports, so a history that cannot be written loses nothing else.
    saveHistory: async () => {
      try {
        await writeHistory(file.path, u.history);
      } catch (e) {
        throw new UserError(`--history ${file.path}: cannot write (${ioMessage(e)})`);
      }
    },
  };
}

export interface Regressions {
  /** Signatures whose repro failed: their bug is not fixed. */
  readonly stillFailing: Set<string>;
  /** Signatures whose repro was replayed and passed (in every list given, for shards). */
  readonly passing: Set<string>;
}

/** The signature of a regression repro (OUT/findings/<kind>/<fn>/<hash>/repro.*), else undefined. */
export function regressionSignature(trace: string): string | undefined {
  const m =
    /(?:^|[\\/])findings[\\/]([^\\/]+)[\\/]([^\\/]+)[\\/]([^\\/]+)[\\/]repro\.(?:jsonl|txt|vpt)$/.exec(
      trace,
    );
  return m === null ? undefined : `${m[1]}/${m[2]}/${m[3]}`;
}

/**
 * The regression repros (traces under some OUT/findings/<kind>/<fn>/<hash>/, which
 * collectNightlyTraces replays first) in one or more runs' corpus replays (a merge's shards):
 * a repro that failed anywhere is still failing.
 */
export function regressionResults(...runs: (readonly TraceEntry[])[]): Regressions {
  const stillFailing = new Set<string>();
  const passing = new Set<string>();
  for (const traces of runs)
    for (const t of traces) {
      const signature = regressionSignature(t.trace);
      // A replay that could not start the target neither saw the bug nor missed it.
      if (signature === undefined || t.notStarted === true) continue;
      if (t.violations > 0 || t.outcome === 'crash' || t.outcome === 'timeout')
        stillFailing.add(signature);
      else if (t.outcome === 'pass' && t.damage === undefined) passing.add(signature);
    }
  for (const s of stillFailing) passing.delete(s);
  return { stillFailing, passing };
}
