// --history for `vpdma nightly` and `vpdma merge`: read before any work (a file vpdma cannot
// read is a usage error, and is never overwritten unless --history-recover says so:
// historyRecover.ts), then the run's findings folded into it:
// each marked new, open or regressed, the buckets that stayed away listed as fixed.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import {
  oldSchemeBuckets,
  updateHistory,
  withHistory,
  type History,
  type HistoryRun,
} from '../report/history.js';
import { nightlyFinding } from '../report/nightlyBuild.js';
import { emptyRegressions, type Regressions } from './regressionResults.js';
import type {
  Finding,
  FindingStatus,
  FixedFinding,
  HistoryRecovered,
  RegressedByReplay,
  ReproChanged,
  StillOpen,
  TraceVerdict,
} from '../report/nightlySchema.js';
import { stillOpenOf } from './stillOpen.js';
import { ioMessage } from '../store/fileChunks.js';
import { prevPath, readHistory, writeHistory } from './historyFile.js';
import {
  damagedRefusal,
  keepDamagedHistory,
  prevBesideEmptyNote,
  RECOVER_FLAG,
  recoverFrom,
  type PlannedRecovery,
} from './historyRecover.js';
import { recoveredText } from '../report/historyRecovered.js';
import { historyTraceName, historyTraceNames } from './historyTraceName.js';
import { UserError } from './context.js';
import { checkOutputFile } from './outputDir.js';

export interface HistoryFile {
  readonly path: string;
  readonly history: History;
  /** The text read ('' when missing, or recovered): kept in FILE.prev when the run replaces it. */
  readonly text: string;
  /** --history-recover on a damaged file: what the run starts from, until keepDamagedFile. */
  readonly planned?: PlannedRecovery;
  /** Set by keepDamagedFile: --history-recover replaced a damaged file. */
  readonly recovered?: HistoryRecovered;
  /** What to say on stderr before the run's work about the file; '' for nothing. */
  readonly note: string;
}

/**
 * The --history file, read under its lock. A damaged one is refused with what to do (one line,
 * exit 2), unless `recover` (--history-recover): then it is replaced by what historyRecover.ts
 * plans, once keepDamagedFile has kept its bytes.
 */
export async function loadHistory(
  path: string | undefined,
  recover = false,
): Promise<HistoryFile | undefined> {
  if (path === undefined) {
    if (recover) throw new UserError(`${RECOVER_FLAG}: give --history FILE, the file to recover`);
    return undefined;
  }
  const r = await readHistory(path);
  if (!r.ok && !r.error.damaged) throw new UserError(`--history: ${r.error.message}`);
  if (!r.ok && !recover) throw new UserError(await damagedRefusal(path, r.error));
  // It is written at the end: a place it cannot go, or a file made read-only, is refused now;
  // so is a FILE.prev that is not a file, which every write but the first replaces.
  await checkOutputFile('--history', path);
  const st = await stat(path).catch(() => undefined);
  if (st?.isFile() === true)
    await access(path, constants.W_OK).catch((e: unknown) => {
      throw new UserError(`--history ${path}: not writable (${ioMessage(e)})`);
    });
  const prev = await stat(prevPath(path)).catch(() => undefined);
  if (prev !== undefined && !prev.isFile())
    throw new UserError(
      `--history ${path}: ${prevPath(path)}, where a write keeps the version it replaces, is not a regular file; move it away`,
    );
  if (!r.ok) {
    const { read, plan } = await recoverFrom(path, r.error);
    return { path, ...read, history: historyTraceNames(read.history), planned: plan, note: '' };
  }
  const note = await prevBesideEmptyNote(path, r.value);
  // An older history's bundled corpus traces, by absolute path, under their stable names.
  return { path, ...r.value, history: historyTraceNames(r.value.history), note };
}

/**
 * A planned recovery carried out: the damaged file's bytes kept beside it (called once the run
 * is sure to go ahead, so a refused run leaves nothing behind), and the note saying so.
 */
