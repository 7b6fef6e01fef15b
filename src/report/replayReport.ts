// The machine-readable report of a replay (DESIGN.md: `--json` holds at least kind, fn,
// callIndex, message and trace per violation). Everything but `timing` is deterministic: the
// same traces, target and seed give byte-identical reports for any number of workers.
import { signatureOfViolation } from '../fuzz/findings.js';
import type { ItemResult } from '../replay/protocol.js';
import type { RunIdentity } from '../replay/runIdentity.js';
import { notStarted, type Violation, type ViolationKind } from '../replay/violation.js';

export const REPORT_SCHEMA = 'vpdma-report';
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportViolation extends Violation {
  /** The trace file (or the repro, for fuzz findings) that shows it. */
  readonly trace: string;
  /**
   * `vpdma replay`, and the corpus violations of `vpdma nightly` and `merge`: the 1-based line
   * of the call (`callIndex`) in `trace`, for a .jsonl or .txt file (absent for a .vpt, which
   * has no lines, and for a fuzz finding, whose repro is found by `callIndex`).
   */
  readonly line?: number;
  /**
   * The finding signature of this violation (fuzz/findings.ts signatureOf: kind, short function
   * name and a hash of the part of the answer that differs), the key a fuzz finding and
   * --history use: the same bug has the same signature whichever command found it
   * (docs/report-json.md). On every violation of replay, nightly and merge reports; absent from
   * reports written before it was added.
   */
  readonly signature?: string;
  /**
   * `replay --known`, `nightly --known`: the signature is one of the known ones (a baseline):
   * listed, but not counted by the exit code. Absent otherwise.
   */
  readonly known?: true;
}

export type TraceOutcome = 'pass' | 'fail' | 'crash' | 'timeout' | 'invalid' | 'setup-failed';

/** What a damaged trace's entry says after its damage (a crash may have stopped it sooner). */
export const DAMAGE_NOTE = 'damaged; only the calls before it were replayed';

export interface TraceEntry {
  readonly trace: string;
  /**
   * The trace's stable name (cli/historyTraceName.ts traceIdOf): `corpus:NAME` for a bundled
   * corpus trace, `findings/<kind>/<fn>/<hash>/repro.<ext>` for an earlier finding's repro,
   * else `trace` as given. Replay, nightly and merge; absent from older reports.
   */
  readonly traceId?: string;
  readonly outcome: TraceOutcome;
  readonly calls: number;
  /** All of the trace's violations, listed or not. */
  readonly violations: number;
  /**
   * Violations the report does not list, by kind: past 1000 in one trace, only the first of
   * each kind and function is listed.
   */
  readonly unlisted?: Partial<Record<ViolationKind, number>>;
  readonly detachedAt?: number;
  readonly detachedBy?: string;
  /** Where a captured trace's recorded values stopped being compared (ReplayResult). */
  readonly recordedDetachedAt?: number;
  readonly recordedDetachedBy?: string;
  /**
   * Why a captured trace's recorded values were not compared at all: `profile-override`
   * (ReplayResult.recordedSkipped). Absent from older reports.
   */
  readonly recordedSkipped?: string;
  /**
   * Replayed with all live memory compared around every call (--paranoid; nightly's replay of
   * earlier memory-corrupted findings' repros): absent when sampled, and from older reports.
   */
  readonly paranoid?: true;
  /** Why the trace could not be read or the target not started. */
  readonly error?: string;
  /** The trace is damaged here (cut short, a bad checksum); `calls` were replayed before it. */
  readonly damage?: string;
  /**
   * The run was stopped (Ctrl-C, SIGTERM) part way through this trace: `calls` and
   * `violations` are those before the stop; the outcome ('pass' or 'fail') says nothing of
   * the rest, so it never counts as passed.
   */
  readonly interrupted?: true;
  /**
   * The target did not start for this trace (its one violation says why): the outcome says
   * nothing about the trace itself, so a regression repro's counts neither as seen nor as gone.
   */
  readonly notStarted?: true;
  /**
   * A merged nightly report only: the shards whose replay of this trace failed, when the
   * others' passed (a target that depends on its machine); the entry is the first of them.
   */
  readonly failedIn?: readonly string[];
  /**
   * Nightly only, on a trace that showed a violation: its header's meta records `minimized`
   * (a repro `vpdma minimize` wrote), so it is minimal already and not minimized again.
   */
  readonly minimizedRepro?: true;
  /**
   * Nightly and merge only, on a failing trace the target started for: the signature it is
   * judged by (its first violation's) and --history's verdict on it (nightlySchema.ts
   * TraceVerdict): new, open or regressed, as a finding's status.
   */
  readonly signature?: string;
  readonly status?: 'new' | 'open' | 'regressed';
}

