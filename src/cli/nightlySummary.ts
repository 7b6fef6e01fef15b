// The human summary of a nightly report, printed by `vpdma nightly` and by `vpdma merge` for
// the merged one: the corpus replay (each failing trace with --history's verdict on it, its
// first violation and its repro or the command that minimizes it), the fuzzing, each finding with its history status and message,
// what was fixed and which earlier repros still fail.
import { join } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';
import { alsoAtCallLines, rerunHint, threads, type FuzzReport } from '../fuzz/fuzzReport.js';
import { corpusNote } from '../fuzz/corpusNote.js';
import { faultKind } from '../fuzz/fuzzSummary.js';
import { likelyOneBug, likelyOneBugLines } from '../fuzz/likelyOneBug.js';
import { BASE_ONLY, reachedLines } from '../fuzz/reached.js';
import { corpusMinimizeCommand, corpusReplayCommand } from '../report/command.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import type { CorpusRepro } from '../report/nightlySchema.js';
import type { ReportViolation } from '../report/replayReport.js';
import { recoveredText } from '../report/historyRecovered.js';
import { knownFromText } from '../report/knownViolations.js';
import { commandTraceName } from './historyTraceName.js';
import { regressionSignature } from './regressionResults.js';
import { recordedSkippedLines, violationPlace } from './summary.js';
import { replayedCount, replayedLines } from './nightlyVerdicts.js';
import { startupLine, startupWarning, type FuzzStartup } from './fuzzStartup.js';
import { corpusStoppedSummary } from './corpusRoom.js';
import { durationOption } from './options.js';

/** Failing corpus traces the summary lists (each with its first violation) before a count. */
export const CORPUS_FAILURES_SHOWN = 10;

/**
 * The corpus traces that failed (their target started), in the order replayed: each with its
 * first violation on one line and, under it, what to run next: for a trace the night minimized,
 * its repro's `vpdma replay --explain`; for one that is a repro already (an earlier finding's,
 * or one whose meta says `minimized`), its own; else the `vpdma minimize` that shrinks it.
 * The first ten, and every one the night minimized.
 */
function corpusFailureLines(r: NightlyReportWithDetail): string[] {
  // A trace is listed by its first violation not known (--known): all known, not at all.
  const first = new Map<string, ReportViolation>();
  for (const v of r.corpus.violations)
    if (!first.has(v.trace) && v.known !== true) first.set(v.trace, v);
  const repros = new Map((r.corpus.repros ?? []).map((x) => [x.from, x]));
  // An earlier finding's repro that failed as a finding of tonight's: listed there, once.
  const below = new Set(r.findings.map((f) => f.signature));
  let listedBelow = 0;
  const failing = r.corpus.traces.flatMap((t) => {
    const v = first.get(t.trace);
    // Nothing to minimize in a trace the target never started for: the night says why.
    if (v === undefined || t.notStarted === true) return [];
    first.delete(t.trace); // a trace named twice is listed once
    const of = regressionSignature(t.trace);
    if (of !== undefined && below.has(of)) {
      listedBelow++;
      return [];
    }
    // Minimal already (an earlier finding's repro, or one vpdma minimize wrote): replay it.
    const minimal = t.minimizedRepro === true || of !== undefined;
    return [{ v, failedIn: t.failedIn, minimal, repro: repros.get(t.trace), status: t.status }];
  });
  const again =
    listedBelow === 0
      ? []
      : [
          `${plural(listedBelow, "earlier finding's repro", String(listedBelow), "earlier findings' repros")} failed again: under findings below`,
        ];
  if (failing.length === 0) return again;
  const lines = [
    ...again,
    `corpus traces that failed${statusCounts(failing.map((f) => f.status))}, the first violation of each and what to run next (its repro, if the night minimized it):`,
  ];
  // The night's --rss-limit-mb too: replay's and minimize's default could let a leak pass.
  const run = {
    target: r.target,
    profile: r.profile,
    rssLimitMb: r.fuzzDetail.rssLimitMb,
    workerHeapMb: r.fuzzDetail.workerHeapMb,
  };
  const shown = failing.filter((f, i) => i < CORPUS_FAILURES_SHOWN || f.repro !== undefined);
  for (const { v, failedIn, minimal, repro, status } of shown) {
    const shards = failedIn === undefined ? '' : ` (failed in ${failedIn.map(oneLine).join(', ')})`;
    const next =
      repro !== undefined
        ? `minimized to ${plural(repro.reproCalls, 'call')}${reproNotes(repro)}: ${repro.command}`
        : minimal
          ? corpusReplayCommand(run, commandTraceName(v.trace), r.fuzzDetail.timeoutMs, true)
          : corpusMinimizeCommand(
              run,
              { ...v, trace: commandTraceName(v.trace) },
              r.fuzzDetail.timeoutMs,
            );
    lines.push(
      `  ${status === undefined ? '' : `[${status}] `}${violationPlace({ ...v, trace: commandTraceName(v.trace) })}: ${v.kind} in ${v.fn}: ${oneLine(v.message)}${shards}`,
      `    ${next}`,
    );
  }
  const more = failing.length - shown.length;
  if (more > 0)
    lines.push(
      `  and ${more} more (report.html's corpus section and report.json's corpus.violations list them all)`,
    );
  return lines;
}

