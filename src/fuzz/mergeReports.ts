// The fuzz report of N shards combined into the one the unsharded campaign would have
// written (mergeShards decides cases, kept entries and findings; this fills in the rest).
import type { StrayTouched } from './campaign.js';
import type { FuzzReport, ReportGroup } from './fuzzReport.js';
import { fuzzSummaryOf, uncheckedOf, violationsOf } from './fuzzReport.js';
import { mergeShards } from './merge.js';
import {
  branchCount,
  mergeReached,
  unreached as unreachedOf,
  type ReachedTable,
} from './reached.js';

function mergeGroups(reports: readonly FuzzReport[], perGroup: number): ReportGroup[] {
  const byKey = new Map<
    string,
    ReportGroup & { minimized: { caseIndex: number; signature: string }[] }
  >();
  for (const r of reports) {
    for (const g of r.groups) {
      const key = `${g.kind} ${g.fn}`;
      const have = byKey.get(key) ?? { kind: g.kind, fn: g.fn, hits: 0, minimized: [] };
      byKey.set(key, {
        ...have,
        hits: have.hits + g.hits,
        minimized: [...have.minimized, ...g.minimized],
      });
    }
  }
  // In order of each group's first failing case, as the unsharded run lists them.
  const first = (g: ReportGroup): number => g.minimized[0]?.caseIndex ?? Infinity;
  return [...byKey.values()]
    .map((g) => ({
      ...g,
      minimized: [...g.minimized].sort((a, b) => a.caseIndex - b.caseIndex).slice(0, perGroup),
    }))
    .sort((a, b) => first(a) - first(b));
}

/**
 * The unsharded run's order of findings (and unconfirmed cases): group by group, in the
 * groups' order, and by case within a group.
 */
function inGroupOrder<
  T extends { readonly kind: string; readonly fn: string; readonly caseIndex: number },
>(items: readonly T[], groups: readonly ReportGroup[]): T[] {
  const rank = new Map(groups.map((g, i) => [`${g.kind} ${g.fn}`, i]));
  const rankOf = (x: T): number => rank.get(`${x.kind} ${x.fn}`) ?? groups.length;
  return [...items].sort((a, b) => rankOf(a) - rankOf(b) || a.caseIndex - b.caseIndex);
}