export interface ReplaySummary {
  readonly traces: number;
  readonly passed: number;
  readonly failed: number;
  readonly crashed: number;
  readonly timedOut: number;
  readonly invalid: number;
  /** Traces replayed up to damage in the file (counted under their outcome as well). */
  readonly damaged: number;
  /** Traces where the oracle stopped being compared early (why: each entry's detachedBy). */
  readonly detached: number;
  readonly calls: number;
  readonly violations: number;
  readonly byKind: Partial<Record<ViolationKind, number>>;
  /** Traces stopped part way by an interrupt (absent when none; counted under their outcome). */
  readonly interrupted?: number;
  /** Nightly only: traces --budget-replay left unreplayed (absent when none; not in `traces`). */
  readonly notReplayed?: number;
  /** Replay only: traces --disable left out (absent when none; not in `traces`). */
  readonly skipped?: number;
  /** Replay or nightly with --known only: the violations listed whose signature is known (not counted). */
  readonly known?: number;
}

export interface ReplayReport extends RunIdentity {
  readonly schema: typeof REPORT_SCHEMA;
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly command: 'replay';
  /**
   * The settings that decide the verdicts (absent from older reports): --paranoid (every
   * message says "full comparison" or "sampled bytes"), --sample-bytes, and --timeout, which
   * decides what is a target-timeout.
   */
  readonly paranoid?: boolean;
  readonly sampleBytes?: number;
  readonly timeoutMs?: number;
  /**
   * --worker-heap-mb, which decides whether a leaking module: target is a target-crashed
   * (absent: Node's own limit, and in older reports).
   */
  readonly workerHeapMb?: number;
  /**
   * --rss-limit-mb, which decides whether a leaking process: target is a target-crashed: for a
   * process: target (0: no limit; absent for other targets, and in older reports).
   */
  readonly rssLimitMb?: number;
  /** --disable's functions, as the table names them (absent without it, and in older reports). */
  readonly disabled?: readonly string[];
  /** --known's arguments, as given (absent without it, and in older reports). */
  readonly knownFrom?: readonly string[];
  readonly summary: ReplaySummary;
  readonly traces: readonly TraceEntry[];
  /**
   * With --disable: the traces not replayed because they call one of its functions, each with
   * the first it calls (`reason`: "calls VideoPortMapBankedMemory, which --disable names").
   */
  readonly skipped?: readonly { readonly trace: string; readonly reason: string }[];
  readonly violations: readonly ReportViolation[];
  readonly interrupted: boolean;
  /**
   * vpdma itself failed part way (a bug; exit 3): what it said. The traces listed are those
   * finished before. Absent otherwise: exit 3 without it is the target's doing (a trace's
   * outcome crash, timeout or setup-failed).
   */
  readonly harnessError?: string;
  /**
   * What the target left unchecked, for people (cli/targetWarnings.ts): it has no state(), or
   * its touched() named memory it never returned. Absent when nothing was, and in older reports.
   */
  readonly warnings?: readonly string[];
  /**
   * A module: target that could not be loaded at all (missing, no factory, throwing, exiting
   * or hanging while loading; exit 2 or 3, as the message on stderr): why. Every trace is
   * then an entry with outcome setup-failed and this error, none replayed. Absent otherwise,
   * and from older reports (which were not written in that case).
   */
  readonly setupError?: string;
  readonly timing: {
    readonly workers: number;
    readonly wallMs: number;
    readonly callsPerSecond: number;
  };
}