export async function keepDamagedFile(
  file: HistoryFile | undefined,
): Promise<HistoryFile | undefined> {
  if (file?.planned === undefined) return file;
  const recovered = await keepDamagedHistory(file.planned, new Date());
  return {
    path: file.path,
    history: file.history,
    text: file.text,
    recovered,
    note: `${RECOVER_FLAG}: ${recoveredText(recovered)}`,
  };
}

/** HistoryFile.note as a line of `vpdma COMMAND`'s stderr; '' for none. */
export function historyNote(command: string, file: HistoryFile | undefined): string {
  return file === undefined || file.note === '' ? '' : `vpdma ${command}: ${file.note}\n`;
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
      : `; its ${old} ${old === 1 ? 'bucket' : 'buckets'} whose signature changed ${old === 1 ? 'keeps' : 'keep'} it (signatureScheme 1): a finding of the same kind and function as an open one of them is open, not new, and each is fixed once its repro in OUT/findings passes`;
  return `vpdma ${command}: --history ${file.path}: version 1, written back as version 2, whose signatures name what failed (kind, function, the part of the answer that differs), not the calls a repro kept${kept}\n`;
}

/** The scheme-1 signatures of `target` in the history (report/history.ts): none without one. */
export function oldSchemeOf(
  file: HistoryFile | undefined,
  target: string,
): (signature: string) => boolean {
  const old = new Set(
    (file?.history.buckets ?? [])
      .filter((b) => b.target === target && b.signatureScheme === 1)
      .map((b) => b.signature),
  );
  return (signature) => old.has(signature);
}

/**
 * A history that holds findings of other targets only: buckets are kept per --target SPEC as
 * written, so this spelling starts a history of its own, and the others' stay open for ever
 * (a night's `module:./t.mjs` after `module:/ci/t.mjs`); '' for any other.
 */
export function otherTargetsNote(
  command: string,
  file: HistoryFile | undefined,
  target: string,
): string {
  const targets = [...new Set((file?.history.buckets ?? []).map((b) => b.target))].sort();
  if (file === undefined || targets.length === 0 || targets.includes(target)) return '';
  const shown = targets
    .slice(0, 3)
    .map((t) => oneLine(t))
    .join(', ');
  const more = targets.length > 3 ? `, and ${targets.length - 3} more` : '';
  return `vpdma ${command}: --history ${file.path} holds findings of other targets only (${shown}${more}); they are kept per --target SPEC as written, so ${oneLine(target)} starts a history of its own: spell the target as earlier nights did to carry theirs on\n`;
}

/** What a night's history says beside its findings' statuses (all empty without --history). */
export interface Folded {
  readonly findings: Finding[];
  /** By trace (historyTraceName), the verdict on each failing trace the target started for. */
  readonly traces: ReadonlyMap<string, TraceVerdict>;
  readonly fixed: readonly FixedFinding[];
  readonly stillFailing: readonly string[];
  readonly regressedByReplay: readonly RegressedByReplay[];
  readonly reprosChanged: readonly ReproChanged[];
  readonly stillOpen: readonly StillOpen[];
  readonly saveHistory: () => Promise<void>;
}

/** HistoryRun.changedRepros of a night's replays. */
function changedRepros(replays: Regressions): NonNullable<HistoryRun['changedRepros']> {
  return new Map(
    [...replays.changed].map(([s, c]) => {
      const at = replays.changedAt.get(s);
      const failed = replays.failed.get(historyTraceName(c.trace));
      return [
        s,
        { ...(at === undefined ? {} : { at }), ...(failed === undefined ? {} : { failed }) },
      ];
    }),
  );
}

