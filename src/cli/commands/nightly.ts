// `vpdma nightly`: the whole scheduled job in one command. Replay the regressions (repros of
// earlier findings) and the corpus, fuzz for --time, minimize and re-verify every finding not
// known already (knownRepros.ts), then (in what --minimize-time left) the shortest failing
// corpus trace of each kind and function, fold the findings into --history, and write
// report.json, junit.xml, results.sarif and report.html into --out.
import { checkOutputDir, checkOutputFile, checkReportPaths } from '../outputDir.js';
import { join, resolve } from 'node:path';
import { tableRevision } from '../../model/calls.js';
import { DEFAULT_SAMPLE_BYTES } from '../../replay/replay.js';
import { formatTargetSpec } from '../../replay/targetSpec.js';
import { PROFILE_PER_TRACE } from '../../replay/runIdentity.js';
import { buildNightlyReport, notReplayedWarning } from '../../report/nightlyBuild.js';
import { reportViolations, traceEntry } from '../../report/replayReport.js';
import { bundledCorpusDir } from '../../store/corpus.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { endNight } from '../nightlyEnd.js';
import { onInterrupt } from '../interrupt.js';
import {
  callingDisabled,
  collectNightlyTraces,
  casesOf,
  parseFailOn,
  replayDirs,
  skippedTraces,
  type NightlyOptions,
} from '../nightlyPlan.js';
import { replayPhase, setupErrorOf } from '../nightlyStart.js';
import { defaultCorpusDir, fuzzPhase, startupTiming } from '../nightlyFuzz.js';
import { knownRepros } from '../knownRepros.js';
import { loadKnown } from '../knownFiles.js';
import { foldFindings, keepDamagedFile, loadHistory, oldSchemeOf } from '../nightlyHistory.js';
import { regressionResults } from '../regressionResults.js';
import { fullyCheckedFiles } from '../fullChecks.js';
import { withReproCalls } from '../reproCall.js';
import { historyTraceName, traceIdOf } from '../historyTraceName.js';
import { checkOutputNames } from '../nightlyOutputs.js';
import {
  disableOption,
  targetCoverageOption,
  durationOption,
  fuzzIntOption,
  profileOption,
  seedOption,
  targetOption,
  workerHeapOption,
  workersOption,
  loadTimeoutOption,
  stderrIntoStdoutWarning,
  helloTimeoutOption,
  rssLimitOption,
} from '../options.js';
import { setWorkerHeapLimit } from '../../replay/pool.js';
import { corpusMaxOption, NIGHTLY_CORPUS_MAX } from '../corpusCap.js';
import { Progress, progressMode } from '../progress.js';
import { targetSetupFailure } from '../targetCheck.js';
import { closeErrorsOf, closeWarning } from '../closeWarning.js';
import { lossOf, targetWarnings } from '../targetWarnings.js';
import { oneLine } from '../../core/oneLine.js';
import { violationLines } from '../violationLines.js';
import { minimizedRepros } from '../minimalTraces.js';
import { budgetLeft, minimizeCorpusFailures } from '../corpusMinimize.js';
import { packageVersion } from '../version.js';
import { buildRevision } from '../buildRevision.js';
import { replayWorkers } from '../replayRun.js';
import { nightlyWorkersText } from '../workersLine.js';
import { startNotes } from '../nightlyNotes.js';
import { nightlyCommand } from '../nightlyCommand.js';
import { type RunLocks, withRunLocks } from '../runLock.js';
import { budgetTimer } from '../budgetTimer.js';
import { FUZZ_DEFAULTS } from '../../fuzz/fuzzDefaults.js';

export const registerNightly: RegisterCommand = (program, ctx) => {
  nightlyCommand(program).action(async (opts: NightlyOptions) => {
    ctx.exitCode = await withRunLocks((locks) => nightly(ctx, opts, locks));
  });
};

/** Candidates a minimization tries at most: each finding's, and each failing corpus trace's. */
const ATTEMPTS_MAX = FUZZ_DEFAULTS.attemptsMax;

