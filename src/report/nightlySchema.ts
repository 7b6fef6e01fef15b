// The nightly report (report.json of `vpdma nightly`, schema version 1): one run's replay of
// the corpus, fuzz campaign, minimized findings and the history verdict on each. JUnit, SARIF
// and HTML are all rendered from this one object.
import type { FindingBase, FuzzReport } from '../fuzz/fuzzReport.js';
import type { ReachedTable } from '../fuzz/reached.js';
import type { RunIdentity } from '../replay/runIdentity.js';
import type { ReplaySummary, ReportViolation, TraceEntry } from './replayReport.js';

export type FindingStatus = 'new' | 'open' | 'regressed';

/** A minimized finding (FindingBase's fields), its `trace` relative to the report's directory. */
export interface Finding extends FindingBase {
  readonly kind: string;
  /** From --history: first seen this run, seen before, or seen before, fixed, and back. */
  readonly status: FindingStatus;
  readonly firstSeen?: string;
  readonly timesSeen?: number;
  /**
   * `--known`: its signature is a known one: listed and written, but not counted by --fail-on,
   * and never in --history (status stays `new`). Absent otherwise.
   */
  readonly known?: true;
}

/** A history bucket that used to fail and did not show up this run. */
export interface FixedFinding {
  readonly signature: string;
  readonly kind: string;
  readonly fn: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly fixedSince: string;
}

/**
 * A bucket of the target still open that nothing showed this run (no finding, no replayed
 * trace failing with it) and that the run did not mark fixed: say, its repro passed, but a
 * trace that failed with it once fails first with another bug now. Listed every run it stays
 * so, so a dashboard keeps its test case.
 */
export interface StillOpen {
  readonly signature: string;
  readonly kind: string;
  readonly fn: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /**
   * Its traces (as the history names them) that did not pass and could still show it
   * (historyShows.ts), each with what it failed with first now.
   */
  readonly waitingFor: readonly { readonly trace: string; readonly now?: string }[];
  /** Why it is still open, for people: "not seen tonight; its repro passed; still open while ...". */
  readonly why: string;
}

/**
 * An earlier finding, fixed before, that a replayed trace showed again though this run's
 * fuzzer did not find it: its repro in OUT/findings failed the same way, or a --replay trace
 * (a committed copy of the repro, say) failed first with its signature. Regressed.
 */
export interface RegressedByReplay {
  readonly signature: string;
  readonly kind: string;
  readonly fn: string;
  /** The trace that showed it, as the corpus entries name it. */
  readonly trace: string;
  readonly firstSeen: string;
  /** Since when it had been fixed (absent when the run is applied to the history again). */
  readonly fixedSince?: string;
}

/**
 * An earlier finding's repro (OUT/findings/<signature>/) that failed, but not the way its
 * finding did: the finding is neither seen nor fixed by it, and what the repro fails with now
 * is a failure of its own, with its status (new when no finding or bucket has it).
 */
export interface ReproChanged {
  readonly signature: string;
  readonly trace: string;
  readonly now: {
    readonly signature: string;
    readonly kind: string;
    readonly fn: string;
    readonly callIndex: number;
    readonly message: string;
    readonly status: FindingStatus;
    /** `--known`: its signature is a known one (not counted by --fail-on). */
    readonly known?: true;
  };
}

/**
 * A damaged --history file the run was told to recover (--history-recover): what was wrong
 * with it, where its bytes were kept, and what the run started from instead. Paths as given.
 */
export interface HistoryRecovered {
  /** The --history file. */
  readonly file: string;
  /** What was wrong with it, and where in it (as the refusal without the flag says). */
  readonly reason: string;
  /** Its bytes, kept beside it: FILE.damaged-<UTC time>. The run's history replaced FILE. */
  readonly keptAs: string;
  /** FILE.prev (its previous version, which every write keeps), or "empty" when that did not read. */
  readonly from: string;
  /** With `from` FILE.prev: when it was written (its modification time, ISO). */
  readonly prevWritten?: string;
  /** With `from` "empty": why FILE.prev was not used (missing, empty, or what is wrong). */
  readonly prevUnusable?: string;
  /**
   * Older FILE.damaged-<UTC time> copies deleted, so that only the newest 3 (keptAs among them)
   * stay; absent when none was.
   */
  readonly olderDeleted?: readonly string[];
}