export function mergeFuzzReports(reports: readonly FuzzReport[], perGroup: number): FuzzReport {
  const first = reports[0];
  if (first === undefined) throw new RangeError('mergeFuzzReports: no reports');
  const m = mergeShards(reports, perGroup);
  const firstSeen = new Map<number, number>();
  for (const r of reports) {
    for (const [key, index] of r.newCoverage) {
      const have = firstSeen.get(key);
      if (have === undefined || index < have) firstSeen.set(key, index);
    }
  }
  const baseKeys = first.coverage - first.newCoverage.length;
  const keptFiles = m.kept.map((caseIndex, i) => ({ caseIndex, file: m.keptFiles[i] ?? '' }));
  const groups = mergeGroups(reports, perGroup);
  const findings = inGroupOrder(m.findings, groups);
  const sum = (f: (r: FuzzReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
  const covered = coveredCases(reports);
  const fuzzMs = Math.max(...reports.map((r) => r.timing.fuzzMs));
  const unconfirmed = inGroupOrder(
    reports.flatMap((r) => r.unconfirmed),
    groups,
  );
  // What was reached is the union's, or absent: never the first shard's alone.
  const table = reachedOf(reports);
  return withoutUndefined({
    ...first,
    shard: '1/1',
    summary: fuzzSummaryOf({
      cases: m.cases,
      calls: m.calls,
      findings,
      unconfirmed,
      corpus: { kept: keptFiles.length },
    }),
    cases: m.cases,
    runsEquivalent: covered.every,
    calls: m.calls,
    coverage: baseKeys + firstSeen.size,
    // Each in first's place (as buildFuzzReport puts them): the merged report is
    // byte-identical to the unsharded one.
    branches: table === undefined ? undefined : branchCount(table),
    ...targetEdgesOf(reports),
    corpus: { ...first.corpus, kept: keptFiles.length, keptFiles },
    reached: table,
    unreached: table === undefined ? undefined : unreachedOf(table, reports[0]?.disabled),
    newCoverage: [...firstSeen].sort((a, b) => a[0] - b[0]),
    groups,
    findings,
    unconfirmed,
    violations: violationsOf(findings),
    ...setupErrorOf(reports),
    // After ...first: the first shard's own harnessError is replaced by one naming its shard.
    ...harnessErrorOf(reports),
    interrupted: reports.some((r) => r.interrupted),
    stoppedBy: stoppedByOf(reports),
    ...minimizeStoppedByOf(reports),
    warnings: [...shardWarnings(reports), ...covered.warnings],
    ...uncheckedOfShards(reports),
    timing: {
      workers: sum((r) => r.timing.workers),
      ...workersStartedOf(reports),
      fuzzMs,
      minimizeMs: Math.max(...reports.map((r) => r.timing.minimizeMs)),
      ...loadMsOf(reports),
      wallMs: Math.max(...reports.map((r) => r.timing.wallMs)),
      casesPerSecond: Math.round(m.cases / Math.max(fuzzMs / 1000, 1e-3)),
      callsPerSecond: Math.round(m.calls / Math.max(fuzzMs / 1000, 1e-3)),
    },
  });
}

/**
 * The shards' warnings, each saying whose it is ("shard 2/3: ..."; one several shards gave,
 * "shards 1/3, 2/3: ..."), in the order first given: a shard's warning is about that shard's
 * run, not the merged one's (a corpus entry it could not read, a case it could not keep).
 */
export function shardWarnings(reports: readonly FuzzReport[]): string[] {
  const from = new Map<string, string[]>();
  for (const r of reports)
    for (const w of r.warnings) from.set(w, [...(from.get(w) ?? []), r.shard]);
  return [...from].map(
    ([w, shards]) => `${shards.length > 1 ? 'shards' : 'shard'} ${shards.join(', ')}: ${w}`,
  );
}

/**
 * What the target left unchecked in the shards together, as the unsharded run says it: no
 * state() in any shard's cases, and the lowest case's stray touched(), every shard's counted.
 */
function uncheckedOfShards(reports: readonly FuzzReport[]): Pick<FuzzReport, 'unchecked'> {
  const strays = reports.flatMap((r) => r.unchecked?.stray ?? []);
  const count = strays.reduce((n, x) => n + x.count, 0);
  const lowest = strays.reduce<StrayTouched | undefined>(
    (a, x) => (a === undefined || x.caseIndex < a.caseIndex ? x : a),
    undefined,
  );
  const noState = reports.some((r) => r.unchecked?.noState === true);
  return uncheckedOf({
    ...(noState ? { noState: true as const } : {}),
    ...(lowest === undefined ? {} : { stray: { ...lowest, count } }),
  });
}

/** The worker threads the shards started, in all (unknown if a shard's report lacks it). */
function workersStartedOf(
  reports: readonly FuzzReport[],
): Pick<FuzzReport['timing'], 'workersStarted'> {
  let n = 0;
  for (const r of reports) {
    if (r.timing.workersStarted === undefined) return {};
    n += r.timing.workersStarted;
  }
  return { workersStarted: n };
}

/** The slowest shard's start-up (absent if a shard's report lacks it). */
function loadMsOf(reports: readonly FuzzReport[]): { loadMs?: number } {
  const ms = reports.map((r) => r.timing.loadMs);
  return ms.every((m) => m !== undefined) ? { loadMs: Math.max(...ms) } : {};
}

/** The target edges the shards reached together: the union, each at its lowest case. */
function targetEdgesOf(
  reports: readonly FuzzReport[],
): Pick<FuzzReport, 'targetEdges' | 'newTargetEdges'> {
  if (reports.every((r) => r.newTargetEdges === undefined)) return {};
  const first = new Map<number, number>();
  for (const r of reports)
    for (const [edge, index] of r.newTargetEdges ?? []) {
      const have = first.get(edge);
      if (have === undefined || index < have) first.set(edge, index);
    }
  // The base's recorded edges (the same for every shard: one base) and the new ones.
  const r0 = reports.find((r) => r.newTargetEdges !== undefined);
  const baseEdges = (r0?.targetEdges ?? 0) - (r0?.newTargetEdges?.length ?? 0);
  return {
    targetEdges: baseEdges + first.size,
    newTargetEdges: [...first].sort((a, b) => a[0] - b[0]),
  };
}

/**
 * `r` without the keys whose value is undefined (the optional fields left out), the others in
 * their order: what a FuzzReport's optional fields given as undefined make.
 */
function withoutUndefined(r: object): FuzzReport {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as FuzzReport;
}

/**
 * What the shards reached together: the union (absent if a shard's report lacks it), its
 * branches counted from it (so a shard's report from before `branches` merges to it too).
 */
function reachedOf(reports: readonly FuzzReport[]): ReachedTable | undefined {
  if (reports.some((r) => r.reached === undefined)) return undefined;
  return mergeReached(reports.map((r) => r.reached ?? {}));
}

/** Why the merged run stopped: a signal or a target that could not start in any shard wins. */
function stoppedByOf(reports: readonly FuzzReport[]): string {
  if (reports.some((r) => r.interrupted)) return 'signal';
  if (reports.some((r) => r.stoppedBy === 'setup')) return 'setup';
  if (reports.some((r) => r.stoppedBy === 'harness')) return 'harness';
  return reports[0]?.stoppedBy ?? 'runs';
}

/** A shard whose minimization stopped early leaves findings unminimized in the merge too. */
function minimizeStoppedByOf(
  reports: readonly FuzzReport[],
): Pick<FuzzReport, 'minimizeStoppedBy'> {
  const why = reports.find((r) => r.minimizeStoppedBy !== undefined)?.minimizeStoppedBy;
  return why === undefined ? {} : { minimizeStoppedBy: why };
}

/** A shard whose target could not be set up makes the merged run one too. */
function setupErrorOf(reports: readonly FuzzReport[]): { setupError?: string } {
  const e = reports.find((r) => r.setupError !== undefined)?.setupError;
  return e === undefined ? {} : { setupError: e };
}

/**
 * A shard vpdma itself cut short (a bug) makes the merged run one too: the first such shard's
 * harnessError, naming it ("shard 2/3: internal error ...").
 */
function harnessErrorOf(reports: readonly FuzzReport[]): { harnessError?: string } {
  const r = reports.find((x) => x.harnessError !== undefined);
  return r?.harnessError === undefined
    ? {}
    : { harnessError: `shard ${r.shard}: ${r.harnessError}` };
}

/**
 * The unsharded --runs the shards amount to: every case below `every` ran (shard K of N ran
 * cases K-1, K-1+N, ... as far as its count went). Shards of one --runs all stop at it; shards
 * of a --time budget stop where their time ran out, and a warning says what lies beyond.
 */
function coveredCases(reports: readonly FuzzReport[]): { every: number; warnings: string[] } {
  const ends = reports.map((r) => {
    const [k, n] = r.shard.split('/').map(Number);
    const start = (k ?? 1) - 1;
    const count = n ?? 1;
    return { next: start + r.cases * count, last: start + (r.cases - 1) * count };
  });
  const every = Math.min(...ends.map((e) => e.next));
  const beyond = Math.max(...ends.map((e) => e.last)) + 1;
  if (beyond <= every) return { every, warnings: [] };
  // Why: a shard interrupted before its --runs, one whose target could not start, or a --time
  // budget (only then: shards of one --runs stop at it otherwise).
  const short = reports.filter((_, i) => ends[i]?.next === every);
  const named = `${short.length > 1 ? 'shards' : 'shard'} ${short.map((r) => r.shard).join(', ')}`;
  const why = reports.some((r) => r.interrupted)
    ? `${named} stopped first, interrupted`
    : short.some((r) => r.setupError !== undefined)
      ? `${named} stopped first: the target could not start`
      : reports.some((r) => r.budget.time !== undefined)
        ? 'a --time budget'
        : `${named} stopped first`;
  return {
    every,
    warnings: [
      `the shards stopped at different cases (${why}): every case below ${every} ran (--runs ${every} reruns them), and some up to ${beyond - 1}`,
    ],
  };
}
