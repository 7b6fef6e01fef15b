// The report of `vpdma fuzz` (report.json in --out, and --json FILE): DESIGN.md's violations
// array (kind, fn, callIndex, message, trace = the repro in JSONL form, reproCalls,
// signature), the findings with their seed, case and the command that reproduces them, and
// what merging shards needs (first case per new coverage key, minimized cases per group).
// Everything except `timing` is the same for any number of workers.
import type { RunIdentity } from '../replay/runIdentity.js';
import type { ViolationKind } from '../replay/violation.js';
import type { ViolationAtCall } from './findings.js';
import type { CampaignResult } from './campaign.js';
import type { FuzzRunResult, Unconfirmed } from './run.js';
import { cappedOf, type CorpusCapped } from './corpusNote.js';
import { fuzzSummaryOf, type FuzzSummary } from './fuzzReportSummary.js';
import { branchCount, unreached, type ReachedTable } from './reached.js';

/** What both this report and the nightly report's `Finding` say about a finding. */
export interface FindingBase {
  /** Dedup key: kind, function and the part of the answer that differs (findings.ts). */
  readonly signature: string;
  readonly fn: string;
  /** Index of the failing call in the minimized repro. */
  readonly callIndex: number;
  readonly message: string;
  /**
   * A target-crashed's title: the message's first line, each value in it `#`; what minimizing
   * kept (replay/crashTitle.ts). Absent for other kinds, and from older reports.
   */
  readonly title?: string;
  /**
   * Every violation the repro showed at its failing call, the one the finding is named after
   * (`kind`, `message`) first: fix them all before the next night. Not part of the signature.
   * Absent from older reports.
   */
  readonly violationsAtCall?: readonly ViolationAtCall[];
  /** Calls in the minimized repro. */
  readonly reproCalls: number;
  /** Calls in the case as the fuzzer first found it. */
  readonly originalCalls: number;
  /** Path of the repro in JSONL form (DESIGN.md `trace`). */
  readonly trace: string;
  /** The repro in the text format, for people: repro.txt's text, explained in comments. */
  readonly reproText: string;
  readonly seed: string;
  readonly caseIndex: number;
  /** Re-runs of the repro that showed the same violation, e.g. "3/3". */
  readonly reproduced: string;
  /** `vpdma replay ...`: the exact command that reproduces it without the fuzzer. */
  readonly command: string;
  /**
   * Not minimized again: an earlier night's repro of this finding, which still failed in this
   * night's replay (`nightly` with --history, its bucket open), is kept as it was, with its
   * seed and case; a report's `cases` are this run's (FuzzRunOptions.known). So is an earlier
   * run's minimized repro of a finding this run found again but did not minimize (cut short,
   * or flaky): an unminimized repro never replaces a minimized one (cli/findingFiles.ts).
   */
  readonly kept?: true;
  /**
   * `"known"`: not minimized because `nightly --known` holds the signature of every violation
   * its case showed; the repro is the case as it ran. Absent otherwise (and in older reports).
   */
  readonly notMinimized?: 'known';
}

export interface ReportFinding extends FindingBase {
  readonly kind: ViolationKind;
  readonly files: { readonly jsonl: string; readonly txt: string; readonly vpt: string };
  /** Every minimized case with this signature. */
  readonly cases: readonly number[];
  /**
   * false when the run was interrupted, or minimization's time budget was spent, before this
   * repro could be minimized; or when it fails on some runs only (flaky).
   */
  readonly minimized: boolean;
  /** The minimized repro failed on fewer re-runs than the case (e.g. "1/3"): not kept. */
  readonly minimizedReproduced?: string;
  /** The minimization budget ran out (the repro still fails, but may not be 1-minimal). */
  readonly exhausted: boolean;
}

export interface ReportGroup {
  readonly kind: ViolationKind;
  readonly fn: string;
  readonly hits: number;
  readonly minimized: readonly { readonly caseIndex: number; readonly signature: string }[];
}