/**
 * A failing replayed trace (its target started) as --history judges it, as a finding is judged:
 * by the signature of its first violation (an earlier finding's repro failing the way its
 * finding did: by that finding's), new without --history or when no bucket had it, open when
 * one did, regressed when that one was fixed. On its entry in `corpus.traces`.
 */
export interface TraceVerdict {
  readonly signature: string;
  readonly status: FindingStatus;
}

/** One point of the fuzz campaign's time series (for the HTML plots). */
export interface SamplePoint {
  /** Seconds since the fuzz phase started. */
  readonly t: number;
  readonly cases: number;
  readonly calls: number;
  readonly coverage: number;
  /** Model branches reached by then (absent: older). */
  readonly branches?: number;
  readonly casesPerSecond: number;
  readonly callsPerSecond: number;
}

export interface PhaseTiming {
  readonly replayMs: number;
  readonly fuzzMs: number;
  readonly minimizeMs: number;
  readonly reportMs: number;
}

/** A trace phase 1 did not replay: --budget-replay ran out before it. */
export interface NotReplayed {
  readonly trace: string;
  /** An earlier finding's regression repro (OUT/findings): the night did not check it. */
  readonly regression?: true;
}

/**
 * A failing corpus trace the night minimized: for each kind and function of a corpus trace's
 * first violation, the shortest trace failing so (src/cli/corpusMinimizePlan.ts), shrunk as
 * `vpdma minimize` shrinks it, within what --minimize-time left after the findings.
 */
export interface CorpusRepro {
  /** `kind/function` of the first violation it keeps (its directory; not a finding signature). */
  readonly signature: string;
  /**
   * The finding signature (fuzz/findings.ts signatureOf) of the violation it keeps: the key
   * violations[].signature, findings[].signature and --history use (docs/report-json.md).
   * Absent from older reports.
   */
  readonly violationSignature?: string;
  readonly kind: string;
  readonly fn: string;
  /** The corpus trace it was minimized from, as replayed, and how many calls that replayed. */
  readonly from: string;
  readonly fromCalls: number;
  /** The repro's failing call (its last when it did not fail again) and its message. */
  readonly callIndex: number;
  readonly message: string;
  readonly reproCalls: number;
  /** Its repro.jsonl, relative to the report's directory (repro.txt and repro.vpt beside it). */
  readonly trace: string;
  readonly reproText: string;
  /** It failed the same way when replayed once more (false: a flaky target?). */
  readonly reproduced: boolean;
  /** Cut short (the attempt cap, or --minimize-time): it fails, but may not be 1-minimal. */
  readonly exhausted: boolean;
  /** `vpdma replay REPRO ... --explain`, its path as the run printed it. */
  readonly command: string;
}

/** A killed shard's original of one bug: `files` (.vpt first) relative to the report's directory. */
export interface KilledShardOriginal {
  readonly signature: string;
  readonly shard: string;
  readonly files: readonly string[];
  /** The minimized repro the shard had written of it (repro-shard-K-of-N.jsonl), if any. */
  readonly repro?: string;
}