async function nightly(ctx: CliContext, opts: NightlyOptions, locks: RunLocks): Promise<ExitCode> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const seed = seedOption(opts.seed);
  const spec = targetOption(opts.target);
  const stderrWarning = stderrIntoStdoutWarning(opts.target);
  if (stderrWarning !== undefined) ctx.io.err(`vpdma nightly: ${stderrWarning}\n`);
  const profile = profileOption(opts.profile);
  const failOn = parseFailOn(opts.failOn);
  const { shard, rounds, budget } = casesOf(opts);
  const workers = workersOption(opts.workers);
  const workerHeapMb = workerHeapOption(opts.workerHeapMb);
  setWorkerHeapLimit(workerHeapMb);
  const out = opts.out ?? 'vpdma-out';
  const target = formatTargetSpec(spec);
  const timeoutMs = fuzzIntOption('--timeout', opts.timeout);
  const rssLimitMb = rssLimitOption(opts.rssLimitMb);
  const callsMax = fuzzIntOption('--calls-max', opts.callsMax);
  const disabled = disableOption(opts.disable);
  const baseline = await loadKnown(opts.known); // --known: a trace is judged by the rest
  const replayBudgetMs =
    opts.budgetReplay === undefined
      ? undefined
      : durationOption('--budget-replay', opts.budgetReplay);
  const corpusDir = opts.corpus ?? defaultCorpusDir(out);
  const corpusMax = corpusMaxOption(opts.corpusMax, NIGHTLY_CORPUS_MAX);
  checkOutputNames(out, opts.json, opts.history);
  const replaying = await replayDirs(opts.replay);
  const traces = await collectNightlyTraces(out, replaying.dirs);
  // Traces calling a --disable'd function: the target lacks it. A --replay directory is the
  // user's own choice, replayed whole; the bundled corpus is not.
  const lacking =
    disabled === undefined
      ? { bundled: new Set<string>(), repros: new Set<string>() }
      : await callingDisabled(disabled, traces.repros, replaying.bundled);
  const files = traces.files.filter(
    (f) => !lacking.bundled.has(resolve(f)) && !lacking.repros.has(resolve(f)),
  );
  // A report never replaces a trace to replay, nor lands in a corpus later runs read.
  await checkReportPaths(
    [
      ['--json', opts.json],
      ['--history', opts.history],
    ],
    files,
    [corpusDir, bundledCorpusDir()],
    [...replaying.dirs, join(out, 'findings')],
  );
  // The history next: a bad one is refused before any directory is made. Held from its
  // reading to its writing: a night sharing it would otherwise lose this one's findings.
  await locks.history(opts.history, ctx.io.err);
  const loaded = await loadHistory(opts.history, opts.historyRecover === true);
  if (opts.json !== undefined) await checkOutputFile('--json', opts.json);
  // A module that cannot be loaded still gets the night's reports, saying so (exit 2 for a SPEC
  // naming no module or no factory, else 3).
  const loadTimeoutMs = loadTimeoutOption(opts.loadTimeout, timeoutMs);
  const cannotLoad = await targetSetupFailure(spec, timeoutMs, loadTimeoutMs);
  // Made last: a refused run leaves no directories behind.
  await checkOutputDir('--out', out);
  await locks.out(out, ctx.io.err);
  await checkOutputDir('--corpus', corpusDir);
  // Going ahead: a damaged history --history-recover replaces has its bytes kept aside now.
  const history = await keepDamagedFile(loaded);
  // First once the usage is known good: a usage error stays one line.
  startNotes(ctx.io.err, {
    seed: seed.text,
    disabled,
    traces,
    out,
    history,
    target,
    shard: `${shard.index + 1}/${shard.count}`,
    // The corpus replay's workers (none when the module cannot be loaded) and the campaign's.
    workers: nightlyWorkersText(
      cannotLoad === undefined ? replayWorkers(workers, files.length) : 0,
      workers,
      target,
    ),
    files: files.length,
    lacking,
    rssLimitMb,
  });
  const mode = progressMode(opts, process.stderr.isTTY);
  // A line the corpus replay said (a target without state()) the fuzz phase does not repeat.
  const said = new Set<string>();
  const warn = (m: string): void => {
    if (!said.has(m)) ctx.io.err(`vpdma: ${m}\n`);
    said.add(m);
  };
  const interrupt = onInterrupt(ctx.io.err);
  try {
    // Phase 1: regressions first, then the corpus.
    const replayStop = new AbortController();
    const stopReplay = (): void => replayStop.abort();
    interrupt.signal.addEventListener('abort', stopReplay);
    const cancelTimer =
      replayBudgetMs === undefined ? undefined : budgetTimer(replayBudgetMs, stopReplay);
    const settings = {
      target,
      ...(profile === undefined ? {} : { profile }),
      paranoid: false,
      timeoutMs,
      ...helloTimeoutOption(opts.loadTimeout, timeoutMs),
      rssLimitMb,
      // For the commands written (findings, corpus repros); the pool's limit is set above.
      ...(workerHeapMb === undefined ? {} : { workerHeapMb }),
      sampleBytes: DEFAULT_SAMPLE_BYTES,
    };
    const replay =
      cannotLoad === undefined
        ? await replayPhase(
            files,
            settings,
            workers,
            new Progress('corpus', files.length, { mode, write: ctx.io.err }),
            replayStop,
            fullyCheckedFiles(files, history?.history, target),
          )
        : { results: [], wallMs: 0, calls: 0 };
    cancelTimer?.();
    const closing = closeWarning(target, closeErrorsOf(replay.results), 'trace');
    if (closing !== '') ctx.io.err(closing);
    const corpusWarnings = targetWarnings(lossOf(replay.results.map((r) => r.result)), 'trace');
    for (const w of corpusWarnings) warn(`warning: target ${oneLine(target)}: ${w}`);
    // A target that cannot start: the night's verdict (exit 3), said with the fuzz phase's.
    const setupError = setupErrorOf(cannotLoad, replay.cannotStart);
    // Cut short by --budget-replay (not by a signal, nor a target that cannot start): the
    // traces left, named in every report; an earlier finding's repro among them was not checked.
    const notReplayed =
      setupError === undefined && interrupt.received() === undefined
        ? skippedTraces(files, replay.results, traces.repros)
        : [];
    if (notReplayed.length > 0 && opts.budgetReplay !== undefined)
      ctx.io.err(`vpdma nightly: ${notReplayedWarning(opts.budgetReplay, notReplayed)}\n`);
    // What the regressions showed: an open finding whose repro failed again is not minimized.
    const replays = await withReproCalls(
      regressionResults(
        [{ traces: replay.results.map(traceEntry), violations: reportViolations(replay.results) }],
        oldSchemeOf(history, target),
        baseline?.signatures,
      ),
    );
    const known = await knownRepros(
      out,
      history,
      target,
      replays.stillFailing,
      settings,
      shard.count > 1,
    );
    // Phase 2: fuzz, minimizing and writing every finding not known already.
    const fuzzStarted = performance.now();
    const fuzz = await fuzzPhase(
      {
        settings: {
          ...settings,
          callsMax,
          ...(disabled === undefined ? {} : { disabled }),
          ...targetCoverageOption(opts.targetCoverage),
          seed: seed.value,
          seedText: seed.text,
        },
        ...(profile === undefined ? {} : { profile }),
        shard,
        ...(rounds === undefined ? {} : { rounds }),
        budget: budget.budget,
        budgetText: budget.text,
        workers,
        out,
        corpusDir,
        ...(corpusMax === undefined ? {} : { corpusMax }),
        perGroup: FUZZ_DEFAULTS.reprosPerKind,
        known,
        ...(baseline === undefined ? {} : { knownSignatures: baseline.signatures }),
        attemptsMax: ATTEMPTS_MAX,
        ...(workerHeapMb === undefined ? {} : { workerHeapMb }),
        signal: interrupt.signal,
        warn,
        log: (t) => ctx.io.err(t),
        ...(setupError === undefined ? {} : { setupError }),
        ...(replay.harnessError === undefined ? {} : { harnessError: replay.harnessError }),
      },
      new Progress('fuzz', budget.budget.runs ?? 0, {
        mode,
        write: ctx.io.err,
        timeMs: budget.budget.timeMs,
        unit: 'cases',
        idle: 'starting',
      }),
      () => interrupt.received() !== undefined,
      { mode, write: ctx.io.err },
    );
    const fuzzMs = performance.now() - fuzzStarted;
    const fault = replay.fault ?? fuzz.fault; // vpdma's own, in phase 1 or 2
    // Phase 3: the failing corpus traces, one per kind and function, in what --minimize-time left.
    const minimal = await minimizedRepros(replay.results);
    // After a fault of vpdma's own, the reports come next: what it gathered is not risked further.
    const corpusRepros =
      setupError === undefined && fuzz.report.setupError === undefined && fault === undefined
        ? await minimizeCorpusFailures({
            results: replay.results,
            minimal,
            known: baseline?.signatures,
            shard,
            settings,
            workers,
            out,
            attemptsMax: ATTEMPTS_MAX,
            budgetMs: budgetLeft(budget.budget.minimizeTimeMs, fuzz.report),
            signal: interrupt.signal,
            progress: { mode, write: ctx.io.err },
            log: (t) => ctx.io.err(t),
          })
        : { repros: [], ms: 0 };
    // Phase 4: history and reports.
    const reportStarted = performance.now();
    const interrupted = interrupt.received() !== undefined;
    // A night vpdma itself cut short is incomplete too: it marks nothing fixed in --history.
    const ranOut = !interrupted && fuzz.report.setupError === undefined && fault === undefined;
    const complete = ranOut && shard.count === 1;
    const folded = foldFindings(
      fuzz.report.findings,
      out,
      history,
      { runId: startedAt, target, complete, known: baseline?.signatures },
      replays,
    );
    // Corpus violations are placed by line where their file has lines, as `vpdma replay` does.
    const lineOf = await violationLines(reportViolations(replay.results));
    const { findings, fixed, stillFailing, regressedByReplay, reprosChanged, stillOpen } = folded;
    const report = buildNightlyReport({
      meta: {
        command: 'nightly',
        seed: seed.text,
        vpdmaVersion: packageVersion(),
        modelRevision: tableRevision(),
        buildRevision: buildRevision(),
        target,
        profile: profile ?? PROFILE_PER_TRACE,
        shard: `${shard.index + 1}/${shard.count}`,
        startedAt,
        interrupted,
        ...(history?.recovered === undefined ? {} : { historyRecovered: history.recovered }),
        failOn,
        timing: {
          replayMs: Math.round(replay.wallMs),
          fuzzMs: Math.round(fuzzMs - fuzz.report.timing.minimizeMs),
          minimizeMs: fuzz.report.timing.minimizeMs + Math.round(corpusRepros.ms),
          reportMs: Math.round(performance.now() - reportStarted),
          wallMs: Math.round(performance.now() - started),
          ...startupTiming(fuzz),
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
          workers,
        },
      },
      corpus: replay.results,
      fuzz: fuzz.report,
      series: fuzz.series,
      findings,
      fixed,
      stillFailing,
      regressedByReplay,
      reprosChanged,
      stillOpen,
      ...(opts.budgetReplay === undefined ? {} : { budgetReplay: opts.budgetReplay }),
      notReplayed,
      lineOf,
      verdictOf: (trace) => folded.traces.get(historyTraceName(trace)),
      traceIdOf,
      minimizedRepros: minimal,
      corpusRepros,
      known: baseline,
      corpusWarnings,
    });
    return await endNight(ctx.io, {
      report,
      out,
      json: opts.json,
      history: opts.history,
      saveHistory: folded.saveHistory,
      failOn,
      results: replay.results,
      ranOut,
      unminimized: traces.unminimized,
      findingTraces: fuzz.report.findings.map((f) => f.trace),
      corpusStopped: fuzz.corpusStopped,
      faults: fuzz.faults,
      fault,
      usage: cannotLoad?.usage === true,
      interrupt,
    });
  } finally {
    interrupt.dispose();
  }
}

export { EXIT };
