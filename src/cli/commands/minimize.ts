// `vpdma minimize <trace>`: replay the trace to find its violation, shrink it to a short repro
// that still fails the same way (same kind, same function), write it, and print the command
// that reproduces it. Candidates replay in the pool; the repro does not depend on --workers.
import { plural } from '../../core/plural.js';
import { oneLine } from '../../core/oneLine.js';
import { recordedSeedLine } from '../recordedSeed.js';
import { basename } from 'node:path';
import type { MinimizeResult } from '../../minimize/minimize.js';
import type { Executor } from '../../replay/executor.js';
import { PiscinaExecutor, setWorkerHeapLimit } from '../../replay/pool.js';
import { rssLimitChanged, rssLimitNote } from '../../replay/rssLimit.js';
import {
  findFailure,
  pickViolation,
  replayTraces,
  signatureOf,
  stillFailsPredicate,
  TargetSetupError,
} from '../../replay/stillFails.js';
import { printRepro } from '../../replay/reproText.js';
import { notStarted, setUpFailed, type Violation } from '../../replay/violation.js';
import { formatOf, writeTraceAtomic } from '../../store/traceFiles.js';
import { formatTraceError } from '../../trace/traceError.js';
import { UserError, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { onInterrupt, type Interrupt } from '../interrupt.js';
import { formatMinimizeSummary } from '../minimizeSummary.js';
import {
  DEFAULT_ATTEMPTS,
  prepare,
  readFailing,
  replayInput,
  type Failing,
  type Job,
  type MinimizeCliOptions,
  type MinimizeInput,
  minimizeOptions,
  type MinimizeOptions,
} from '../minimizeJob.js';
import { isBundledRef, traceArgument } from '../bundledTrace.js';
import { spoolStdin, STDIN_TRACE } from '../stdinTrace.js';
import { REPLAY_OPTIONS, SHARED_OPTIONS, stderrIntoStdoutWarning } from '../options.js';
import { reproOf, shrinkTrace } from '../shrinkTrace.js';
import { Progress, progressMode, type ProgressOptions } from '../progress.js';
import { firstReplayProgress } from '../minimizeProgress.js';

export const registerMinimize: RegisterCommand = (program, ctx) => {
  program
    .command('minimize')
    .description(
      'shrink a failing trace to a short repro that fails the same way (same violation kind in ' +
        'the same function) and print the command that reproduces it. Exit 1 when a repro was ' +
        'written (it still shows the violation), 2 when the trace shows no violation or is bad ' +
        'input, 3 when the target cannot run',
    )
    .argument(
      '<trace>',
      "the failing trace (.jsonl, .vpt or .txt, or one of them .gz; corpus:NAME the bundled corpus's NAME; - reads standard input)",
    )
    .option(...SHARED_OPTIONS.target)
    .option('--profile <profile>', "oracle profile: docs or reactos (default: the trace header's)")
    .option(
      '--out <file>',
      'the repro, format by extension (default: beside the trace, foo.jsonl -> foo.min.txt; for - ./stdin.min.txt, for corpus:NAME ./NAME.min.txt, in the current directory)',
    )
    .option('--workers <n>', 'worker threads replaying candidates (default: the number of cores)')
    .option(...SHARED_OPTIONS.workerHeapMb)
    .option(
      '--attempts-max <n>',
      `candidates to try at most, over all minimization rounds (default: ${DEFAULT_ATTEMPTS})`,
    )
    .option('--attempts <n>', 'the same as --attempts-max (its older name)')
    .option('--kind <kind>', 'the violation kind to keep (default: the first violation)')
    .option('--fn <fn>', 'the function whose violation to keep (default: the first)')
    .addOption(REPLAY_OPTIONS.timeout())
    .option(...SHARED_OPTIONS.loadTimeout)
    .option(...SHARED_OPTIONS.rssLimitMb)
    .option(...SHARED_OPTIONS.quiet)
    .option(...SHARED_OPTIONS.jsonProgress)
    .action(async (file: string, opts: MinimizeCliOptions) => {
      ctx.exitCode = await runMinimize(ctx, file, opts);
    });
};

async function runMinimize(
  ctx: CliContext,
  given: string,
  opts: MinimizeCliOptions,
): Promise<ExitCode> {
  const named = await traceArgument(given);
  // A usage error before standard input is read (all of it, for `-`).
  const parsed = minimizeOptions(opts);
  const stderrWarning = stderrIntoStdoutWarning(opts.target);
  if (stderrWarning !== undefined) ctx.io.err(`vpdma minimize: ${stderrWarning}\n`);
  // The repro of an input that is no file of the user's goes to the current directory: stdin's
  // spool is removed afterwards, and the bundled corpus is vpdma's own (replayed every night).
  const outHere = given === STDIN_TRACE || isBundledRef(given);
  const stdin = given === STDIN_TRACE ? await spoolStdin() : undefined;
  try {
    const input = { path: stdin?.path ?? named, label: stdin?.label ?? named, outHere };
    return await minimizeInput(ctx, input, opts, parsed);
  } finally {
    await stdin?.dispose();
  }
}

/**
 * `input` minimized, stopped by `interrupt` (from the first read: a .txt's header item comes
 * only after the comments before its first call, which may be hundreds of MiB, and every read
 * stops at its next chunk). Tests give an Interrupt they abort themselves.
 */
export async function minimizeInput(
  ctx: CliContext,
  input: MinimizeInput,
  opts: MinimizeCliOptions,
  parsed: MinimizeOptions = minimizeOptions(opts),
  interrupt: Interrupt = onInterrupt(ctx.io.err),
): Promise<ExitCode> {
  const file = input.label;
  let job;
  try {
    job = await prepare(input, opts, parsed, interrupt.signal);
  } catch (e) {
    interrupt.dispose();
    throw e;
  }
  if (job === undefined) {
    interrupt.dispose();
    return nothingFound(ctx, file);
  }
  setWorkerHeapLimit(job.workerHeapMb);
  ctx.io.err(rssLimitNote('minimize', job.settings.target, job.settings.rssLimitMb ?? 0));
  const executor = new PiscinaExecutor(job.workers);
  try {
    // The file replayed streamed, for its violation; only then are its calls read, up to it.
    // Bad input anywhere in it is refused here, in one line, as a whole read refused it.
    const display: ProgressOptions = {
      mode: progressMode(opts, process.stderr.isTTY),
      write: ctx.io.err,
      startedAt: performance.now(),
    };
    const replayed = await firstReplayProgress(display, executor, job.file);
    let first;
    try {
      first = await replayInput(executor, job, wanted(opts), interrupt.signal);
    } finally {
      replayed(first?.result?.calls);
    }
    // DESIGN.md: every run prints its seed. Minimizing has none (the same trace and options
    // give the same repro; its record says seed null); the seed the input was found with, if
    // its meta records one, is what reproduces it from the fuzzer. Without one there is
    // nothing to print.
    const seed = seedLine(job.header.meta['seed']);
    if (seed !== undefined) ctx.io.err(`${seed}\n`);
    if (first === undefined) return nothingFound(ctx, file);
    // A damaged capture is minimized from its intact part (the violation may well be in it).
    if (first.damage !== undefined)
      ctx.io.err(
        `vpdma: ${oneLine(first.damage)}: damaged; minimizing the ${plural(first.traceCalls ?? first.result?.calls ?? 0, 'call')} before it\n`,
      );
    const v = first.result === undefined ? undefined : pickViolation(first.result, opts);
    if (v === undefined) {
      const which = opts.kind !== undefined || opts.fn !== undefined ? ' matching --kind/--fn' : '';
      ctx.io.err(
        `vpdma: ${oneLine(file)} shows no violation${which} against ${oneLine(job.settings.target)}\n`,
      );
      return EXIT.badInput;
    }
    if (notStarted(v)) {
      ctx.io.err(`vpdma: ${setUpFailed(oneLine(v.message))}\n`);
      return EXIT.crash;
    }
    ctx.io.out(
      `${oneLine(file)}: ${v.kind} in ${v.fn} at call ${v.callIndex}: ${oneLine(v.message)}\n`,
    );
    // Attempts done, no total: --attempts-max caps them, it does not measure the work.
    const progress = new Progress('minimize', 0, display);
    let failing: Failing | undefined;
    let r;
    try {
      progress.mark(0, { phase: `preparing (reading ${v.callIndex + 1} calls)` });
      failing = await readFailing(job, first, v, interrupt.signal);
      // Stopped while reading, or before linking (seconds for half a million calls) began.
      if (failing !== undefined && !interrupt.signal.aborted) {
        progress.mark(0, { phase: `preparing (linking ${failing.trace.calls.length} calls)` });
        r = await shrink(job, failing, executor, v, progress, interrupt.signal);
      }
    } finally {
      progress.stop();
    }
    // Interrupted before a candidate was accepted, the "repro" would be the input itself.
    if (failing === undefined || r === undefined || (r.aborted && r.accepted === 0))
      return nothingFound(ctx, file);
    await write(ctx, job, failing.calls, executor, v, r);
    return interrupt.received() !== undefined ? EXIT.interrupted : EXIT.violations;
  } catch (e) {
    if (!TargetSetupError.is(e)) throw e;
    ctx.io.err(`vpdma: ${oneLine(e.message)}\n`);
    return EXIT.crash;
  } finally {
    interrupt.dispose();
    await executor.close();
  }
}

/** The violation minimized: the first, or the first of --kind and --fn. */
function wanted(opts: MinimizeCliOptions): { kind?: string; fn?: string } {
  return {
    ...(opts.kind === undefined ? {} : { kind: opts.kind }),
    ...(opts.fn === undefined ? {} : { fn: opts.fn }),
  };
}

/** Interrupted before anything shorter was found to fail: no repro is written. */
function nothingFound(ctx: CliContext, file: string): ExitCode {
  ctx.io.err(
    `vpdma: interrupted before a shorter trace was found to fail: nothing written (${oneLine(file)} is still the shortest repro)\n`,
  );
  return EXIT.interrupted;
}

/**
 * What `vpdma minimize` prints first when the trace's meta records a seed (the one that finds
 * the case again with `vpdma fuzz`); undefined when it records none, as minimizing draws
 * nothing at random and has no seed of its own to print.
 */
export function seedLine(recorded: unknown): string | undefined {
  return recordedSeedLine('minimize', recorded);
}

async function shrink(
  job: Job,
  failing: Failing,
  executor: Executor,
  v: Violation,
  progress: Progress,
  signal: AbortSignal,
): Promise<MinimizeResult & { readonly ms: number }> {
  const failure = signatureOf(v);
  const stillFails = stillFailsPredicate({ executor, settings: job.settings, failure, signal });
  const started = performance.now();
  const r = await shrinkTrace(failing.trace, v, stillFails, {
    attemptsMax: job.attemptsMax,
    batchSize: job.workers,
    signal,
    traceCalls: failing.calls,
    onProgress: (p) =>
      progress.update(p.attempts, {
        phase: 'minimizing',
        calls: p.calls,
        accepted: p.accepted,
        pass: p.pass,
      }),
  });
  // The last line shows the result, not the last candidate reported along the way.
  progress.update(r.attempts, {
    phase: 'minimizing',
    calls: r.trace.calls.length,
    accepted: r.accepted,
    pass: 'done',
  });
  return { ...r, ms: performance.now() - started };
}

async function write(
  ctx: CliContext,
  job: Job,
  /** Calls in the trace minimized (its intact part when damaged). */
  calls: number,
  executor: Executor,
  v: Violation,
  r: MinimizeResult & { readonly ms: number },
): Promise<void> {
  const repro = reproOf(
    r.trace,
    v,
    { from: basename(job.label), calls },
    {
      seed: null,
      target: job.settings.target,
      timeoutMs: job.settings.timeoutMs,
      attempts: job.attemptsMax,
      ...(job.workerHeapMb === undefined ? {} : { workerHeapMb: job.workerHeapMb }),
      ...rssLimitChanged(job.settings),
    },
  );
  // A .txt repro is explained in comments (the oracle's answers); it parses to `repro`.
  const w = await writeTraceAtomic(job.out, repro, printRepro(repro));
  if (!w.ok) throw new UserError(formatTraceError(w.error));
  const [again] = await replayTraces(executor, job.settings, [repro]);
  const same = findFailure(again?.result, signatureOf(v));
  // The text repro names what the target answered at the violating call, known only now (the
  // repro was written first so that a failing replay loses nothing).
  if (same !== undefined && formatOf(job.out) === 'txt') {
    const named = await writeTraceAtomic(job.out, repro, printRepro(repro, { found: same }));
    if (!named.ok) throw new UserError(formatTraceError(named.error));
  }
  ctx.io.out(
    formatMinimizeSummary({
      before: calls,
      result: r,
      ms: r.ms,
      attemptsMax: job.attemptsMax,
      out: job.out,
      target: job.settings.target,
      timeoutMs: job.settings.timeoutMs,
      ...rssLimitChanged(job.settings),
      ...(job.workerHeapMb === undefined ? {} : { workerHeapMb: job.workerHeapMb }),
      again: same,
    }),
  );
}
