// `vpdma replay <trace-or-dir>...`: lockstep replay of every trace against a target, in the
// pool, with a progress display, a summary, and --json / --junit reports.
import { oneLine } from '../../core/oneLine.js';
import type { ItemResult, ReplaySettings } from '../../replay/protocol.js';
import { DEFAULT_SAMPLE_BYTES } from '../../replay/replay.js';
import { formatTargetSpec } from '../../replay/targetSpec.js';
import { everyViolationKnown } from '../../report/knownViolations.js';
import { alternatesLines, collectTraces, emptyDirMessage } from '../../store/collect.js';
import { UserError, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { onInterrupt } from '../interrupt.js';
import {
  disableOption,
  positiveInt,
  profileOption,
  seedOption,
  SHARED_OPTIONS,
  targetOption,
  workerHeapOption,
  workersOption,
  loadTimeoutOption,
  stderrIntoStdoutWarning,
  helloTimeoutOption,
  rssLimitOption,
  REPLAY_OPTIONS,
  REPLAY_TIMEOUT_MS,
  numberOption,
} from '../options.js';
import { setWorkerHeapLimit } from '../../replay/pool.js';
import { rssLimitNote } from '../../replay/rssLimit.js';
import { Progress, progressMode } from '../progress.js';
import { replayWorkers, runReplaysOrFault } from '../replayRun.js';
import { watchStarts, withNotTried } from '../startWatch.js';
import { nothingReplayed } from '../replayChecks.js';
import { AROUND_OPTION, explainSink, type ExplainOptions } from '../explainAround.js';
import { targetSetupFailure } from '../targetCheck.js';
import { closeErrorsOf, closeWarning } from '../closeWarning.js';
import {
  checkOutputFile,
  checkReportPaths,
  landsIn,
  STDOUT_FILE,
  summaryTo,
} from '../outputDir.js';
import { formatInputProblems, formatReplaySummary } from '../summary.js';
import { replaySeed } from '../recordedSeed.js';
import { buildRevision } from '../buildRevision.js';
import { plural } from '../../core/plural.js';
import { timeoutMsMax } from '../../core/limits.js';
import { skipDisabled, type Disabling } from '../disabledTraces.js';
import { loadKnown } from '../knownFiles.js';
import { buildReport, writeReports } from '../replayReports.js';
import { warningLines } from '../targetWarnings.js';
import { spoolStdin, STDIN_TRACE } from '../stdinTrace.js';
import { traceArguments } from '../bundledTrace.js';

interface ReplayOptions extends ExplainOptions {
  readonly target?: string;
  readonly profile?: string;
  readonly workers?: string;
  readonly workerHeapMb?: string;
  readonly rssLimitMb?: string;
  readonly json?: string;
  readonly junit?: string;
  readonly timeout?: string;
  readonly loadTimeout?: string;
  readonly paranoid?: boolean;
  readonly sampleBytes?: string;
  readonly seed?: string;
  readonly quiet?: boolean;
  readonly jsonProgress?: boolean;
  readonly disable?: readonly string[];
  readonly known?: readonly string[];
}

export const registerReplay: RegisterCommand = (program, ctx) => {
  program
    .command('replay')
    .description(
      'replay traces against a target in lockstep with the oracle model and report every violation',
    )
    .argument(
      '<trace-or-dir...>',
      "trace files (.jsonl, .vpt, .txt, each also gzip-compressed as .gz; - reads one from standard input; corpus:NAME is the bundled corpus's trace NAME, as the nightly reports name it, its extension optional; corpus: alone the whole bundled corpus) or directories of them (a directory's trace held in several formats is replayed once: .jsonl, else .vpt, else .txt, uncompressed before .gz; a finding's directory, holding finding.json, from its repro alone, its original.* only when named)",
    )
    .option(...SHARED_OPTIONS.target)
    .option(
      '--profile <profile>',
      "oracle profile: docs or reactos (default: each trace header's, else docs)",
    )
    .option(...SHARED_OPTIONS.workers)
    .option(...SHARED_OPTIONS.workerHeapMb)
    .option(
      '--json <file>',
      'write the JSON report here (- for stdout; the summary goes to stderr)',
    )
    .option(
      '--junit <file>',
      'write a JUnit XML report here (one test case per trace; - for stdout)',
    )
    .addOption(REPLAY_OPTIONS.timeout())
    .option(...SHARED_OPTIONS.loadTimeout)
    .option(...SHARED_OPTIONS.rssLimitMb)
    .option(
      '--disable <functions>',
      "functions the target does not implement: traces that call one are skipped, and the summary and --json's skipped list them (comma-separated, the VideoPort prefix optional; repeatable; as fuzz's --disable)",
      SHARED_OPTIONS.disable[2],
    )
    .option(
      '--known <file>',
      "violations whose signature FILE holds are known (a baseline): listed and marked known, but not counted by the exit code. FILE: an earlier report.json (its violations' signatures), a text file of signatures (one a line, # comments), or reactos-divergences, vpdma's list of the documented ReactOS divergences; repeatable",
      (v: string, prev: readonly string[] = []): readonly string[] => [...prev, v],
    )
    .option('--paranoid', 'compare all live memory with the oracle around every call')
    .addOption(
      numberOption(
        '--sample-bytes <n>',
        'bytes of live memory re-read around each obsolete call',
        DEFAULT_SAMPLE_BYTES,
      ),
    )
    .option('--seed <seed>', 'recorded in the report (replay itself uses no randomness)')
    .option(
      '--explain',
      "print each call of one trace on stdout: its index and line, its arguments as the target got them, the target's answer, the oracle's, the violations found at it, and there the target's state() beside the oracle's (one trace: a file, or a directory holding one)",
    )
    .option(...AROUND_OPTION)
    .option(...SHARED_OPTIONS.quiet)
    .option(...SHARED_OPTIONS.jsonProgress)
    .action(async (paths: string[], opts: ReplayOptions) => {
      ctx.exitCode = await replay(ctx, paths, opts);
    });
};

export function exitFor(results: readonly ItemResult[]): ExitCode {
  const crashed = results.some(
    (r) =>
      r.setupError !== undefined ||
      r.result?.outcome === 'crash' ||
      r.result?.outcome === 'timeout',
  );
  if (crashed) return EXIT.crash;
  if (results.some((r) => r.inputError !== undefined || r.damage !== undefined))
    return EXIT.badInput;
  return results.some((r) => (r.result?.violations.length ?? 0) > 0) ? EXIT.violations : EXIT.ok;
}

async function replay(ctx: CliContext, args: string[], opts: ReplayOptions): Promise<ExitCode> {
  const given = await traceArguments(args);
  const stdin = given.includes(STDIN_TRACE) ? await spoolStdin() : undefined;
  try {
    const paths = given.map((p) => (p === STDIN_TRACE && stdin !== undefined ? stdin.path : p));
    const labels = new Map(stdin === undefined ? [] : [[stdin.path, stdin.label]]);
    return await replayPaths(ctx, paths, opts, labels);
  } finally {
    await stdin?.dispose();
  }
}

async function replayPaths(
  ctx: CliContext,
  paths: string[],
  opts: ReplayOptions,
  /** The names of spooled files in messages and reports (stdin's `<stdin>`). */
  labels: ReadonlyMap<string, string>,
): Promise<ExitCode> {
  const spec = targetOption(opts.target);
  const stderrWarning = stderrIntoStdoutWarning(opts.target);
  if (stderrWarning !== undefined) ctx.io.err(`vpdma replay: ${stderrWarning}\n`);
  const profile = profileOption(opts.profile);
  const timeoutMs = positiveInt('--timeout', opts.timeout, REPLAY_TIMEOUT_MS, timeoutMsMax);
  const settings: ReplaySettings = {
    target: formatTargetSpec(spec),
    ...(profile === undefined ? {} : { profile }),
    ...(opts.explain === true ? { explain: true } : {}),
    paranoid: opts.paranoid === true,
    timeoutMs,
    ...helloTimeoutOption(opts.loadTimeout, timeoutMs),
    rssLimitMb: rssLimitOption(opts.rssLimitMb),
    sampleBytes: positiveInt('--sample-bytes', opts.sampleBytes, DEFAULT_SAMPLE_BYTES, 1 << 30),
  };
  const loadTimeoutMs = loadTimeoutOption(opts.loadTimeout, settings.timeoutMs);
  ctx.io.err(rssLimitNote('replay', settings.target, settings.rssLimitMb ?? 0));
  const asked = workersOption(opts.workers);
  const workerHeapMb = workerHeapOption(opts.workerHeapMb);
  setWorkerHeapLimit(workerHeapMb);
  const seed = seedOption(opts.seed);
  const disabled = disableOption(opts.disable);
  const known = await loadKnown(opts.known);
  const found = await collectTraces(paths);
  if ('error' in found) throw new UserError(found.error);
  const explainTo = explainSink(found.files, opts, ctx.io.out);
  // An empty captures directory on some night is not a reason to lose the rest's reports.
  for (const dir of found.empty) ctx.io.err(`vpdma replay: ${emptyDirMessage(dir)}; skipped\n`);
  for (const line of alternatesLines(found.alternates)) ctx.io.err(`vpdma replay: ${line}\n`);
  // Report paths are checked before the replay, not after it; a report never replaces a trace.
  if (opts.json === STDOUT_FILE && opts.junit === STDOUT_FILE)
    throw new UserError('--json - and --junit -: only one report can go to stdout');
  const reports = [
    ['--json', opts.json],
    ['--junit', opts.junit],
  ] as const;
  await checkReportPaths(reports, found.files, [], paths);
  const outputs = new Map<string, string>();
  for (const [flag, path] of reports) {
    if (path === undefined || path === STDOUT_FILE) continue;
    const lands = await landsIn(path);
    const other = outputs.get(lands);
    if (other !== undefined)
      throw new UserError(`${flag} ${path}: is also ${other}'s file; one report per file`);
    outputs.set(lands, flag);
    await checkOutputFile(flag, path);
  }
  const cannotLoad = await targetSetupFailure(spec, settings.timeoutMs, loadTimeoutMs);
  // After every cheap check: each trace is streamed to decide (a stop ends it at its next chunk);
  // those calling a function the target lacks are left out, and listed (summary, --json, --junit).
  const leftOut = async (stop?: AbortSignal): Promise<Disabling> =>
    disabled === undefined
      ? { files: found.files, skipped: [] }
      : await skipDisabled(found.files, disabled, labels, stop);
  if (cannotLoad !== undefined) {
    // A CI job uploads --json and --junit whatever happened: they are written, each trace
    // not run for the reason, and the message stays the one line it was (exit 2 or 3).
    if (opts.json !== undefined || opts.junit !== undefined) {
      const { files, skipped } = await leftOut();
      const results = files.map((path, id) => ({
        id,
        label: labels.get(path) ?? path,
        setupError: cannotLoad.message,
      }));
      const record = { seed: seed.text, workers: 0, wallMs: 0, interrupted: false };
      const report = await buildReport(
        results,
        settings,
        { ...record, workerHeapMb, disabled, skipped, known },
        { setupError: cannotLoad.message },
      );
      await writeReports(ctx.io, report, opts, files.length);
    }
    throw new UserError(
      `--target: ${cannotLoad.message}`,
      cannotLoad.usage ? EXIT.badInput : EXIT.crash,
    );
  }
  const interrupt = onInterrupt(ctx.io.err);
  const { files, skipped } = await leftOut(interrupt.signal);
  // The workers that run: no more than there are traces (the start line and --json say so).
  const workers = replayWorkers(asked, files.length);
  const seeds = await replaySeed(seed.text, opts.seed, files);
  ctx.io.err(
    `vpdma replay: ${seeds.onStart}target=${oneLine(settings.target)} traces=${files.length}${skipped.length > 0 ? ` skipped=${skipped.length}` : ''} workers=${workers} build=${buildRevision()}\n${seeds.line}`,
  );
  const progress = new Progress('replay', files.length, {
    // The explanation is the progress, and a bar would be drawn into it on a terminal.
    mode: progressMode(
      { ...opts, quiet: opts.quiet === true || opts.explain === true },
      process.stderr.isTTY,
    ),
    write: ctx.io.err,
  });
  let watched;
  try {
    // A target that cannot start is started STARTS_FAILED_MAX times, not once per trace.
    watched = await watchStarts(interrupt.signal, (signal, o) =>
      runReplaysOrFault(files, settings, workers, progress, signal, {
        ...o,
        labels,
        ...explainTo.options,
      }),
    );
  } catch (e) {
    interrupt.dispose();
    throw e;
  }
  const v = watched.verdict;
  const names = files.map((f) => labels.get(f) ?? f);
  const run =
    v === undefined
      ? watched.run
      : { ...watched.run, results: withNotTried(watched.run.results, v, names) };
  const { results, wallMs } = run;
  const closing = closeWarning(settings.target, closeErrorsOf(results), 'trace');
  if (closing !== '') ctx.io.err(closing);
  const interrupted = interrupt.received() !== undefined;
  const report = await buildReport(
    results,
    settings,
    { seed: seed.text, workers, wallMs, interrupted, workerHeapMb, disabled, skipped, known },
    run.harnessError === undefined ? {} : { harnessError: run.harnessError },
  );
  ctx.io.err(warningLines(settings.target, report.warnings ?? []));
  const missing = files.length - report.traces.length;
  const partway = report.summary.interrupted ?? 0;
  const stopped = report.interrupted
    ? `interrupted: ${missing} of ${plural(files.length, 'trace')} not replayed; the counts above are those that finished${partway > 0 ? `, and the calls and violations so far of the ${plural(partway, 'trace')} stopped part way` : ''}
`
    : '';
  const gap = explainTo.end(); // --explain's held calls (--around) and a blank line: on stdout
  summaryTo(ctx.io, opts.json, opts.junit)(gap + formatReplaySummary(report, seeds) + stopped);
  const problems = formatInputProblems(report);
  if (problems !== '') ctx.io.err(problems);
  // A signal while they are written is the same request (interrupt.ts): they are finished.
  await writeReports(ctx.io, report, opts, files.length).finally(() => interrupt.dispose());
  // The reports say what ran; main() tells the fault itself, with its stack (exit 3).
  if (run.fault !== undefined) throw run.fault;
  if (interrupt.received() !== undefined) return EXIT.interrupted;
  // A run that checked nothing must not pass a CI job: every trace given was left out.
  if (files.length === 0 && skipped.length > 0) {
    ctx.io.err(`vpdma replay: ${nothingReplayed(skipped.length)}\n`);
    return EXIT.badInput;
  }
  const code = exitFor(results);
  // --known: violations all known are no failure; a crash or bad input still is.
  return code === EXIT.violations && known !== undefined && everyViolationKnown(report)
    ? EXIT.ok
    : code;
}