export interface FuzzReport extends RunIdentity {
  readonly schema: 'vpdma-report';
  readonly schemaVersion: 1;
  readonly command: 'fuzz';
  /** "K/N". */
  readonly shard: string;
  readonly budget: {
    readonly runs?: number;
    readonly time?: string;
    /** --minimize-time (with --time, the same duration by default). */
    readonly minimizeTime?: string;
  };
  readonly callsMax: number;
  /**
   * --rounds: cases per round, each round's cases mutating the cases kept in the earlier ones
   * too (docs/fuzzing.md, "Rounds"); absent without it (kept cases wait for the next run).
   */
  readonly rounds?: number;
  /** --corpus-max (absent without one): the --corpus directory's entries at most. */
  readonly corpusMax?: number;
  /** --timeout: it decides which slow calls are target-timeout findings (absent from older reports). */
  readonly timeoutMs?: number;
  /**
   * --repros-per-kind: failing cases minimized per kind and function, which decides the
   * findings (absent from older reports; nightly's is always 2).
   */
  readonly reprosPerKind?: number;
  /**
   * --attempts-max: candidate replays one minimization may use, which decides the repros
   * (absent from older reports; nightly's is always 2000).
   */
  readonly attemptsMax?: number;
  /** --disable: the functions no case called (absent when none). */
  readonly disabled?: readonly string[];
  /**
   * --worker-heap-mb: each worker thread's JavaScript heap limit, MiB, which decides whether a
   * leaking module: target is a target-crashed finding (absent: Node's own limit; and in
   * reports from before it was recorded).
   */
  readonly workerHeapMb?: number;
  /**
   * --rss-limit-mb, for a process: target: its child's resident memory limit, MiB, which decides
   * whether a leaking target is a target-crashed finding (0: none; absent for other targets).
   */
  readonly rssLimitMb?: number;
  /**
   * The counts a CI script reads first, as replay's `summary` gives them (fuzzSummaryOf):
   * absent from reports written before it was added.
   */
  readonly summary?: FuzzSummary;
  /** Cases run (a gap-free prefix of this shard's cases). */
  readonly cases: number;
  /** `--runs` (with the same --shard) that runs exactly these cases again. */
  readonly runsEquivalent: number;
  readonly calls: number;
  /** Coverage keys reached, the base corpus's included. */
  readonly coverage: number;
  /** Model branches `reached` holds (branchCount): they level off, keys do not. Absent: older. */
  readonly branches?: number;
  /**
   * The target's own edges reached (docs/fuzzing.md, "Target coverage"): those the base
   * corpus's entries record (edgeMeta.ts; the target never runs the corpus) and the cases'
   * new ones (newTargetEdges). Absent when the target was never asked: it offers no
   * coverage, or `--no-target-coverage`.
   */
  readonly targetEdges?: number;
  readonly corpus: {
    readonly dir?: string;
    readonly base: number;
    /** The base corpus's identity (its entries' names, weights and bytes): one run's shards share it. */
    readonly baseId?: string;
    readonly kept: number;
    readonly keptFiles: readonly { readonly caseIndex: number; readonly file: string }[];
    /** The --corpus directory as the run found it: readable entries, their bytes. */
    readonly found?: { readonly entries: number; readonly bytes: number };
    /** --corpus-max, when the directory held more (corpusNote.ts says it). */
    readonly capped?: CorpusCapped;
  };
  /**
   * Per function, the model's branches reached (base corpus and cases; docs/fuzzing.md,
   * "What was reached"). Absent from older reports.
   */
  readonly reached?: ReachedTable;
  /** VideoPort functions no call reached, --disable'd ones left out (absent from older reports). */
  readonly unreached?: readonly string[];
  /** [coverage key, first case that reached it] for every key the base did not reach. */
  readonly newCoverage: readonly (readonly [number, number])[];
  /**
   * [edge id, first case that reached it] for every target edge the base's entries do not
   * record (with targetEdges).
   */
  readonly newTargetEdges?: readonly (readonly [number, number])[];
  readonly groups: readonly ReportGroup[];
  readonly findings: readonly ReportFinding[];
  /** Failing cases whose repro did not fail again on any re-run: not findings. */
  readonly unconfirmed: readonly Unconfirmed[];
  readonly violations: readonly {
    readonly kind: ViolationKind;
    readonly fn: string;
    readonly callIndex: number;
    readonly message: string;
    readonly trace: string;
    readonly reproCalls: number;
    readonly signature: string;
    /**
     * The parameter or field concerned, as a replayed violation's `field` (the first of the
     * finding's violationsAtCall); absent when it names none, and from older reports.
     */
    readonly field?: string;
    /** As a replayed violation's `rule` and `stricter` (the first of violationsAtCall). */
    readonly rule?: string;
    readonly stricter?: string;
  }[];
  readonly interrupted: boolean;
  readonly stoppedBy: string;
  /**
   * Why minimization ended before every finding was minimized: "time" (--minimize-time
   * spent) or "signal"; absent when it ran to its end. The rest are reported unminimized.
   */
  readonly minimizeStoppedBy?: 'time' | 'signal';
  readonly setupError?: string;
  /**
   * vpdma itself failed part way (a bug; its stack went to stderr, exit 3): the report holds
   * what was gathered before (counts, corpus entries kept, findings written); `stoppedBy` is
   * "harness" when it failed in the campaign (harnessFailed). Absent otherwise.
   */
  readonly harnessError?: string;
  readonly warnings: readonly string[];
  /**
   * What the target left unchecked (`warnings` says it, docs/checks.md): a case's target had
   * no state(), and the lowest case whose touched() named memory in nothing it returned, with
   * how many cases did. What merge sums a night's shards by. Absent: none, and older reports.
   */
  readonly unchecked?: Pick<CampaignResult, 'noState' | 'stray'>;
  readonly timing: {
    /** Worker threads asked for (--workers). */
    readonly workers: number;
    /**
     * Worker threads that started: fewer (0) when the campaign ended before it needed them
     * and ran in the main thread alone (docs/fuzzing.md). In a merged report, the shards'
     * sum, as `workers` is (absent when a shard's report lacks it: older ones).
     */
    readonly workersStarted?: number;
    readonly fuzzMs: number;
    readonly minimizeMs: number;
    /** Reading the --corpus directory and building the base from it, before the first case. */
    readonly loadMs?: number;
    readonly wallMs: number;
    readonly casesPerSecond: number;
    readonly callsPerSecond: number;
  };
}

