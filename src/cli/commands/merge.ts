// `vpdma merge <out-dir>... --out DIR`: the --out directories of the N shards of one nightly
// campaign combined into what one machine would have written for the same seed and case
// count: reports, corpus, findings (deduplicated across shards), the corpus failures' repros.
import { oneLine } from '../../core/oneLine.js';
import { setUpFailed } from '../../replay/violation.js';
import { dirname, join } from 'node:path';
import { violationsOf, type FuzzReport, type ReportFinding } from '../../fuzz/fuzzReport.js';
import {
  buildNightlyReport,
  withKnownCount,
  withVerdict,
  type NightlyReportWithDetail,
} from '../../report/nightlyBuild.js';
import type { KilledShardOriginal } from '../../report/nightlySchema.js';
import { UserError, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { onInterrupt } from '../interrupt.js';
import { exitForNightly, parseFailOn, type FailOn } from '../nightlyPlan.js';
import {
  checkOutputDir,
  checkOutputFile,
  checkReportPaths,
  landsIn,
  summaryTo,
} from '../outputDir.js';
import {
  foldFindings,
  historyNote,
  keepDamagedFile,
  loadHistory,
  oldSchemeOf,
  otherTargetsNote,
  upgradeNote,
  type HistoryFile,
} from '../nightlyHistory.js';
import { regressionResults } from '../regressionResults.js';
import { knownOfShards } from '../mergeKnown.js';
import { withReproCalls } from '../reproCall.js';
import { checkOutputNames, writeNightlyReports } from '../nightlyOutputs.js';
import { checkCompatible, checkNotShardInputs } from '../mergeChecks.js';
import { mergeCorpusReplay } from '../mergeReplay.js';
import { mergeShardFuzz } from '../mergeFuzz.js';
import { withTraceId } from '../../report/replayReport.js';
import { historyTraceName } from '../historyTraceName.js';
import {
  copyCorpusRepros,
  corpusReproSources,
  type CorpusReproSource,
} from '../mergeCorpusRepros.js';
import { nightlySummary } from '../nightlySummary.js';
import { warnStaleFindings } from '../staleFindings.js';
import { mergedTiming, readShards, type Shard } from '../shardReport.js';
import {
  copyLostOriginals,
  killedShardOriginals,
  lostOriginals,
  lostOriginalsText,
  missingShards,
} from '../mergeLost.js';
import { plural } from '../../core/plural.js';
import { copyCorpus, notCopiedVerdict, planCorpus } from '../mergeCopy.js';
import { ioMessage } from '../../store/fileChunks.js';
import { locateFinding, writeFinding, type FindingSource } from '../mergeFindings.js';
import type { CommandSettings } from '../findingFiles.js';
import { isProfile } from '../../model/device.js';
import { type RunLocks, withRunLocks } from '../runLock.js';
import { HISTORY_RECOVER_OPTION } from '../historyRecover.js';
import { FUZZ_DEFAULTS } from '../../fuzz/fuzzDefaults.js';

interface MergeOptions {
  readonly out: string;
  readonly history?: string;
  readonly historyRecover?: boolean;
  readonly json?: string;
  readonly failOn?: string;
}

export const registerMerge: RegisterCommand = (program, ctx) => {
  program
    .command('merge')
    .description('combine the --out directories of the shards of one nightly run into one')
    .argument('<out-dir...>', "the shards' --out directories (each holds report.json)")
    .requiredOption('--out <dir>', 'where the merged reports, corpus and findings go')
    .option(
      '--history <file>',
      'fold the merged findings into this history file (the version it replaces kept as FILE.prev)',
    )
    .option(...HISTORY_RECOVER_OPTION)
    .option('--json <file>', 'also write the merged report.json here (- for stdout)')
    .option('--fail-on <when>', 'exit 1 on: new, any, none (as vpdma nightly)', 'any')
    .addHelpText(
      'after',
      `
The shards must be the N shards of one nightly run, each given once: the same --seed, budget
(--runs, or --time; and --minimize-time), --target, --profile (or none), --calls-max, --timeout, --disable,
--worker-heap-mb, --rss-limit-mb, --budget-replay, --known, shard count N, vpdma version, model revision and build revision, each started from the same --corpus contents
(cases depend on them); merge refuses anything else, naming the field. The result is what one
machine writes for that seed and case count: report.json, junit.xml, results.sarif,
report.html, findings/, corpus-repros/ and corpus/ under --out.
Shards of a --time budget stop at different cases: their findings are merged all the same, and
the report (and a warning) says below which case every shard ran. Every shard file is checked
before the first one is written. Ctrl-C stops the corpus copy; the reports, marked
interrupted, are written all the same (exit 130). A file that cannot be copied (no
permission, a full disk) is left out and named; the reports still are written (exit 2).
--history is held (FILE.lock) and written as nightly's: the version it replaces kept as
FILE.prev. A damaged one is refused (exit 2) saying what to do; --history-recover replaces it
by FILE.prev, else by an empty history, keeping it as FILE.damaged-<UTC time>, and says so.`,
    )
    .action(async (dirs: string[], opts: MergeOptions) => {
      ctx.exitCode = await withRunLocks((locks) => merge(ctx, dirs, opts, locks));
    });
};

async function merge(
  ctx: CliContext,
  dirs: readonly string[],
  opts: MergeOptions,
  locks: RunLocks,
): Promise<ExitCode> {
  const failOn = parseFailOn(opts.failOn);
  // In shard order, whatever the order given: the first one's order of corpus traces is kept.
  const shardNumber = (s: Shard): number => Number((s.report.shard ?? '1/1').split('/')[0]);
  const read = await readShards(dirs, (line) => ctx.io.err(line));
  const shards = read.shards.sort((a, b) => shardNumber(a) - shardNumber(b));
  const names = await checkCompatible(shards);
  const out = await landsIn(opts.out);
  const shardDirs = await Promise.all(dirs.map((d) => landsIn(d)));
  if (shardDirs.includes(out))
    throw new UserError(
      `merge: --out ${opts.out} is one of the shards: merging into it would overwrite that shard's report; give a new directory`,
    );
  const count = Number((names[0] ?? '1/1').split('/')[1]);
  const allShards = names.length === count && shards.every((s) => !s.report.interrupted);
  // A shard whose target could not start explored nothing, one vpdma itself cut short (its
  // harnessError) only part: as for nightly, nothing is fixed.
  const setUp = shards.every(
    (s) => s.report.fuzzDetail.setupError === undefined && s.report.harnessError === undefined,
  );
  if (names.length !== count)
    ctx.io.err(
      `vpdma merge: ${names.length} of ${count} shards given; the merged report covers only those (exit 2: a night with a shard missing is not a clean one)\n`,
    );
  checkOutputNames(opts.out, opts.json, opts.history);
  const reports = [
    ['--json', opts.json],
    ['--history', opts.history],
  ] as const;
  await checkReportPaths(reports, [], [join(opts.out, 'corpus')]);
  await checkNotShardInputs(reports, shards);
  await locks.history(opts.history, ctx.io.err);
  const loaded = await loadHistory(opts.history, opts.historyRecover === true);
  const { fuzz, said } = mergeShardFuzz(shards);
  for (const w of said) ctx.io.err(`vpdma merge: ${w}\n`);
  // Every input is found and readable before the first file is written.
  const sources = await Promise.all(fuzz.findings.map((f) => locateFinding(f, shards)));
  const corpusCopies = await planCorpus(shards, fuzz);
  const repros = await corpusReproSources(shards);
  const lost = await lostOriginals(read.killed, shards[0]?.report.seed ?? '', names, (line) =>
    ctx.io.err(line),
  );
  await checkOutputDir('--out', opts.out); // made only now: a refused merge leaves nothing
  await locks.out(opts.out, ctx.io.err);
  const target = shards[0]?.report.target ?? '';
  if (opts.json !== undefined) await checkOutputFile('--json', opts.json);
  // Going ahead: a damaged history --history-recover replaces has its bytes kept aside now.
  const history = await keepDamagedFile(loaded);
  for (const note of [
    historyNote('merge', history),
    upgradeNote('merge', history),
    otherTargetsNote('merge', history, target),
  ])
    if (note !== '') ctx.io.err(note);
  const corpusDir = join(opts.out, 'corpus');
  // From here a signal stops the corpus copy; findings and reports are written all the same.
  const interrupt = onInterrupt(ctx.io.err);
  // A file that cannot be copied (no permission, a full disk) is left out, not the reports.
  const notCopied: string[] = [];
  try {
    const copied = await copyCorpus(ctx, corpusCopies, corpusDir, interrupt.signal, notCopied);
    const stopped = interrupt.received() !== undefined;
    const lostCopied = await copyLostOriginals(lost, opts.out, notCopied);
    const lostOut = {
      text: lostOriginalsText(lostCopied),
      signatures: lost.map((l) => l.signature),
    };
    const code = await writeMerged(ctx, opts, shards, names, fuzz, [sources, repros], corpusDir, {
      failOn,
      history,
      interrupted: !allShards || stopped,
      stopped,
      complete: allShards && setUp && !stopped,
      incomplete: stopped
        ? `interrupted: the corpus copy stopped${names.length === count ? '' : `, and ${names.length} of ${count} shards given`}; the reports cover ${names.length === count ? '' : 'those, '}the findings and what was copied`
        : names.length !== count
          ? `incomplete: ${names.length} of ${count} shards given; the reports cover those`
          : 'incomplete: a shard was interrupted; the reports cover the cases the shards finished',
      notCopied,
      lost: { ...lostOut, entries: killedShardOriginals(lostCopied, opts.out) },
    }).then((code) => {
      // A shard lost on the way (a failed upload) must not leave a green merge behind it.
      const verdict = names.length !== count && code !== EXIT.crash ? EXIT.badInput : code;
      // Asked again now: a signal while the reports were written let them finish whole (and
      // say what ran), but the exit is the signal's, as for nightly and replay.
      if (!stopped) return interrupt.received() !== undefined ? EXIT.interrupted : verdict;
      ctx.io.err(
        `vpdma merge: interrupted: ${copied} of ${plural(corpusCopies.length, 'corpus entry', undefined, 'corpus entries')} copied; the reports are written and say interrupted; merge again into ${opts.out} to finish\n`,
      );
      return EXIT.interrupted;
    });
    return notCopiedVerdict(ctx, notCopied, code);
  } finally {
    interrupt.dispose();
  }
}

interface MergeVerdict {
  readonly failOn: FailOn;
  readonly history: HistoryFile | undefined;
  /** Not every shard, or not all of each, or the merge itself stopped by a signal. */
  readonly interrupted: boolean;
  /** The merge itself stopped by a signal (its corpus copy). */
  readonly stopped: boolean;
  /** The history may mark findings fixed: every shard ran to its end, its target started. */
  readonly complete: boolean;
  /** What the summary says of a merged report marked interrupted. */
  readonly incomplete: string;
  /** Why each file not copied was not: filled as the merge goes. */
  readonly notCopied: string[];
  /** The killed shards' originals (mergeLost.ts): the summary's words, their findings, copies. */
  readonly lost: {
    readonly text: string;
    readonly signatures: readonly string[];
    readonly entries: readonly KilledShardOriginal[];
  };
}

/** The findings' files, the reports and the history of the merged run; its exit code. */
async function writeMerged(
  ctx: CliContext,
  opts: MergeOptions,
  shards: readonly Shard[],
  names: readonly string[],
  mergedFuzz: FuzzReport,
  [sources, repros]: readonly [readonly FindingSource[], readonly CorpusReproSource[]],
  corpusDir: string,
  v: MergeVerdict,
): Promise<ExitCode> {
  let fuzz = mergedFuzz;
  const moved: ReportFinding[] = [];
  for (const src of sources) {
    const entry = await writeFinding(src, opts.out, commandSettings(fuzz)).catch((e: unknown) => {
      // Listed all the same, as the shard wrote it: its files are still in the shard.
      v.notCopied.push(
        `finding ${src.finding.signature}: ${ioMessage(e).replace(/^merge: /, '')}; listed at ${src.from}`,
      );
      return src.finding;
    });
    if (entry.kept === true)
      ctx.io.err(
        `vpdma merge: finding ${entry.signature}: kept the minimized repro in ${dirname(entry.trace)}; the shard's is not minimized (not copied)\n`,
      );
    moved.push(entry);
  }
  fuzz = {
    ...fuzz,
    findings: moved,
    violations: violationsOf(moved),
    corpus: { ...fuzz.corpus, dir: corpusDir },
  };
  const first = shards[0]?.report;
  if (first === undefined) return EXIT.badInput;
  const known = knownOfShards(shards);
  const folded = foldFindings(
    fuzz.findings,
    opts.out,
    v.history,
    {
      runId: first.startedAt,
      target: first.target,
      complete: v.complete,
      known: known?.signatures,
    },
    // Every shard replays the regression repros; one failing anywhere is not fixed.
    await withReproCalls(
      regressionResults(
        shards.map((s) => s.report.corpus),
        oldSchemeOf(v.history, first.target),
        known?.signatures,
      ),
      opts.out,
    ),
  );
  const run = {
    target: first.target,
    profile: first.profile,
    rssLimitMb: fuzz.rssLimitMb,
    workerHeapMb: fuzz.workerHeapMb,
  };
  const copied = await copyCorpusRepros(repros, opts.out, run, fuzz.timeoutMs, (why) =>
    v.notCopied.push(why),
  );
  const replayed = mergeCorpusReplay(shards);
  const corpus = {
    ...replayed,
    summary: withKnownCount(replayed.summary, replayed.violations, known),
    // --history's verdict on each failing trace, as one machine's night gives it.
    traces: replayed.traces.map((e) =>
      withVerdict(
        // A shard's own traceId; an older shard's, named as --history names it.
        e.traceId === undefined ? withTraceId(e, historyTraceName(e.trace)) : e,
        (t) => folded.traces.get(historyTraceName(t)),
      ),
    ),
    ...(copied.length > 0 ? { repros: copied } : {}),
  };
  const { findings, fixed, stillFailing, regressedByReplay, reprosChanged, stillOpen } = folded;
  const report = buildNightlyReport({
    meta: {
      command: 'merge',
      seed: first.seed,
      vpdmaVersion: first.vpdmaVersion,
      modelRevision: first.modelRevision,
      ...(first.buildRevision === undefined ? {} : { buildRevision: first.buildRevision }),
      target: first.target,
      profile: first.profile,
      shards: [...names].sort(),
      startedAt: first.startedAt,
      interrupted: v.interrupted,
      shardsMissing: missingShards(names),
      killedShardOriginals: v.lost.entries,
      ...(v.stopped ? { mergeInterrupted: true as const } : {}),
      ...(v.history?.recovered === undefined ? {} : { historyRecovered: v.history.recovered }),
      failOn: v.failOn,
      timing: mergedTiming(shards.map((s) => s.report)),
    },
    corpus: [],
    fuzz,
    series: first.fuzz.series,
    findings,
    fixed,
    stillFailing,
    // The merged run's own --budget-replay warning, for the traces no shard replayed.
    ...(corpus.budgetReplay === undefined ? {} : { budgetReplay: corpus.budgetReplay }),
    ...(corpus.notReplayed === undefined ? {} : { notReplayed: corpus.notReplayed }),
    regressedByReplay,
    reprosChanged,
    stillOpen,
    known,
  });
  const merged: NightlyReportWithDetail = {
    ...report,
    corpus,
    violations: [...corpus.violations, ...report.violations],
  };
  await writeNightlyReports(ctx.io, merged, opts.out, opts.json);
  await folded.saveHistory();
  for (const s of shards) {
    const setup = s.report.fuzzDetail.setupError;
    if (setup !== undefined)
      ctx.io.err(`vpdma merge: shard ${s.report.shard ?? '1/1'}: ${setUpFailed(oneLine(setup))}\n`);
    if (s.report.harnessError !== undefined)
      ctx.io.err(
        `vpdma merge: shard ${s.report.shard ?? '1/1'}: vpdma failed part way (${s.report.harnessError}); the merge marks nothing fixed\n`,
      );
  }
  const mine = [...findings.map((f) => f.signature), ...v.lost.signatures];
  await warnStaleFindings(ctx.io, 'merge', opts.out, new Set(mine));
  summaryTo(
    ctx.io,
    opts.json,
  )(
    `vpdma merge: ${plural(names.length, 'shard')}, ${plural(fuzz.cases, 'case')}, ${plural(findings.length, 'finding')} -> ${opts.out}${v.lost.text}\n${nightlySummary(merged, opts.out, v.incomplete)}`,
  );
  return exitForNightly(merged, v.failOn);
}

/** A finding's replay command as each shard's writer made it: --target, --profile if given, --timeout. */
function commandSettings(fuzz: FuzzReport): CommandSettings {
  return {
    target: fuzz.target,
    ...(isProfile(fuzz.profile) ? { profile: fuzz.profile } : {}),
    timeoutMs: fuzz.timeoutMs ?? FUZZ_DEFAULTS.timeoutMs,
  };
}
