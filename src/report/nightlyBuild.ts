// Assembling the nightly report from its phases: the corpus replay, the fuzz campaign (whose
// own report rides along in `fuzzDetail`, so shards can be merged later) and the history
// verdict. Pure: paths come in relative to the report's directory.
import {
  violationsOf,
  type FindingViolation,
  type FuzzReport,
  type ReportFinding,
} from '../fuzz/fuzzReport.js';
import type { ItemResult } from '../replay/protocol.js';
import type { RunIdentity } from '../replay/runIdentity.js';
import type {
  Finding,
  FixedFinding,
  NightlyReport,
  NotReplayed,
  RegressedByReplay,
  ReproChanged,
  StillOpen,
  SamplePoint,
  TraceVerdict,
} from './nightlySchema.js';
import {
  reportViolations,
  summarize,
  traceEntry,
  withTraceId,
  type ReportViolation,
  type TraceEntry,
} from './replayReport.js';
import { plural } from '../core/plural.js';
import { knownFindings, markKnown, type KnownSignatures } from './knownViolations.js';

/** What the report says about the run itself, beside its phases' results. */
export type NightlyMeta = RunIdentity &
  Pick<
    NightlyReport,
    | 'command'
    | 'shard'
    | 'shards'
    | 'startedAt'
    | 'interrupted'
    | 'shardsMissing'
    | 'mergeInterrupted'
    | 'killedShardOriginals'
    | 'historyRecovered'
    | 'failOn'
    | 'timing'
  >;

/**
 * A fuzz finding as the nightly report shows it; `trace` relative to the report directory (key
 * set tested: cli/findingRecords.test.ts).
 */
export function nightlyFinding(f: ReportFinding, relative: (path: string) => string): Finding {
  return {
    signature: f.signature,
    kind: f.kind,
    fn: f.fn,
    callIndex: f.callIndex,
    message: f.message,
    ...(f.title === undefined ? {} : { title: f.title }),
    ...(f.violationsAtCall === undefined ? {} : { violationsAtCall: f.violationsAtCall }),
    reproCalls: f.reproCalls,
    originalCalls: f.originalCalls,
    trace: relative(f.trace),
    reproText: f.reproText,
    seed: f.seed,
    caseIndex: f.caseIndex,
    reproduced: f.reproduced,
    command: f.command,
    ...(f.kept === true ? { kept: true as const } : {}),
    ...(f.notMinimized === undefined ? {} : { notMinimized: f.notMinimized }),
    status: 'new',
  };
}

export interface NightlyParts {
  readonly meta: NightlyMeta;
  readonly corpus: readonly ItemResult[];
  readonly fuzz: FuzzReport;
  readonly series: readonly SamplePoint[];
  readonly findings: readonly Finding[];
  readonly fixed: readonly FixedFinding[];
  readonly stillFailing: readonly string[];
  readonly regressedByReplay?: readonly RegressedByReplay[];
  readonly reprosChanged?: readonly ReproChanged[];
  readonly stillOpen?: readonly StillOpen[];
  /** --budget-replay as given, and the traces it left unreplayed (none: an empty list). */
  readonly budgetReplay?: string;
  readonly notReplayed?: readonly NotReplayed[];
  /** The failing corpus traces this night minimized, and why it stopped early if it did. */
  readonly corpusRepros?: Pick<
    NightlyReport['corpus'],
    'repros' | 'minimizeStoppedBy' | 'minimizeLeft'
  >;
  /** The corpus traces (labels) that are minimized repros already (TraceEntry.minimizedRepro). */
  readonly minimizedRepros?: ReadonlySet<string>;
  /** The line of a corpus violation's call in its trace file (undefined: none, as a .vpt). */
  readonly lineOf?: (v: ReportViolation) => number | undefined;
  /** A corpus trace's traceId (cli/historyTraceName.ts traceIdOf); absent: none recorded. */
  readonly traceIdOf?: (trace: string) => string;
  /** --history's verdict on a failing corpus trace (by its label), as TraceEntry has it. */
  readonly verdictOf?: (trace: string) => TraceVerdict | undefined;
  /** --known's signatures: the violations and findings that have one are marked `known`. */
  readonly known?: KnownSignatures | undefined;
  /** What the target left unchecked in the corpus replay (cli/targetWarnings.ts; none: []). */
  readonly corpusWarnings?: readonly string[];
}

/** The warning a night whose --budget-replay ran out carries in fuzzDetail.warnings. */
export function notReplayedWarning(budget: string, skipped: readonly NotReplayed[]): string {
  const repros = skipped.filter((t) => t.regression === true).length;
  const of = repros === 0 ? '' : `, ${repros} of them earlier findings' repros (not checked)`;
  return `--budget-replay ${budget} reached: ${plural(skipped.length, 'corpus trace')} not replayed${of}`;
}

export type NightlyReportWithDetail = NightlyReport & { readonly fuzzDetail: FuzzReport };

