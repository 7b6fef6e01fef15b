// `vpdma fuzz`: a campaign of generated call streams against a target in the pool, with the
// corpus in --corpus, every new finding minimized, re-run and written under --out, and a
// report (DESIGN.md "Command line"). Wiring only: the campaign is src/fuzz/run.ts.
import { join } from 'node:path';
import { type RunLocks, withRunLocks } from '../runLock.js';
import { fuzzIo } from '../fuzzIo.js';
import type { Profile } from '../../model/device.js';
import {
  buildFuzzReport,
  formatFuzzSummary,
  harnessFailed,
  setupFailed,
  type FuzzReport,
} from '../../fuzz/fuzzReport.js';
import type { FuzzSettings } from '../../fuzz/protocol.js';
import { runFuzzOrFault } from '../fuzzFault.js';
import { MUTANTS } from '../../replay/mutants.js';
import { setWorkerHeapLimit } from '../../replay/pool.js';
import { rssLimitNote } from '../../replay/rssLimit.js';
import { DEFAULT_SAMPLE_BYTES } from '../../replay/replay.js';
import { formatTargetSpec } from '../../replay/targetSpec.js';
import { bundledCorpusDir, readCorpusDir } from '../../store/corpus.js';
import type { CliContext, RegisterCommand } from '../context.js';
import type { ExitCode } from '../exitCodes.js';
import { onInterrupt } from '../interrupt.js';
import {
  disableOption,
  disableWarnings,
  FUZZ_OPTIONS,
  fuzzIntOption,
  profileOption,
  seedGiven,
  seedOption,
  SHARED_OPTIONS,
  shardOption,
  targetCoverageOption,
  targetOption,
  workerHeapOption,
  workersOption,
  loadTimeoutOption,
  stderrIntoStdoutWarning,
  helloTimeoutOption,
  rssLimitOption,
} from '../options.js';
import { minimizeProgress, Progress, progressMode } from '../progress.js';
import { campaignStatus } from '../campaignStatus.js';
import { defaultSeedWarning } from '../seedWarning.js';
import { targetSetupFailure } from '../targetCheck.js';
import { moduleStateWarning } from '../../fuzz/moduleState.js';
import { campaignWarnings, closeWarning } from '../closeWarning.js';
import { checkOutputDir, checkOutputFile, checkReportPaths, summaryTo } from '../outputDir.js';
import { buildRevision } from '../buildRevision.js';
import { budgetOptions, type Budget } from '../fuzzBudget.js';
import type { CampaignProgress, Shard } from '../../fuzz/campaign.js';
import type { Seed } from '../../core/rng.js';
import { FUZZ_DEFAULTS } from '../../fuzz/fuzzDefaults.js';
import { campaignGuards, exitWithFaults } from '../campaignGuards.js';
import { corpusStoppedSummary } from '../corpusRoom.js';
import { fuzzReportMeta } from '../fuzzReportMeta.js';
import { verdict, writeReports } from '../fuzzReports.js';
import type { TargetSpec } from '../../replay/targetSpec.js';
import { warnStaleFindings } from '../staleFindings.js';
import { fuzzWorkersText } from '../workersLine.js';
import { CORPUS_MAX_OPTION, corpusMaxOption, loadCorpus } from '../corpusCap.js';
import { newFindingText } from '../originalWrites.js';
import { caseCorpusCheck, caseOption, writeCase } from '../fuzzCase.js';
import { ROUNDS_OPTION, roundsOption } from '../fuzzRounds.js';

export interface FuzzCliOptions {
  readonly target?: string;
  readonly profile?: string;
  readonly seed?: string;
  readonly runs?: string;
  readonly time?: string;
  readonly minimizeTime?: string;
  readonly workers?: string;
  readonly workerHeapMb?: string;
  readonly rssLimitMb?: string;
  readonly corpus?: string;
  readonly corpusMax?: string;
  readonly out?: string;
  readonly shard?: string;
  readonly json?: string;
  readonly callsMax?: string;
  readonly timeout?: string;
  readonly loadTimeout?: string;
  readonly reprosPerKind?: string;
  readonly attemptsMax?: string;
  readonly disable?: readonly string[];
  /** false with --no-target-coverage. */
  readonly targetCoverage?: boolean;
  readonly quiet?: boolean;
  readonly jsonProgress?: boolean;
  readonly case?: string;
  /** --rounds, with its value or alone. */
  readonly rounds?: string | boolean;
}

