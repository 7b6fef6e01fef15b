// The corpus section of a merged nightly report. Phase 1 of `vpdma nightly` takes no --shard:
// every shard replays the whole corpus and every earlier finding's repro. The shards of a
// healthy run agree, and the merge is any one shard's replay; where they disagree (a target
// that depends on its machine, a flaky one, one that could not start on one shard) the merge
// keeps the failure, so a violation seen by any shard is in the merged report and exit code.
import { posix } from 'node:path';
import { summarize, type ReportViolation, type TraceEntry } from '../report/replayReport.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import type { NotReplayed } from '../report/nightlySchema.js';
import { historyTraceName } from './historyTraceName.js';
import type { Shard } from './shardReport.js';

export type MergedCorpus = NightlyReportWithDetail['corpus'];

/**
 * What identifies a trace across shards, which may run from different installs and
 * directories: its `traceId` (`corpus:NAME` wherever vpdma is installed, `findings/...` for a
 * repro in the shard's own OUT, else the path as given); from an older shard without one, its
 * name as --history gives it (historyTraceName: the same, guessed from the path). A path is
 * compared normalized (`./regs/a.jsonl` is `regs/a.jsonl`); an absolute path and a relative
 * one are two traces, as the shards' directories are unknown.
 */
export function mergeKey(e: { readonly trace: string; readonly traceId?: string }): string {
  return posix.normalize((e.traceId ?? historyTraceName(e.trace)).replace(/\\/g, '/'));
}

/** Whether a shard's replay of a trace found anything wrong (its exit code would say so). */
function failed(e: TraceEntry): boolean {
  return e.outcome !== 'pass' || e.violations > 0 || e.damage !== undefined;
}

interface Seen {
  readonly shard: string;
  readonly entry: TraceEntry;
  readonly violations: readonly ReportViolation[];
}

/**
 * Each trace once, in the order the first shard replayed them (then any only later shards
 * replayed): the first shard's replay of it if no shard's failed, else the first failing
 * one's, which names in `failedIn` the shards that saw the failure when others did not.
 */
export function mergeCorpusReplay(shards: readonly Shard[]): MergedCorpus {
  const byKey = new Map<string, Seen[]>();
  for (const s of shards) {
    const shard = s.report.shard ?? '1/1';
    const mine = new Map<string, ReportViolation[]>();
    for (const v of s.report.corpus.violations)
      mine.set(v.trace, [...(mine.get(v.trace) ?? []), v]);
    for (const entry of s.report.corpus.traces) {
      const key = mergeKey(entry);
      const seen = byKey.get(key) ?? [];
      seen.push({ shard, entry, violations: mine.get(entry.trace) ?? [] });
      byKey.set(key, seen);
    }
  }
  const traces: TraceEntry[] = [];
  const violations: ReportViolation[] = [];
  for (const seen of byKey.values()) {
    const failing = seen.filter((x) => failed(x.entry));
    const chosen = failing[0] ?? seen[0];
    if (chosen === undefined) continue;
    const split = failing.length > 0 && failing.length < seen.length;
    traces.push(split ? { ...chosen.entry, failedIn: failing.map((x) => x.shard) } : chosen.entry);
    violations.push(...chosen.violations);
  }
  // A trace some shard's --budget-replay left out is replayed if any other shard replayed it.
  const notReplayed = new Map<string, NotReplayed>();
  for (const s of shards)
    for (const t of s.report.corpus.notReplayed ?? [])
      if (!byKey.has(mergeKey(t)) && !notReplayed.has(mergeKey(t))) notReplayed.set(mergeKey(t), t);
  const budgetReplay = shards.find((s) => s.report.corpus.budgetReplay !== undefined)?.report.corpus
    .budgetReplay;
  const summary = summarize(traces, violations);
  // A shard that ran out of --minimize-time (or was stopped) left its corpus failures unminimized.
  const stops = shards.map((s) => s.report.corpus.minimizeStoppedBy);
  const stoppedBy = stops.includes('time')
    ? 'time'
    : stops.includes('signal')
      ? 'signal'
      : undefined;
  // Each shard's count, while every stopped shard has one (a report from before it was kept).
  const lefts = shards.map((s) => s.report.corpus.minimizeLeft);
  const counted = shards.every(
    (s, i) => s.report.corpus.minimizeStoppedBy === undefined || lefts[i] !== undefined,
  );
  const left = lefts.reduce<number>((a, n) => a + (n ?? 0), 0);
  // Every shard replays the whole corpus: a healthy run's shards say the same. Each once, in
  // the order of the first shard that says it (shards come in shard order).
  const warnings = [...new Set(shards.flatMap((s) => s.report.corpus.warnings ?? []))];
  return {
    summary: notReplayed.size === 0 ? summary : { ...summary, notReplayed: notReplayed.size },
    traces,
    violations,
    ...(budgetReplay === undefined ? {} : { budgetReplay }),
    ...(notReplayed.size === 0 ? {} : { notReplayed: [...notReplayed.values()] }),
    ...(stoppedBy === undefined ? {} : { minimizeStoppedBy: stoppedBy }),
    ...(stoppedBy === undefined || !counted ? {} : { minimizeLeft: left }),
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}
