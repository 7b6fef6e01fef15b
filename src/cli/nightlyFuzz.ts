// The nightly job's fuzz phase: `vpdma fuzz`'s campaign with progress sampled into the time
// series the HTML report plots.
import { join } from 'node:path';
import type { Profile } from '../model/device.js';
import type { Shard } from '../fuzz/campaign.js';
import {
  buildFuzzReport,
  harnessFailed,
  setupFailed,
  type FuzzReport,
  type ReportFinding,
} from '../fuzz/fuzzReport.js';
import { fuzzReportMeta } from './fuzzReportMeta.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import type { SamplePoint } from '../report/nightlySchema.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { moduleStateWarning } from '../fuzz/moduleState.js';
import { fuzzIo } from './fuzzIo.js';
import { loadCorpus } from './corpusCap.js';
import { campaignWarnings, closeWarning } from './closeWarning.js';
import { minimizeProgress, type Progress, type ProgressOptions } from './progress.js';
import { campaignGuards } from './campaignGuards.js';
import { campaignStatus } from './campaignStatus.js';
import { runFuzzOrFault } from './fuzzFault.js';
import { newFindingText } from './originalWrites.js';

export interface FuzzPhase {
  readonly settings: FuzzSettings;
  readonly profile?: Profile;
  readonly shard: Shard;
  readonly budget: { runs?: number; timeMs?: number; minimizeTimeMs?: number };
  readonly budgetText: FuzzReport['budget'];
  readonly workers: number;
  readonly out: string;
  readonly corpusDir: string;
  /** --corpus-max: entries of corpusDir at most (corpusCap.ts). */
  readonly corpusMax?: number;
  /** --rounds: cases per round (src/fuzz/rounds.ts). */
  readonly rounds?: number;
  readonly perGroup: number;
  readonly attemptsMax: number;
  /** --worker-heap-mb (absent: Node's own), recorded in the report. */
  readonly workerHeapMb?: number;
  readonly signal: AbortSignal;
  readonly warn: (message: string) => void;
  readonly log: (text: string) => void;
  /** Earlier findings not to minimize again (knownRepros.ts). */
  readonly known?: ReadonlyMap<string, ReportFinding>;
  /** --known's signatures: the cases that show only these are not minimized (FuzzRunOptions). */
  readonly knownSignatures?: ReadonlySet<string>;
  /** The target is known not to start (phase 1 found so): no case is run, and this is why. */
  readonly setupError?: string;
  /** vpdma itself failed in phase 1 (a bug): no case is run, and this is the report's harnessError. */
  readonly harnessError?: string;
}

export interface FuzzPhaseResult {
  readonly report: FuzzReport;
  readonly series: SamplePoint[];
  /**
   * When the first cases came back, ms on the campaign's clock (which --time bounds): worker
   * threads started, the base unpacked, the target set up. Undefined: none came back.
   */
  readonly firstCasesMs?: number;
  /** Why the corpus stopped growing (a full disk, corpusRoom.ts); undefined if it did not. */
  readonly corpusStopped?: string;
  /** What the disk refused, one line each, for the night's end (campaignGuards.ts). */
  readonly faults: readonly string[];
  /**
   * vpdma's own failure part way (fuzzFault.ts): the report holds what came before it and
   * says so (`harnessError`); the night writes its reports, then throws it (exit 3).
   */
  readonly fault?: Error;
}

/** Seconds between points of the time series. */
const sampleEverySeconds = 1;
/** Points kept: beyond this the series is thinned to every other point. */
const seriesMax = 2000;