const DETERMINISM = `
Case i depends only on (seed, i), the corpus as it was when the run started (the bundled
corpus plus --corpus DIR, within --corpus-max), --disable, --profile and --calls-max: cases
kept during a run are written to --corpus for the next run but not mutated in this one, so a seed and a case count give the same findings for any
--workers and any --shard K/N. With --rounds, case i also depends on the cases kept in the
rounds before its own (cases are mutated in the run that keeps them): the same for any
--workers, but refused with --shard. With --time, the report records the case count reached;
--runs with that count reproduces the same findings from the same starting corpus (a fresh
--out, or a --corpus holding what this run's held when it started). See docs/fuzzing.md.`;

export const registerFuzz: RegisterCommand = (program, ctx) => {
  program
    .command('fuzz')
    .description('fuzz a target with generated call streams; minimize and report every finding')
    .option(...SHARED_OPTIONS.target)
    .option(...SHARED_OPTIONS.profile)
    .option(...SHARED_OPTIONS.seed)
    .option(
      '--runs <n>',
      `cases to run, over all shards (default: ${FUZZ_DEFAULTS.runs} without --time)`,
    )
    .option(
      '--time <duration>',
      "fuzz for this long instead, e.g. 90s, 30m, 1h (a bare number is seconds; a case under way finishes; the workers' start-up is on it), then minimize",
    )
    .option(
      '--minimize-time <duration>',
      'minimize for at most this long; the findings left are reported unminimized, or with the minimized repro an earlier run left of their signature (default: --time, else no limit)',
    )
    .option(...ROUNDS_OPTION)
    .option(...SHARED_OPTIONS.workers)
    .option(...SHARED_OPTIONS.workerHeapMb)
    .option('--corpus <dir>', 'corpus to start from and to keep new cases in (default: OUT/corpus)')
    .option(...CORPUS_MAX_OPTION)
    .option('--out <dir>', 'report.json and findings/ go here', 'vpdma-out')
    .option('--shard <k/n>', 'run only cases i with i mod n = k-1', '1/1')
    .option(
      '--json <file>',
      'also write the report here (- for stdout; the summary goes to stderr)',
    )
    .addOption(FUZZ_OPTIONS.callsMax())
    .option(...SHARED_OPTIONS.disable)
    .option(...SHARED_OPTIONS.targetCoverage)
    .addOption(FUZZ_OPTIONS.timeout())
    .option(...SHARED_OPTIONS.loadTimeout)
    .option(...SHARED_OPTIONS.rssLimitMb)
    .addOption(FUZZ_OPTIONS.reprosPerKind())
    .addOption(FUZZ_OPTIONS.attemptsMax())
    .option(...SHARED_OPTIONS.quiet)
    .option(...SHARED_OPTIONS.jsonProgress)
    .option(
      '--case <n>',
      "write case N (as generated) to OUT/case-N.txt and .vpt without running it (with --rounds, the cases of the rounds before N's run first, costing about what they cost the campaign; nothing else is written)",
    )
    .addHelpText(
      'after',
      `${DETERMINISM}\n\nBundled canaries (--target mutant:NAME):\n${MUTANTS.map((m) => `  ${m.name}: ${m.description}`).join('\n')}`,
    )
    .action(async (opts: FuzzCliOptions) => {
      ctx.exitCode = await withRunLocks((locks) => fuzz(ctx, opts, locks));
    });
};

interface Parsed {
  readonly seed: Seed;
  readonly spec: TargetSpec;
  readonly profile: Profile | undefined;
  readonly shard: Shard;
  readonly budget: Budget;
  readonly budgetText: FuzzReport['budget'];
  readonly workers: number;
  readonly out: string;
  readonly corpusDir: string;
  readonly corpusMax: number | undefined;
  readonly rounds: number | undefined;
  readonly settings: FuzzSettings;
}