/** A finding as DESIGN.md's violations array lists it. */
export type FindingViolation = FuzzReport['violations'][number];

export function violationsOf(
  findings: readonly (FindingViolation & Pick<FindingBase, 'violationsAtCall'>)[],
): FindingViolation[] {
  return findings.map((f) => {
    const lead = f.violationsAtCall?.[0];
    const field = lead?.field;
    return {
      kind: f.kind,
      fn: f.fn,
      callIndex: f.callIndex,
      message: f.message,
      trace: f.trace,
      reproCalls: f.reproCalls,
      signature: f.signature,
      ...(field === undefined ? {} : { field }),
      ...(lead?.rule === undefined ? {} : { rule: lead.rule }),
      ...(lead?.stricter === undefined ? {} : { stricter: lead.stricter }),
    };
  });
}

/** What the report says that the campaign's result does not. */
export type ReportMeta = RunIdentity &
  Required<Pick<RunIdentity, 'buildRevision'>> &
  Pick<
    FuzzReport,
    | 'shard'
    | 'budget'
    | 'callsMax'
    | 'rounds'
    | 'timeoutMs'
    | 'disabled'
    | 'workerHeapMb'
    | 'rssLimitMb'
    | 'corpusMax'
    | 'interrupted'
    | 'warnings'
  > &
  Required<Pick<FuzzReport, 'reprosPerKind' | 'attemptsMax'>> & {
    readonly corpusDir?: string;
    /** The --corpus directory as read, and how long reading it took. */
    readonly corpusFound?: {
      readonly entries: number;
      readonly bytes: number;
      readonly readMs: number;
    };
    readonly workers: number;
    readonly wallMs: number;
  };