export interface NightlyReport extends RunIdentity {
  readonly schema: 'vpdma-report';
  readonly schemaVersion: 1;
  readonly command: 'nightly' | 'merge';
  /** "K/N" when sharded; merged reports list the shards they combine. */
  readonly shard?: string;
  readonly shards?: readonly string[];
  /**
   * ISO time the run started. One of the clock readings that differ run to run with the same
   * seed and options: `timing` (and `fuzzDetail.timing`), `startedAt` and `fuzz.series`
   * (docs/nightly.md).
   */
  readonly startedAt: string;
  /**
   * The reports cover only part of the run: Ctrl-C or SIGTERM stopped it, or (merge) a shard was
   * interrupted or missing (`shardsMissing` names those; kept true then for the scripts and the
   * history that read it as "incomplete").
   */
  readonly interrupted: boolean;
  /** Merge: the shards of the run not given ("K/N", in order); absent when every one was. */
  readonly shardsMissing?: readonly string[];
  /**
   * Merge with shards missing: a signal also stopped the merge itself (its corpus copy), which
   * `interrupted`, true for the missing shards already, cannot say. Absent otherwise.
   */
  readonly mergeInterrupted?: true;
  /** Merge: the originals of shards killed before their reports, copied into findings/. */
  readonly killedShardOriginals?: readonly KilledShardOriginal[];
  /**
   * vpdma itself failed part way (a bug; exit 3), as fuzzDetail.harnessError says: the report
   * holds what came before it, and the night is incomplete in --history. Absent otherwise.
   */
  readonly harnessError?: string;
  /** Absent unless --history-recover replaced a damaged --history file (never silently). */
  readonly historyRecovered?: HistoryRecovered;
  /**
   * The --fail-on the run was given (absent from older reports): junit.xml shows as failures
   * what fails the run under it (nightlyJunit.ts).
   */
  readonly failOn?: 'new' | 'any' | 'none';
  /** --known's arguments, as given (absent without it, and in older reports). */
  readonly knownFrom?: readonly string[];
  readonly corpus: {
    readonly summary: ReplaySummary;
    readonly traces: readonly TraceEntry[];
    readonly violations: readonly ReportViolation[];
    /** --budget-replay as given (absent without one). */
    readonly budgetReplay?: string;
    /**
     * The traces --budget-replay left unreplayed, in the order they would have run
     * (regressions first); absent when every trace was replayed. `summary.notReplayed` counts
     * them. Under --fail-on any, an earlier finding's repro among them fails the night (exit 1).
     */
    readonly notReplayed?: readonly NotReplayed[];
    /** The failing corpus traces the night minimized, in replay order (absent: none). */
    readonly repros?: readonly CorpusRepro[];
    /**
     * Why minimizing the failing corpus traces stopped before each was done: --minimize-time
     * spent (`time`, the findings' minimization first), or a signal. Absent when it did not.
     */
    readonly minimizeStoppedBy?: 'time' | 'signal';
    /**
     * With minimizeStoppedBy: how many failing traces it was to minimize the stop left
     * unminimized, keeping their command; 0 when it cut short the last one only (its repro is
     * `exhausted`). Absent in reports from before it was kept.
     */
    readonly minimizeLeft?: number;
    /**
     * What the target left unchecked in the replay, as replay's report says it (`warnings`;
     * the fuzz phase's are fuzzDetail's). Absent: nothing, and in older reports.
     */
    readonly warnings?: readonly string[];
  };
  readonly fuzz: {
    readonly cases: number;
    readonly calls: number;
    readonly coverage: number;
    /** Model branches reached, as fuzz's `branches`: they level off, keys do not (absent: older). */
    readonly branches?: number;
    /**
     * The target's own edges the cases reached (docs/fuzzing.md, "Target coverage"); absent
     * when the target was never asked (it offers no coverage, or --no-target-coverage).
     */
    readonly targetEdges?: number;
    readonly corpusSize: number;
    readonly newCorpusEntries: number;
    /** Per function, the branches and live states reached (docs/fuzzing.md); absent from older reports. */
    readonly reached?: ReachedTable;
    /** VideoPort functions no call reached, --disable'd ones left out. */
    readonly unreached?: readonly string[];
    /**
     * Sampled by the clock (seconds, rates, and how many points depend on the machine's speed):
     * like `timing`, not the same from one run to the next.
     */
    readonly series: readonly SamplePoint[];
  };
  readonly findings: readonly Finding[];
  readonly fixed: readonly FixedFinding[];
  /**
   * Signatures of earlier findings (OUT/findings/<signature>/) whose regression repro failed
   * again in this run's corpus replay, sorted; those this run's fuzzer found too are findings.
   */
  readonly stillFailing: readonly string[];
  /** With --history: those of them fixed before, regressed (and --replay traces); absent if none. */
  readonly regressedByReplay?: readonly RegressedByReplay[];
  /** Earlier findings' repros that failed another way than their finding; absent if none. */
  readonly reprosChanged?: readonly ReproChanged[];
  /** With --history: the buckets still open that nothing showed this run; absent if none. */
  readonly stillOpen?: readonly StillOpen[];
  /** DESIGN.md's violations array: corpus violations, then one entry per finding. */
  readonly violations: readonly (ReportViolation & { reproCalls?: number; signature?: string })[];
  readonly timing: PhaseTiming & {
    readonly wallMs: number;
    readonly peakRssBytes: number;
    readonly workers: number;
    /**
     * The fuzz phase's start-up: reading the corpus and building the base (before the --time
     * clock; fuzzDetail.timing.loadMs), then until the first cases came back (firstCasesMs:
     * worker threads starting, the target set up; on the --time clock). Absent from older
     * reports, and firstCasesMs when no case came back.
     */
    readonly fuzzStartupMs?: number;
    readonly firstCasesMs?: number;
  };
}