function parse(opts: FuzzCliOptions, seed: Seed): Parsed {
  const spec = targetOption(opts.target);
  const profile = profileOption(opts.profile);
  const out = opts.out ?? 'vpdma-out';
  const b = budgetOptions(opts);
  const disabled = disableOption(opts.disable);
  const heap = workerHeapOption(opts.workerHeapMb);
  const timeoutMs = fuzzIntOption('--timeout', opts.timeout);
  return {
    seed,
    spec,
    profile,
    shard: shardOption(opts.shard),
    budget: b.budget,
    budgetText: b.text,
    workers: workersOption(opts.workers),
    out,
    corpusDir: opts.corpus ?? join(out, 'corpus'),
    corpusMax: corpusMaxOption(opts.corpusMax),
    rounds: roundsOption(opts.rounds, opts),
    settings: {
      target: formatTargetSpec(spec),
      ...(profile === undefined ? {} : { profile }),
      timeoutMs,
      ...helloTimeoutOption(opts.loadTimeout, timeoutMs),
      rssLimitMb: rssLimitOption(opts.rssLimitMb),
      ...(heap === undefined ? {} : { workerHeapMb: heap }),
      sampleBytes: DEFAULT_SAMPLE_BYTES,
      callsMax: fuzzIntOption('--calls-max', opts.callsMax),
      seed: seed.value,
      seedText: seed.text,
      ...(disabled === undefined ? {} : { disabled }),
      ...targetCoverageOption(opts.targetCoverage),
    },
  };
}

function progressSink(ctx: CliContext, opts: FuzzCliOptions, p: Parsed, corpus: () => number) {
  const b = p.budget;
  const total = b.runs === undefined ? 0 : Math.ceil((b.runs - p.shard.index) / p.shard.count);
  const mode = progressMode(opts, process.stderr.isTTY);
  const progress = new Progress('fuzz', total, {
    mode,
    write: ctx.io.err,
    timeMs: b.timeMs,
    unit: 'cases',
    idle: 'starting',
  });
  const status = campaignStatus({ mode, timeMs: b.timeMs });
  const update = (c: CampaignProgress): void => {
    progress.update(c.cases, status(c, corpus() + c.kept));
  };
  const minimizing = minimizeProgress(progress, { mode, write: ctx.io.err });
  return { progress, update, minimizing };
}