/**
 * " (2 new, 3 open, 0 regressed)": --history's verdicts on the failing traces listed (TraceEntry
 * status; '' for a report older than them).
 */
function statusCounts(statuses: readonly (string | undefined)[]): string {
  if (statuses.every((s) => s === undefined)) return '';
  const n = (s: string): number => statuses.filter((x) => x === s).length;
  return ` (${n('new')} new, ${n('open')} open, ${n('regressed')} regressed)`;
}

/** What a corpus repro's line says beside its length: cut short, or not failing again. */
function reproNotes(x: CorpusRepro): string {
  const notes = [
    ...(x.exhausted ? ['cut short: it fails, but may not be 1-minimal'] : []),
    ...(x.reproduced ? [] : ['it did not fail again when replayed once more: a flaky target?']),
  ];
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`;
}

/** The traces --budget-replay left unreplayed: a count, then the first of them by name. */
function notReplayedLines(r: NightlyReportWithDetail): string[] {
  const skipped = r.corpus.notReplayed ?? [];
  if (skipped.length === 0) return [];
  const budget = r.corpus.budgetReplay === undefined ? '' : ` ${r.corpus.budgetReplay}`;
  const repros = skipped.filter((t) => t.regression === true).length;
  const more = skipped.length - CORPUS_FAILURES_SHOWN;
  return [
    `corpus: ${plural(skipped.length, 'trace')} not replayed (--budget-replay${budget} ran out first)${repros === 0 ? '' : `, ${repros} of them earlier findings' repros: not checked, so the night fails under --fail-on any`}:`,
    ...skipped
      .slice(0, CORPUS_FAILURES_SHOWN)
      .map(
        (t) =>
          `  ${oneLine(t.trace)}${t.regression === true ? " (an earlier finding's repro)" : ''}`,
      ),
    ...(more > 0 ? [`  and ${more} more (report.json's corpus.notReplayed lists them all)`] : []),
  ];
}

/** What a stop of the corpus traces' minimization left: none but the last cut short, or some. */
function corpusLeftText(left: number | undefined): string {
  if (left === 0)
    return " during the last failing corpus trace's minimization: its repro is written as it stood (cut short); none left unminimized";
  if (left === undefined)
    return '; the failing corpus traces left are reported not minimized (with their vpdma minimize command)';
  return `; ${plural(left, 'failing corpus trace')} left reported not minimized (each with its vpdma minimize command)`;
}