export async function fuzzPhase(
  p: FuzzPhase,
  progress: Progress,
  interrupted: () => boolean,
  shown: Pick<ProgressOptions, 'mode' | 'write'>,
): Promise<FuzzPhaseResult> {
  const minimizing = minimizeProgress(progress, shown);
  const started = performance.now();
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    p.warn(m);
  };
  // One set of files read: a --corpus link into the bundled corpus is that entry, once.
  const seen = new Set<string>();
  const bundled = await readCorpusDir(bundledCorpusDir(), warn, 'corpus/', undefined, seen);
  const mine = await loadCorpus(p.corpusDir, warn, p.corpusMax, seen);
  const status = campaignStatus({ mode: shown.mode, timeMs: p.budget.timeMs });
  let series: SamplePoint[] = [];
  let lastT = -sampleEverySeconds;
  const guards = campaignGuards({
    ...p,
    cwd: process.cwd(),
    newFinding: (n) =>
      progress.event(newFindingText('nightly', n, false), newFindingText('nightly', n, true)),
  });
  const io = fuzzIo({
    profile: p.profile,
    keep: guards.keep,
    drop: mine.drop,
    warn,
    writeFinding: guards.writeFinding,
    original: guards.original,
    originalsSettled: guards.originalsSettled,
    progress: (x) => {
      guards.seen(x);
      const t = x.elapsedMs / 1000;
      const secs = Math.max(t, 1e-3);
      progress.update(x.cases, status(x, bundled.length + mine.size() + x.kept));
      if (t - lastT < sampleEverySeconds) return;
      const prev = series[series.length - 1];
      const dt = prev === undefined ? secs : Math.max(t - prev.t, 1e-3);
      series.push({
        t: Math.round(t * 10) / 10,
        cases: x.cases,
        calls: x.calls,
        coverage: x.coverage,
        branches: x.branches,
        casesPerSecond: Math.round((x.cases - (prev?.cases ?? 0)) / dt),
        callsPerSecond: Math.round((x.calls - (prev?.calls ?? 0)) / dt),
      });
      lastT = t;
      if (series.length > seriesMax) series = series.filter((_, i) => i % 2 === 0);
    },
    minimizing: (s) => minimizing.update(s),
    log: p.log,
  });
  let closing = '';
  try {
    const run = await runFuzzOrFault(
      {
        settings: p.settings,
        base: [...bundled, ...mine.files],
        ...(mine.cap === undefined ? {} : { cap: mine.cap }),
        shard: p.shard,
        ...(p.rounds === undefined ? {} : { rounds: p.rounds }),
        ...p.budget,
        workers: p.workers,
        perGroup: p.perGroup,
        attemptsMax: p.attemptsMax,
        ...(p.known === undefined ? {} : { known: p.known }),
        ...(p.knownSignatures === undefined ? {} : { knownSignatures: p.knownSignatures }),
        signal:
          p.setupError === undefined && p.harnessError === undefined
            ? p.signal
            : AbortSignal.abort(),
      },
      io,
    );
    const { result, fault } = run;
    const harnessError = run.harnessError ?? p.harnessError;
    const shared = moduleStateWarning(p.settings.target, p.workers, result);
    if (shared !== undefined) warn(shared);
    const slow = guards.startupWarning(result, mine.found.readMs, p.budget, p.budgetText);
    const cut = p.setupError !== undefined || interrupted() || harnessError !== undefined;
    if (slow !== undefined && !cut) warn(slow);
    for (const w of campaignWarnings(result.campaign, p.settings.target)) warn(w);
    const built = buildFuzzReport(
      result,
      fuzzReportMeta(p, {
        corpusFound: mine.found,
        interrupted: interrupted(),
        warnings,
        wallMs: performance.now() - started,
      }),
    );
    const report =
      harnessError !== undefined
        ? harnessFailed(built, harnessError, run.faultIn ?? 'campaign')
        : p.setupError === undefined
          ? built
          : setupFailed(built, p.setupError);
    closing = closeWarning(p.settings.target, result.campaign.closeErrors, 'case');
    const stopped = guards.corpusStopped();
    const firstCasesMs = guards.firstCasesMs();
    return {
      report,
      series,
      ...(firstCasesMs === undefined ? {} : { firstCasesMs }),
      ...(stopped === undefined ? {} : { corpusStopped: stopped }),
      faults: guards.faults(),
      ...(fault === undefined ? {} : { fault }),
    };
  } finally {
    progress.stop();
    minimizing.stop();
    if (closing !== '') p.log(closing);
  }
}

export function defaultCorpusDir(out: string): string {
  return join(out, 'corpus');
}

/** report.json's timing.fuzzStartupMs and firstCasesMs (nightlySchema.ts). */
export function startupTiming(fuzz: FuzzPhaseResult): {
  fuzzStartupMs?: number;
  firstCasesMs?: number;
} {
  const loadMs = fuzz.report.timing.loadMs;
  if (loadMs === undefined || fuzz.report.setupError !== undefined) return {};
  const first = fuzz.firstCasesMs;
  return first === undefined
    ? { fuzzStartupMs: loadMs + fuzz.report.timing.fuzzMs }
    : { fuzzStartupMs: Math.round(loadMs + first), firstCasesMs: Math.round(first) };
}