/** The findings as the nightly report shows them (paths relative to `out`), with history. */
export function foldFindings(
  found: readonly ReportFinding[],
  out: string,
  file: HistoryFile | undefined,
  run: Pick<HistoryRun, 'runId' | 'target' | 'complete'> & {
    readonly known?: ReadonlySet<string> | undefined;
  },
  replays: Regressions = emptyRegressions(),
): Folded {
  const findings = found.map((f) => nightlyFinding(f, (p) => relative(out, p)));
  const foundNow = new Set(findings.map((f) => f.signature));
  const stillFailing = [...replays.stillFailing].filter((s) => !foundNow.has(s)).sort();
  const { known, ...identity } = run;
  const full: HistoryRun = {
    ...identity,
    ...(known === undefined ? {} : { known, knownShown: replays.knownShown }),
    stillFailing: replays.stillFailing,
    passing: replays.passing,
    shown: new Map(
      [...replays.sightings].map(([s, x]) => [
        s,
        { kind: x.kind, fn: x.fn, traces: [...x.traces], at: x.at },
      ]),
    ),
    tracesPassing: replays.tracesPassing,
    failedTraces: replays.failed,
    reprosChanged: new Set(replays.changed.keys()),
    changedRepros: changedRepros(replays),
    reprosFullyChecked: new Set(
      [...replays.repros]
        .filter(([, repro]) => replays.fullyChecked.has(historyTraceName(repro)))
        .map(([s]) => s),
    ),
    tracesFullyChecked: replays.fullyChecked,
  };
  const mine = new Map(
    (file?.history.buckets ?? [])
      .filter((b) => b.target === run.target)
      .map((b) => [b.signature, b]),
  );
  // An unminimized repro (the night was interrupted first, or the failure is flaky) is not
  // replayed by later nights: recorded, its bucket could never be marked fixed. Of a bucket
  // there is already, it is that bucket seen (regressed if it had been fixed). An earlier
  // finding's repro failing as it did, of a finding the history has no bucket for (an OUT
  // older than the --history), is that finding seen, and recorded as one.
  const unknown = [...replays.foundAs]
    .filter(([s]) => !foundNow.has(s) && !mine.has(s))
    .map(([signature, x]) => ({ signature, kind: x.kind, fn: x.fn }));
  const recorded = [
    ...findings.filter((f, i) => found[i]?.minimized !== false || mine.has(f.signature)),
    ...unknown,
  ];
  const u = file === undefined ? undefined : updateHistory(file.history, recorded, full);
  const withStatus = u === undefined ? findings : withHistory(findings, u.statuses);
  const regressedByReplay: RegressedByReplay[] = [];
  for (const [signature, h] of u?.replayed ?? []) {
    const b = mine.get(signature);
    const trace = replays.repros.get(signature) ?? replays.shown.get(signature);
    if (h.status !== 'regressed' || b === undefined || trace === undefined) continue;
    regressedByReplay.push({
      signature,
      kind: b.kind,
      fn: b.fn,
      trace,
      firstSeen: h.firstSeen,
      ...(h.fixedSince === undefined ? {} : { fixedSince: h.fixedSince }),
    });
  }
  regressedByReplay.sort((a, b) => (a.signature < b.signature ? -1 : 1));
  // What a trace (or a changed repro) fails with is named with its status tonight: the
  // history's verdict on it (a finding's, a bucket's), else new (nothing has seen it yet).
  const statusOfSig = (sig: string): FindingStatus =>
    u?.statuses.get(sig)?.status ??
    u?.replayed.get(sig)?.status ??
    withStatus.find((f) => f.signature === sig)?.status ??
    (mine.has(sig) ? 'open' : 'new');
  const reprosChanged: ReproChanged[] = [...replays.changed]
    .filter(([signature]) => !foundNow.has(signature))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([signature, c]) => {
      const now = signatureOfViolation(c.now);
      return {
        signature,
        trace: c.trace,
        now: {
          signature: now,
          kind: c.now.kind,
          fn: c.now.fn,
          callIndex: c.now.callIndex,
          message: c.now.message,
          status: statusOfSig(now),
        },
      };
    });
  const traces = new Map(
    [...replays.judged].map(([trace, signature]) => [
      trace,
      { signature, status: statusOfSig(signature) },
    ]),
  );
  return {
    findings: withStatus,
    traces,
    fixed: u?.fixed ?? [],
    stillFailing,
    regressedByReplay,
    reprosChanged,
    stillOpen: u === undefined ? [] : stillOpenOf(u, run.target, replays, run.complete),
    // Written after the reports, so a history that cannot be written loses nothing else.
    saveHistory: async () => {
      if (file === undefined || u === undefined) return;
      try {
        await writeHistory(file.path, u.history, file.text);
      } catch (e) {
        throw new UserError(`--history ${file.path}: cannot write (${ioMessage(e)})`);
      }
    },
  };
}
