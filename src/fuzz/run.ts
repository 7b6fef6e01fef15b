// One `vpdma fuzz` run, as orchestration over injected I/O: build the base corpus, run the
// campaign in the fuzz pool (kept cases to the corpus as they come), then minimize, re-run
// and write every new finding, and assemble the report. The CLI supplies files, pools, the
// minimizer and the clock; nothing here touches the file system.
import { reachedTable, type ReachedTable } from './reached.js';
import { notStarted } from '../replay/violation.js';
import type { Executor } from '../replay/executor.js';
import type { Trace } from '../trace/trace.js';
import type { Violation } from '../replay/violation.js';
import { buildBase, type BaseCap, type Capped, type NamedTrace } from './base.js';
import { runCampaign, type CampaignProgress, type CampaignResult, type Shard } from './campaign.js';
import { generateCase, type CaseContext } from './caseGen.js';
import { withEdges } from './edgeMeta.js';
import type { FuzzExecutor } from './executor.js';
import { groupFailures, type FuzzFinding, type Minimized } from './findings.js';
import type { ReportFinding, ReportGroup } from './fuzzReport.js';
import type { CaseResult, FuzzSettings } from './protocol.js';
import { findingsPhase, type MinimizeStop } from './findingsPhase.js';
import { Rounds } from './rounds.js';