export async function fuzz(
  ctx: CliContext,
  opts: FuzzCliOptions,
  locks?: RunLocks,
): Promise<ExitCode> {
  const started = performance.now();
  const seed = seedOption(opts.seed);
  const p = parse(opts, seed);
  const caseIndex = caseOption(opts.case, opts);
  const stderrWarning = stderrIntoStdoutWarning(opts.target);
  if (stderrWarning !== undefined) ctx.io.err(`vpdma fuzz: ${stderrWarning}\n`);
  setWorkerHeapLimit(p.settings.workerHeapMb);
  ctx.io.err(rssLimitNote('fuzz', p.settings.target, p.settings.rssLimitMb ?? 0));
  const perGroup = fuzzIntOption('--repros-per-kind', opts.reprosPerKind);
  const attemptsMax = fuzzIntOption('--attempts-max', opts.attemptsMax);
  // A report in a corpus directory would be read back by every later run as a corrupted entry.
  await checkReportPaths([['--json', opts.json]], [], [p.corpusDir, bundledCorpusDir()]);
  if (opts.json !== undefined) await checkOutputFile('--json', opts.json);
  // A module that cannot be loaded still gets the run's reports, saying so (exit 2 for a SPEC
  // naming no module or no factory, else 3).
  const cannotLoad = await targetSetupFailure(
    p.spec,
    p.settings.timeoutMs,
    loadTimeoutOption(opts.loadTimeout, p.settings.timeoutMs),
  );
  // Made last: a refused run leaves no directories behind. --case writes nothing but its case.
  await checkOutputDir('--out', p.out);
  if (caseIndex === undefined) {
    // Two runs writing one --out (a nightly's, or another fuzz's) would mix their findings.
    await locks?.out(p.out, ctx.io.err);
    await checkOutputDir('--corpus', p.corpusDir);
  } else await caseCorpusCheck(p.corpusDir);
  // First once the usage is known good: a usage error stays one line.
  ctx.io.err(`vpdma fuzz: seed=${seed.text}\n`);
  const givenUp = disableWarnings(p.settings.disabled);
  if (givenUp !== '') ctx.io.err(givenUp);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    ctx.io.err(`vpdma: ${m}\n`);
  };
  // One set of files read: a --corpus link into the bundled corpus is that entry, once.
  const seen = new Set<string>();
  const bundled = await readCorpusDir(bundledCorpusDir(), warn, 'corpus/', undefined, seen);
  const mine = await loadCorpus(p.corpusDir, warn, p.corpusMax, seen);
  const seedRepeats = defaultSeedWarning({
    given: seedGiven(opts.seed),
    seedText: seed.text,
    timeMs: p.budget.timeMs,
    entries: mine.files.length,
  });
  if (seedRepeats !== undefined) warn(seedRepeats);
  const base = [...bundled, ...mine.files];
  if (caseIndex !== undefined) return writeCase(ctx.io, p, base, mine.cap, caseIndex, cannotLoad);
  ctx.io.err(
    `vpdma fuzz: target=${p.settings.target} shard=${p.shard.index + 1}/${p.shard.count} workers=${fuzzWorkersText(p.workers, p.settings.target)} corpus=${base.length} build=${buildRevision()}\n`,
  );
  const sized = (): number => bundled.length + mine.size();
  const { progress, update, minimizing } = progressSink(ctx, opts, p, sized);
  const interrupt = onInterrupt(ctx.io.err);
  // As nightly's: a disk that fills stops the corpus, not the findings or the reports.
  const guards = campaignGuards({
    ...p,
    cwd: process.cwd(),
    newFinding: (n) =>
      progress.event(newFindingText('fuzz', n, false), newFindingText('fuzz', n, true)),
  });
  const io = fuzzIo({
    profile: p.profile,
    keep: guards.keep,
    drop: mine.drop,
    writeFinding: guards.writeFinding,
    original: guards.original,
    originalsSettled: guards.originalsSettled,
    progress: (c) => {
      guards.seen(c);
      update(c);
    },
    minimizing: (s) => minimizing.update(s),
    log: (text) => ctx.io.err(text),
    warn,
  });
  let report: FuzzReport;
  let fault: Error | undefined;
  let closing = '';
  try {
    const options = {
      settings: p.settings,
      base,
      ...(mine.cap === undefined ? {} : { cap: mine.cap }),
      shard: p.shard,
      ...(p.rounds === undefined ? {} : { rounds: p.rounds }),
      ...p.budget,
      workers: p.workers,
      perGroup,
      attemptsMax,
      signal: cannotLoad === undefined ? interrupt.signal : AbortSignal.abort(),
    };
    const run = await runFuzzOrFault(options, io);
    const { result, harnessError } = run;
    fault = run.fault;
    const shared = moduleStateWarning(p.settings.target, p.workers, result);
    if (shared !== undefined) warn(shared);
    const slow = guards.startupWarning(result, mine.found.readMs, p.budget, p.budgetText);
    const cut =
      cannotLoad !== undefined || interrupt.received() !== undefined || fault !== undefined;
    if (slow !== undefined && !cut) warn(slow);
    for (const w of campaignWarnings(result.campaign, p.settings.target)) warn(w);
    const built = buildFuzzReport(
      result,
      fuzzReportMeta(
        { ...p, perGroup, attemptsMax, workerHeapMb: p.settings.workerHeapMb },
        {
          corpusFound: mine.found,
          interrupted: interrupt.received() !== undefined,
          warnings,
          wallMs: performance.now() - started,
        },
      ),
    );
    report =
      harnessError !== undefined
        ? harnessFailed(built, harnessError, run.faultIn ?? 'campaign')
        : cannotLoad === undefined
          ? built
          : setupFailed(built, `${cannotLoad.message} (no case fuzzed)`);
    closing = closeWarning(p.settings.target, result.campaign.closeErrors, 'case');
  } catch (e) {
    interrupt.dispose();
    throw e;
  } finally {
    progress.stop();
    minimizing.stop();
  }
  if (closing !== '') ctx.io.err(closing);
  // Whatever the disk refused, the summary is printed; a signal now lets the reports finish.
  const unwritten = await writeReports(ctx.io, report, p.out, opts.json).finally(() =>
    interrupt.dispose(),
  );
  // A run cut short by a fault did not look for every finding: none of the others is stale.
  const found = new Set(report.findings.map((f) => f.signature));
  if (fault === undefined) await warnStaleFindings(ctx.io, 'fuzz', p.out, found);
  const stopped = guards.corpusStopped();
  const stoppedLine = stopped === undefined ? '' : `\n${corpusStoppedSummary(stopped)}\n`;
  summaryTo(ctx.io, opts.json)(`${formatFuzzSummary(report)}${stoppedLine}`);
  const stop = verdict(ctx, report, cannotLoad?.usage, interrupt.received() !== undefined);
  const code = exitWithFaults(ctx.io.err, stop, guards.faults());
  // The reports say what ran; main() tells the fault itself, with its stack (exit 3).
  if (fault !== undefined && unwritten !== undefined) ctx.io.err(`vpdma: ${unwritten.message}\n`);
  if (fault !== undefined) throw fault;
  if (unwritten !== undefined) throw unwritten;
  return code;
}