export function traceEntry(r: ItemResult): TraceEntry {
  // Bad input part way: the calls before it, and their violations, are counted and listed.
  if (r.inputError !== undefined) {
    const before =
      r.result === undefined
        ? undefined
        : traceEntry({ id: r.id, label: r.label, result: r.result });
    return {
      trace: r.label,
      outcome: 'invalid',
      calls: before?.calls ?? 0,
      violations: before?.violations ?? 0,
      ...(before?.unlisted === undefined ? {} : { unlisted: before.unlisted }),
      error: r.inputError,
    };
  }
  if (r.setupError !== undefined || r.result === undefined) {
    return {
      trace: r.label,
      outcome: 'setup-failed',
      calls: 0,
      violations: 0,
      error: r.setupError ?? 'no result',
    };
  }
  const res = r.result;
  return {
    trace: r.label,
    outcome: res.outcome,
    calls: res.calls,
    violations: violationCount(r),
    ...(res.unlisted === undefined ? {} : { unlisted: res.unlisted }),
    ...(res.detachedAt === undefined ? {} : { detachedAt: res.detachedAt }),
    ...(res.detachedBy === undefined ? {} : { detachedBy: res.detachedBy }),
    ...(res.recordedDetachedAt === undefined ? {} : { recordedDetachedAt: res.recordedDetachedAt }),
    ...(res.recordedDetachedBy === undefined ? {} : { recordedDetachedBy: res.recordedDetachedBy }),
    ...(res.recordedSkipped === undefined ? {} : { recordedSkipped: res.recordedSkipped }),
    ...(res.paranoid === true ? { paranoid: true as const } : {}),
    ...(r.damage === undefined ? {} : { damage: r.damage }),
    ...(res.interrupted === true ? { interrupted: true as const } : {}),
    ...(res.violations[0] !== undefined && notStarted(res.violations[0])
      ? { notStarted: true as const }
      : {}),
  };
}

/** `e` with its traceId, right after its trace (the key a CI script reads beside it). */
export function withTraceId(e: TraceEntry, traceId: string): TraceEntry {
  const { trace, ...rest } = e;
  return { trace, traceId, ...rest };
}

export function summarize(
  entries: readonly TraceEntry[],
  violations: readonly ReportViolation[],
): ReplaySummary {
  const count = (o: TraceOutcome): number => entries.filter((e) => e.outcome === o).length;
  const byKind: Partial<Record<ViolationKind, number>> = {};
  for (const v of violations) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
  for (const e of entries)
    for (const [k, n] of Object.entries(e.unlisted ?? {}) as [ViolationKind, number][])
      byKind[k] = (byKind[k] ?? 0) + n;
  const interrupted = entries.filter((e) => e.interrupted === true).length;
  return {
    traces: entries.length,
    // Calls were lost with the damage or the stop: such a trace never counts as passed.
    passed: entries.filter(
      (e) => e.outcome === 'pass' && e.damage === undefined && e.interrupted !== true,
    ).length,
    failed: count('fail'),
    crashed: count('crash'),
    timedOut: count('timeout'),
    invalid: count('invalid') + count('setup-failed'),
    damaged: entries.filter((e) => e.damage !== undefined).length,
    detached: entries.filter((e) => e.detachedAt !== undefined).length,
    calls: entries.reduce((n, e) => n + e.calls, 0),
    violations: entries.reduce((n, e) => n + e.violations, 0),
    byKind,
    ...(interrupted === 0 ? {} : { interrupted }),
  };
}

export function reportViolations(results: readonly ItemResult[]): ReportViolation[] {
  return results.flatMap((r) =>
    (r.result?.violations ?? []).map((v) => ({
      ...v,
      trace: r.label,
      signature: signatureOfViolation(v),
    })),
  );
}

/** JSON with keys in a stable order and bigint spelled as hex. */
export function reportJson(report: object): string {
  return `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2)}\n`;
}

/** A trace's violations, listed or not (the report's count, not the capped list's length). */
export function violationCount(r: ItemResult): number {
  let n = r.result?.violations.length ?? 0;
  for (const k of Object.values(r.result?.unlisted ?? {})) n += k;
  return n;
}