/** `incomplete`: what to say of a report marked interrupted (merge: shards missing). */
export function nightlySummary(
  r: NightlyReportWithDetail,
  out: string,
  incomplete = 'interrupted: the reports cover what finished; the next run resumes from the corpus',
  corpusStopped?: string,
): string {
  const c = r.corpus.summary;
  const counted = r.findings.filter((f) => f.known !== true);
  const byStatus = (s: string): number => counted.filter((f) => f.status === s).length;
  const knownFound = r.findings.length - counted.length;
  // Where the cases ran, as the fuzz summary says it (not in a report that lacks its timing).
  const timing = r.fuzzDetail.timing as FuzzReport['timing'] | undefined;
  const ran = timing === undefined ? '' : `, ${threads(timing)}`;
  // With no call made, every figure of coverage is the base corpus's: said, or left out.
  const made = r.fuzz.calls > 0;
  // No blank first line: the summary is the first thing on stdout, and a CI log shows it as is.
  const lines = [
    `corpus: ${plural(c.traces, 'trace')}, ${c.passed} passed, ${c.failed} with violations, ${c.crashed + c.timedOut} crashed or hung, ${c.invalid} unreadable${c.damaged > 0 ? `, ${c.damaged} damaged (replayed up to the damage)` : ''}`,
    ...notReplayedLines(r),
    ...knownCorpusLines(r),
    ...recordedSkippedLines(r.corpus.traces, r.profile, "report.json's corpus.traces").map(
      (l) => `corpus: ${l}`,
    ),
    ...corpusFailureLines(r),
    `fuzz: ${plural(r.fuzz.cases, 'case')}${rerunHint(r.fuzzDetail)}, ${plural(r.fuzz.calls, 'call')}, coverage ${r.fuzz.branches === undefined ? r.fuzz.coverage : `${plural(r.fuzz.branches, 'branch', undefined, 'branches')}, ${plural(r.fuzz.coverage, 'key')}`}${made ? '' : BASE_ONLY}${r.fuzz.targetEdges === undefined ? '' : `, ${plural(r.fuzz.targetEdges, 'target edge')}`}, corpus ${r.fuzz.corpusSize} (+${r.fuzz.newCorpusEntries})${ran}`,
    ...startupLines(r),
    ...(corpusStopped === undefined ? [] : [corpusStoppedSummary(corpusStopped)]),
    ...(r.fuzz.reached === undefined || !made
      ? []
      : reachedLines(r.fuzz.reached, r.fuzz.unreached ?? [])),
    ...[corpusNote(r.fuzzDetail)].filter((l) => l !== undefined),
    `findings: ${r.findings.length} (${byStatus('new')} new, ${byStatus('open')} open, ${byStatus('regressed')} regressed${knownFound === 0 ? '' : `, ${knownFound} known, not counted`}), ${r.fixed.length} fixed${replayedCount(r)}`,
    // Under each finding, its message (and the others at its failing call), as fuzz's summary.
    ...r.findings.flatMap((f) => [
      `  [${f.known === true ? 'known' : f.status}] ${f.kind} in ${f.fn}: ${plural(f.reproCalls, 'call')}${f.notMinimized === 'known' ? ' (not minimized: known)' : ''}, ${f.kept === true ? 'kept: an earlier night minimized it' : `reproduced ${f.reproduced}`}: ${f.command}`,
      `    ${oneLine(f.message)}`,
      ...alsoAtCallLines(f, '    '),
    ]),
    // As fuzz's summary groups them: a night's one dropped count is ten findings otherwise.
    ...likelyOneBugLines(likelyOneBug(r.findings)),
    ...replayedLines(r),
    ...(r.fuzzDetail.minimizeStoppedBy === 'time'
      ? [
          `minimization stopped: --minimize-time ${r.fuzzDetail.budget.minimizeTime ?? ''} spent; the findings left are reported not minimized`,
        ]
      : []),
    // The failing corpus traces had what the findings left of the same budget.
    ...(r.corpus.minimizeStoppedBy === 'time'
      ? [
          `minimization stopped: --minimize-time ${r.fuzzDetail.budget.minimizeTime ?? ''} spent${corpusLeftText(r.corpus.minimizeLeft)}`,
        ]
      : []),
    ...(r.fuzzDetail.disabled === undefined
      ? []
      : [`never called (--disable): ${r.fuzzDetail.disabled.join(', ')}`]),
    ...(r.historyRecovered === undefined
      ? []
      : [`history recovered (--history-recover): ${recoveredText(r.historyRecovered)}`]),
    `reports: ${join(out, 'report.html')} (and report.json, junit.xml, results.sarif); seed=${r.seed}${r.buildRevision === undefined ? '' : ` build=${r.buildRevision}`}`,
    ...(r.interrupted ? [incomplete] : []),
    ...(r.harnessError === undefined
      ? []
      : [
          `vpdma failed part way (${faultKind(r.harnessError)}): the reports cover what it gathered before; the night marks nothing fixed`,
        ]),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * --known's corpus line: how many violations, in how many traces, it set aside, and the traces
 * left with none other ('' without --known, or when none was known).
 */
function knownCorpusLines(r: NightlyReportWithDetail): string[] {
  const known = r.corpus.violations.filter((v) => v.known === true);
  if (r.knownFrom === undefined || known.length === 0) return [];
  const traces = new Set(known.map((v) => v.trace));
  const counted = new Set(r.corpus.violations.filter((v) => v.known !== true).map((v) => v.trace));
  const only = [...traces].filter((t) => !counted.has(t)).length;
  return [
    `corpus: ${plural(known.length, 'violation')} known (from ${knownFromText(r.knownFrom)}) in ${plural(traces.size, 'trace')}, not counted (${only} with no other); report.json marks them known`,
  ];
}

/** How long the fuzz phase took to start, and a warning when that ate most of --time. */
function startupLines(r: NightlyReportWithDetail): string[] {
  const timing = r.fuzzDetail.timing as FuzzReport['timing'] | undefined;
  if (r.timing.fuzzStartupMs === undefined || timing?.loadMs === undefined) return [];
  const budget = r.fuzzDetail.budget;
  const s: FuzzStartup = {
    loadMs: timing.loadMs,
    ...(r.timing.firstCasesMs === undefined ? {} : { firstCasesMs: r.timing.firstCasesMs }),
    ...(budget.time === undefined
      ? {}
      : { timeMs: durationOption('--time', budget.time), timeText: budget.time }),
    cases: r.fuzz.cases,
    entries: r.fuzz.corpusSize,
  };
  const warning = startupWarning(s);
  return [startupLine(s), ...(warning === undefined ? [] : [`  ${warning}`])];
}