/**
 * A nightly report as junit.xml, results.sarif and report.html read it: with what they need of
 * the fuzz phase's own report when there is one (nightlyBuild.ts NightlyReportWithDetail): why
 * the target could not be set up, and the functions --disable kept out of the run.
 */
export type NightlyRendered = NightlyReport & {
  readonly fuzzDetail?: Partial<
    Pick<
      FuzzReport,
      | 'setupError'
      | 'disabled'
      | 'budget'
      | 'runsEquivalent'
      | 'callsMax'
      | 'rounds'
      | 'timeoutMs'
      | 'workerHeapMb'
      | 'rssLimitMb'
    >
  > & { readonly corpus?: { readonly baseId?: string } };
};

/** The fuzz budget as options: `--runs N` or `--time D`, and `--minimize-time D` when given. */
function budgetText(b: FuzzReport['budget']): string {
  return [
    ...(b.runs === undefined ? [] : [`--runs ${b.runs}`]),
    ...(b.time === undefined ? [] : [`--time ${b.time}`]),
    ...(b.minimizeTime === undefined ? [] : [`--minimize-time ${b.minimizeTime}`]),
  ].join(' ');
}

/**
 * What re-running the night's fuzz phase needs beside the seed, target, profile and shard, as
 * [name, value] (JUnit and SARIF properties, the HTML Run table): the budget, runsEquivalent
 * (the --runs that runs the same cases), callsMax, rounds when --rounds was given, timeoutMs,
 * the base corpus's baseId and workerHeapMb when --worker-heap-mb was given, rssLimitMb for a
 * process: target. Only those the report has (a merge of older reports may lack some).
 */
export function rerunFacts(r: NightlyRendered): [string, string][] {
  const d = r.fuzzDetail;
  if (d === undefined) return [];
  const facts: [string, string][] = [];
  if (d.budget !== undefined) facts.push(['budget', budgetText(d.budget)]);
  if (d.runsEquivalent !== undefined) facts.push(['runsEquivalent', String(d.runsEquivalent)]);
  if (d.callsMax !== undefined) facts.push(['callsMax', String(d.callsMax)]);
  if (d.rounds !== undefined) facts.push(['rounds', String(d.rounds)]);
  if (d.timeoutMs !== undefined) facts.push(['timeoutMs', String(d.timeoutMs)]);
  if (d.workerHeapMb !== undefined) facts.push(['workerHeapMb', String(d.workerHeapMb)]);
  if (d.rssLimitMb !== undefined) facts.push(['rssLimitMb', String(d.rssLimitMb)]);
  if (d.corpus?.baseId !== undefined) facts.push(['baseId', d.corpus.baseId]);
  return facts;
}

/** The run's --disable'd functions (none: an empty list). */
export function disabledOf(r: NightlyRendered): readonly string[] {
  return r.fuzzDetail?.disabled ?? [];
}

/**
 * Why a report marked interrupted covers only part of the run, as JUnit, SARIF and HTML say it:
 * a merge given fewer shards names the missing ones; else the run was stopped.
 */
export function incompleteText(
  r: Pick<NightlyReport, 'shardsMissing' | 'mergeInterrupted'>,
): string {
  const missing = r.shardsMissing ?? [];
  if (missing.length === 0) return 'interrupted: the reports cover what finished before it';
  if (r.mergeInterrupted === true)
    return `interrupted, and ${shardsText(missing)} missing: the reports cover the shards given and the corpus entries copied before the signal`;
  return `${shardsText(missing)} missing: the reports cover the shards given`;
}

/** `shard 2/3`, `shards 2/3, 3/3`. */
export function shardsText(shards: readonly string[]): string {
  return `${shards.length > 1 ? 'shards' : 'shard'} ${shards.join(', ')}`;
}