export interface FuzzRunOptions {
  readonly settings: FuzzSettings;
  readonly base: readonly NamedTrace[];
  /** `--corpus-max`: the base's --corpus entries beyond it are left out, and io.drop deletes them. */
  readonly cap?: BaseCap;
  readonly shard: Shard;
  readonly runs?: number;
  readonly timeMs?: number;
  /**
   * --rounds: cases per round; each round's cases mutate the cases kept in the earlier ones
   * too (rounds.ts). Absent: kept cases are only written, for the next run.
   */
  readonly rounds?: number;
  readonly workers: number;
  /** Lowest-indexed failing cases minimized per (kind, function) group. */
  readonly perGroup: number;
  readonly attemptsMax: number;
  /**
   * Minimization's time budget (from the end of fuzzing); past it the findings left are
   * reported unminimized. Unbounded without it.
   */
  readonly minimizeTimeMs?: number;
  /**
   * By signature, findings an earlier run left whose repro still fails: a case whose first
   * violation has one of these signatures is not minimized, and the finding is reported as it
   * is here (`kept`); its files are not rewritten.
   */
  readonly known?: ReadonlyMap<string, ReportFinding>;
  /**
   * Signatures set aside as known (`nightly --known`): a case whose violations all have one is
   * not minimized, and the others are judged by their first violation not known
   * (findings.ts FindingDeps.known).
   */
  readonly knownSignatures?: ReadonlySet<string>;
  /** Stop fuzzing at the case that makes this many failing cases. */
  readonly failuresMax?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export type MinimizeFn = (
  trace: Trace,
  stillFails: (candidates: readonly Trace[]) => Promise<boolean[]>,
  options: {
    attemptsMax: number;
    failingIndex?: number;
    batchSize: number;
    signal?: AbortSignal;
  },
) => Promise<Minimized>;

export interface FuzzRunIo {
  fuzzExecutor(workers: number, target: string): FuzzExecutor;
  /**
   * Where candidate repros replay: an in-process target may replay in this thread, unless
   * the candidates hang (each then costs a timeout: better spread over the pool).
   */
  replayExecutor(workers: number, target: string, hangs: boolean): Executor;
  readonly minimize: MinimizeFn;
  /** Stores a kept case; resolves to its corpus file name. */
  keep(trace: Trace): Promise<string>;
  /** Deletes the corpus entries a cap left out of the base (before the campaign starts). */
  drop?(names: readonly string[]): Promise<void>;
  /** Writes a finding's files; resolves to its report entry. */
  writeFinding(f: FuzzFinding): Promise<ReportFinding>;
  /**
   * A group's first failing case as it ran, `v` its first violation, while the campaign goes
   * on: written at once, so a run killed before its end still leaves it (failures: warnings).
   */
  original?(trace: Trace, caseIndex: number, v: Violation): Promise<void>;
  /** Once every finding is written: the originals beside no finding of the run go. */
  originalsSettled?(findings: readonly ReportFinding[]): Promise<void>;
  progress?(p: CampaignProgress): void;
  /**
   * Fuzzing is done, the findings come next: what it gathered, so that a fault of vpdma's own
   * after it still has a report to say (cli/fuzzFault.ts).
   */
  fuzzed?(r: Fuzzed): void;
  /** Minimization's progress: at each case and each batch of candidates. */
  minimizing?(p: MinimizeStatus): void;
  log?(text: string): void;
  /** A problem the run survives (it goes into the report's warnings). */
  warn?(message: string): void;
}

export interface MinimizeStatus {
  /** Failing cases done, of `total` (the lowest-indexed per group). */
  readonly done: number;
  /** The case being minimized or re-run (1-based; 0 before the first). */
  readonly current: number;
  readonly total: number;
  /** Replays so far: candidates and re-runs. */
  readonly attempts: number;
}

export interface FuzzRunResult {
  readonly campaign: CampaignResult;
  readonly baseSize: number;
  /** The base corpus's identity (count, bytes and a hash of the names): shards must share it. */
  readonly baseId: string;
  /** What `cap` left out of the base (absent when the corpus was within it). */
  readonly capped?: Capped;
  /** Building the base: lifting and measuring every entry, packing it for the workers. */
  readonly baseMs: number;
  readonly keptFiles: readonly { readonly caseIndex: number; readonly file: string }[];
  /** The functions and model branches the base corpus and the cases reached (reached.ts). */
  readonly reached: ReachedTable;
  readonly groups: readonly ReportGroup[];
  readonly findings: readonly ReportFinding[];
  /** Failing cases whose repro never failed again when re-run (flaky, or a slow machine). */
  readonly unconfirmed: readonly Unconfirmed[];
  readonly fuzzMs: number;
  readonly minimizeMs: number;
  /** Minimization ended before every finding was minimized: its time budget, or a signal. */
  readonly minimizeStoppedBy?: MinimizeStop;
  /** Worker threads that were started for the campaign (0: it ran in this thread alone). */
  readonly workersStarted: number;
}

/** A run's result as fuzzing leaves it, before its findings are minimized and written. */
export type Fuzzed = Omit<
  FuzzRunResult,
  'groups' | 'findings' | 'unconfirmed' | 'minimizeMs' | 'minimizeStoppedBy'
>;

export interface Unconfirmed {
  readonly caseIndex: number;
  readonly kind: string;
  readonly fn: string;
  readonly message: string;
}

export function caseContext(
  s: FuzzSettings,
  base: CaseContext['base'],
  rounds?: Rounds,
): CaseContext {
  return {
    seed: s.seed,
    seedText: s.seedText,
    callsMax: s.callsMax,
    base,
    ...(rounds === undefined ? {} : { baseFor: (i: number) => rounds.entriesFor(i) }),
    ...(s.profile === undefined ? {} : { profile: s.profile }),
    ...(s.disabled === undefined ? {} : { disabled: new Set(s.disabled) }),
  };
}

/** A kept case as the corpus gets it: as generated, with its target edges (edgeMeta.ts). */
export function keptTrace(ctx: CaseContext, r: CaseResult): Trace {
  const made = generateCase(ctx, r.index, r.calls);
  return r.edges === undefined ? made : withEdges(made, r.edges);
}

async function fuzzPhase(
  o: FuzzRunOptions,
  io: FuzzRunIo,
  ctx: CaseContext,
  base: ReturnType<typeof buildBase>,
  rounds: Rounds | undefined,
) {
  const ex = io.fuzzExecutor(o.workers, o.settings.target);
  const kept: Promise<{ caseIndex: number; file: string } | undefined>[] = [];
  // A corpus write that fails (a full disk) loses that entry, not the run: the campaign,
  // its findings and the report go on. The first failure is a warning, the rest a count.
  let notKept = 0;
  const keep = (r: CaseResult): void => {
    const trace = keptTrace(ctx, r);
    rounds?.add(trace);
    kept.push(
      io.keep(trace).then(
        (file) => ({ caseIndex: r.index, file }),
        (e: unknown) => {
          if (notKept++ === 0) io.warn?.(`case ${r.index} not kept in the corpus: ${messageOf(e)}`);
          return undefined;
        },
      ),
    );
  };
  const originals: Promise<void>[] = [];
  let notWritten = 0;
  const original = (r: CaseResult): void => {
    const v = r.violations[0];
    if (io.original === undefined || v === undefined) return;
    const written = io.original(generateCase(ctx, r.index, r.calls), r.index, v);
    originals.push(
      written.catch((e: unknown) => {
        if (notWritten++ === 0)
          io.warn?.(`case ${r.index}'s original not written: ${messageOf(e)}`);
      }),
    );
  };
  try {
    const campaign = await runCampaign(ex, {
      settings: o.settings,
      base: base.shared,
      baseKeys: base.keys,
      baseReached: base.reached,
      baseEdges: base.edges,
      shard: o.shard,
      ...(o.runs === undefined ? {} : { runs: o.runs }),
      ...(o.failuresMax === undefined ? {} : { failuresMax: o.failuresMax }),
      failingPerGroup: o.perGroup,
      ...(o.timeMs === undefined ? {} : { timeMs: o.timeMs }),
      ...(o.signal === undefined ? {} : { signal: o.signal }),
      ...(o.now === undefined ? {} : { now: o.now }),
      onKept: keep,
      ...(rounds === undefined ? {} : { rounds }),
      onNewGroup: original,
      ...(io.progress === undefined
        ? {}
        : { onProgress: (p: CampaignProgress) => io.progress?.(p) }),
    });
    const keptFiles = (await Promise.all(kept)).filter((k) => k !== undefined);
    await Promise.all(originals);
    if (notKept > 1) io.warn?.(`${notKept} new cases in all could not be kept in the corpus`);
    return { campaign, keptFiles, workersStarted: ex.workersStarted?.() ?? ex.workers };
  } finally {
    await ex.close();
  }
}

export async function runFuzz(o: FuzzRunOptions, io: FuzzRunIo): Promise<FuzzRunResult> {
  const now = o.now ?? ((): number => performance.now());
  const b0 = now();
  const s = o.settings;
  const rounded = o.rounds !== undefined;
  const base = buildBase(o.base, s.callsMax, s.profile, s.disabled, o.cap, rounded);
  if (base.capped !== undefined) await io.drop?.(base.capped.dropped);
  const rounds = o.rounds === undefined ? undefined : new Rounds(o.rounds, base, s);
  const ctx = caseContext(o.settings, base.entries, rounds);
  const t0 = now();
  const phase = await fuzzPhase(o, io, ctx, base, rounds);
  const { keptFiles } = phase;
  const campaign = neverStarted(phase.campaign);
  const t1 = now();
  const fuzzed: Fuzzed = {
    campaign,
    baseSize: base.entries.length,
    baseId: base.shared.id,
    ...(base.capped === undefined ? {} : { capped: base.capped }),
    baseMs: t0 - b0,
    keptFiles,
    reached: reachedTable([...base.reached, ...campaign.reached]),
    fuzzMs: t1 - t0,
    workersStarted: phase.workersStarted,
  };
  io.fuzzed?.(fuzzed);
  const groups =
    campaign.setupError === undefined
      ? groupFailures(campaign.failing, o.perGroup, campaign.hits)
      : [];
  const { findings, minimized, unconfirmed, stoppedBy } = await findingsPhase(
    o,
    io,
    ctx,
    groups,
    now,
  );
  await io.originalsSettled?.(findings);
  const reportGroups: ReportGroup[] = groups.map((g) => ({
    kind: g.kind,
    fn: g.fn,
    hits: g.hits,
    minimized: g.cases.map((c) => ({
      caseIndex: c.index,
      signature: minimized.get(c.index) ?? '',
    })),
  }));
  return {
    ...fuzzed,
    groups: reportGroups,
    findings,
    unconfirmed,
    minimizeMs: now() - t1,
    ...(stoppedBy === undefined ? {} : { minimizeStoppedBy: stoppedBy }),
  };
}

/**
 * A campaign in which no case got its target started (every case failed to start it) is a
 * target that cannot be set up, as `vpdma replay` reports it, not a finding with a 0-call
 * repro. Decided from every case, so it is the same for any worker count or shard.
 */
function neverStarted(c: CampaignResult): CampaignResult {
  const first = c.failing[0]?.violations[0];
  if (
    c.setupError !== undefined ||
    c.cases === 0 ||
    c.failingCount !== c.cases ||
    first === undefined ||
    !c.failing.every((f) => f.violations[0] !== undefined && notStarted(f.violations[0]))
  )
    return c;
  return { ...c, setupError: first.message };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