export function buildNightlyReport(p: NightlyParts): NightlyReportWithDetail {
  const entries = p.corpus.map((r) => {
    const entry = traceEntry(r);
    const e = p.traceIdOf === undefined ? entry : withTraceId(entry, p.traceIdOf(entry.trace));
    const minimal =
      p.minimizedRepros?.has(e.trace) === true ? { ...e, minimizedRepro: true as const } : e;
    return withVerdict(minimal, p.verdictOf);
  });
  const corpusViolations = markKnown(
    reportViolations(p.corpus).map((v) => {
      const line = p.lineOf?.(v);
      return line === undefined ? v : { ...v, line };
    }),
    p.known,
  );
  const marked = knownFindings(p, p.known);
  const m = p.meta;
  const skipped = p.notReplayed ?? [];
  const summary = withKnownCount(summarize(entries, corpusViolations), corpusViolations, p.known);
  const repros = p.corpusRepros?.repros ?? [];
  const stoppedBy = p.corpusRepros?.minimizeStoppedBy;
  const left = p.corpusRepros?.minimizeLeft;
  const fuzz =
    skipped.length === 0 || p.budgetReplay === undefined
      ? p.fuzz
      : { ...p.fuzz, warnings: [...p.fuzz.warnings, notReplayedWarning(p.budgetReplay, skipped)] };
  return {
    schema: 'vpdma-report',
    schemaVersion: 1,
    command: m.command,
    seed: m.seed,
    vpdmaVersion: m.vpdmaVersion,
    modelRevision: m.modelRevision,
    ...(m.buildRevision === undefined ? {} : { buildRevision: m.buildRevision }),
    target: m.target,
    profile: m.profile,
    ...(m.shard === undefined ? {} : { shard: m.shard }),
    ...(m.shards === undefined ? {} : { shards: m.shards }),
    startedAt: m.startedAt,
    interrupted: m.interrupted,
    ...(m.shardsMissing === undefined || m.shardsMissing.length === 0
      ? {}
      : { shardsMissing: m.shardsMissing }),
    ...(m.mergeInterrupted === true && (m.shardsMissing ?? []).length > 0
      ? { mergeInterrupted: true as const }
      : {}),
    ...(m.killedShardOriginals === undefined || m.killedShardOriginals.length === 0
      ? {}
      : { killedShardOriginals: m.killedShardOriginals }),
    ...(p.fuzz.harnessError === undefined ? {} : { harnessError: p.fuzz.harnessError }),
    ...(m.historyRecovered === undefined ? {} : { historyRecovered: m.historyRecovered }),
    ...(m.failOn === undefined ? {} : { failOn: m.failOn }),
    ...(p.known === undefined ? {} : { knownFrom: p.known.from }),
    corpus: {
      summary: skipped.length === 0 ? summary : { ...summary, notReplayed: skipped.length },
      traces: entries,
      violations: corpusViolations,
      ...(p.budgetReplay === undefined ? {} : { budgetReplay: p.budgetReplay }),
      ...(skipped.length === 0 ? {} : { notReplayed: skipped }),
      ...(repros.length === 0 ? {} : { repros }),
      ...(stoppedBy === undefined ? {} : { minimizeStoppedBy: stoppedBy }),
      ...(stoppedBy === undefined || left === undefined ? {} : { minimizeLeft: left }),
      ...(p.corpusWarnings === undefined || p.corpusWarnings.length === 0
        ? {}
        : { warnings: p.corpusWarnings }),
    },
    fuzz: {
      cases: p.fuzz.cases,
      calls: p.fuzz.calls,
      coverage: p.fuzz.coverage,
      ...(p.fuzz.branches === undefined ? {} : { branches: p.fuzz.branches }),
      ...(p.fuzz.targetEdges === undefined ? {} : { targetEdges: p.fuzz.targetEdges }),
      corpusSize: p.fuzz.corpus.base + p.fuzz.corpus.kept,
      newCorpusEntries: p.fuzz.corpus.kept,
      ...(p.fuzz.reached === undefined ? {} : { reached: p.fuzz.reached }),
      ...(p.fuzz.unreached === undefined ? {} : { unreached: p.fuzz.unreached }),
      series: p.series,
    },
    findings: marked.findings,
    fixed: p.fixed,
    stillFailing: p.stillFailing,
    ...(p.regressedByReplay === undefined || p.regressedByReplay.length === 0
      ? {}
      : { regressedByReplay: p.regressedByReplay }),
    ...(marked.reprosChanged.length === 0 ? {} : { reprosChanged: marked.reprosChanged }),
    ...(p.stillOpen === undefined || p.stillOpen.length === 0 ? {} : { stillOpen: p.stillOpen }),
    violations: nightlyViolations(corpusViolations, marked.findings),
    timing: m.timing,
    fuzzDetail: fuzz,
  };
}

/** A corpus entry with --history's verdict on it, when it failed and its target started. */
export function withVerdict(
  e: TraceEntry,
  verdictOf: ((trace: string) => TraceVerdict | undefined) | undefined,
): TraceEntry {
  const v = e.notStarted === true ? undefined : verdictOf?.(e.trace);
  return v === undefined ? e : { ...e, signature: v.signature, status: v.status };
}

/** DESIGN.md's violations array: the corpus's violations, then one entry per finding. */
export function nightlyViolations(
  corpus: readonly ReportViolation[],
  findings: readonly Finding[],
): NightlyReport['violations'] {
  // A nightly finding's kind is a string in the schema; every one came from a ReportFinding.
  const own = violationsOf(findings as readonly (FindingViolation & Finding)[]);
  // A known finding's entry is marked known, as the finding is.
  return [
    ...corpus,
    ...own.map((v, i) => (findings[i]?.known === true ? { ...v, known: true as const } : v)),
  ];
}

/** The corpus summary with `known` (the violations listed as known) under --known. */
export function withKnownCount<S extends object>(
  summary: S,
  violations: readonly ReportViolation[],
  known: KnownSignatures | undefined,
): S & { known?: number } {
  if (known === undefined) return summary;
  return { ...summary, known: violations.filter((v) => v.known === true).length };
}