export function buildFuzzReport(r: FuzzRunResult, m: ReportMeta): FuzzReport {
  const c = r.campaign;
  const secs = Math.max(r.fuzzMs / 1000, 1e-3);
  return {
    schema: 'vpdma-report',
    schemaVersion: 1,
    command: 'fuzz',
    seed: m.seed,
    vpdmaVersion: m.vpdmaVersion,
    modelRevision: m.modelRevision,
    buildRevision: m.buildRevision,
    target: m.target,
    profile: m.profile,
    shard: m.shard,
    budget: m.budget,
    callsMax: m.callsMax,
    ...(m.rounds === undefined ? {} : { rounds: m.rounds }),
    ...(m.corpusMax === undefined ? {} : { corpusMax: m.corpusMax }),
    ...(m.timeoutMs === undefined ? {} : { timeoutMs: m.timeoutMs }),
    reprosPerKind: m.reprosPerKind,
    attemptsMax: m.attemptsMax,
    ...(m.disabled === undefined ? {} : { disabled: m.disabled }),
    ...(m.workerHeapMb === undefined ? {} : { workerHeapMb: m.workerHeapMb }),
    ...(m.rssLimitMb === undefined ? {} : { rssLimitMb: m.rssLimitMb }),
    summary: fuzzSummaryOf({
      cases: c.cases,
      calls: c.calls,
      findings: r.findings,
      unconfirmed: r.unconfirmed,
      corpus: { kept: r.keptFiles.length },
    }),
    cases: c.cases,
    runsEquivalent: c.runsEquivalent,
    calls: c.calls,
    coverage: c.coverage,
    branches: branchCount(r.reached),
    ...(c.edgesFirstSeen === undefined
      ? {}
      : { targetEdges: (c.baseEdges ?? 0) + c.edgesFirstSeen.size }),
    corpus: {
      ...(m.corpusDir === undefined ? {} : { dir: m.corpusDir }),
      base: r.baseSize,
      baseId: r.baseId,
      kept: r.keptFiles.length,
      keptFiles: r.keptFiles,
      ...(m.corpusFound === undefined
        ? {}
        : { found: { entries: m.corpusFound.entries, bytes: m.corpusFound.bytes } }),
      ...(r.capped === undefined ? {} : { capped: cappedOf(r.capped) }),
    },
    reached: r.reached,
    unreached: unreached(r.reached, m.disabled),
    newCoverage: [...c.firstSeen].sort((a, b) => a[0] - b[0]),
    ...(c.edgesFirstSeen === undefined
      ? {}
      : { newTargetEdges: [...c.edgesFirstSeen].sort((a, b) => a[0] - b[0]) }),
    groups: r.groups,
    findings: r.findings,
    unconfirmed: r.unconfirmed,
    violations: violationsOf(r.findings),
    interrupted: m.interrupted,
    stoppedBy: c.stoppedBy,
    ...(r.minimizeStoppedBy === undefined ? {} : { minimizeStoppedBy: r.minimizeStoppedBy }),
    ...(c.setupError === undefined ? {} : { setupError: c.setupError }),
    warnings: m.warnings,
    ...uncheckedOf(c),
    timing: {
      workers: m.workers,
      workersStarted: r.workersStarted,
      fuzzMs: Math.round(r.fuzzMs),
      minimizeMs: Math.round(r.minimizeMs),
      loadMs: Math.round(r.baseMs + (m.corpusFound?.readMs ?? 0)),
      wallMs: Math.round(m.wallMs),
      casesPerSecond: Math.round(c.cases / secs),
      callsPerSecond: Math.round(c.calls / secs),
    },
  };
}

/** FuzzReport.unchecked of a campaign, when its target left anything unchecked. */
export function uncheckedOf(
  c: Pick<CampaignResult, 'noState' | 'stray'>,
): Pick<FuzzReport, 'unchecked'> {
  if (c.noState !== true && c.stray === undefined) return {};
  return {
    unchecked: {
      ...(c.noState === true ? { noState: true as const } : {}),
      ...(c.stray === undefined ? {} : { stray: c.stray }),
    },
  };
}

// A report cut short (by a target that cannot start, or vpdma's own fault): fuzzReportCut.ts.
export { harnessFailed, setupFailed } from './fuzzReportCut.js';

// The text summaries' parts live in fuzzSummary.ts; re-exported for the callers here.
export { fuzzSummaryOf, type FuzzSummary };
export {
  ALSO_AT_CALL_SHOWN,
  alsoAtCallLines,
  formatFuzzSummary,
  rerunHint,
  rerunOptions,
  threads,
} from './fuzzSummary.js';
