// What a campaign's status line says (vpdma fuzz, vpdma nightly's fuzz phase): the rates over
// the last interval beside the average, the time spent against a --time budget, and the
// process's memory. A cumulative average alone hid a start 5-6x slower than the steady state
// (the cases kept early cost most), and a CI log without timestamps could not tell when a line
// was printed.
import type { CampaignProgress } from '../fuzz/campaign.js';
import { clock, compact, type Fields, type ProgressMode } from './progress.js';

/** The window the recent rates are measured over: a status line's interval. */
export const RECENT_MS = 10_000;

/** `(new 1m40s ago)`, or `(none new)` before a case reached one the base did not. */
export function sinceNew(elapsedMs: number, lastNewMs: number | undefined): string {
  if (lastNewMs === undefined) return '(none new)';
  return `(new ${clock(Math.max(0, elapsedMs - lastNewMs))} ago)`;
}

export interface StatusOptions {
  readonly mode: ProgressMode;
  /** --time's budget, shown against the time spent (`elapsed 20s/30s`). */
  readonly timeMs?: number | undefined;
  /** The process's resident set in bytes (injected by tests; default Node's). */
  readonly rss?: () => number;
}

interface Sample {
  readonly ms: number;
  readonly cases: number;
  readonly calls: number;
}

/**
 * Fields for Progress.update from each campaign report, `corpus` the entries kept in all.
 * In JSON lines the averages keep their keys (`cases/s`, `calls/s`), the coverage keys
 * `coverage`, and the recent rates, branches, the time and memory are added:
 * `recentCasesPerSecond`, `recentCallsPerSecond`, `branches`, `elapsedMs`, `rssMb`, and
 * `lastNewBranchMs` / `lastNewKeyMs` once a case has grown either past the base's.
 */
export function campaignStatus(o: StatusOptions): (c: CampaignProgress, corpus: number) => Fields {
  const rss = o.rss ?? (() => process.memoryUsage.rss());
  // The samples of the last RECENT_MS, and the newest one before them: the rates' start.
  let samples: Sample[] = [{ ms: 0, cases: 0, calls: 0 }];
  return (c, corpus) => {
    const now: Sample = { ms: c.elapsedMs, cases: c.cases, calls: c.calls };
    samples.push(now);
    const inWindow = samples.findIndex((s) => s.ms > now.ms - RECENT_MS);
    if (inWindow > 1) samples = samples.slice(inWindow - 1);
    const from = samples[0] ?? now;
    const perSecond = (n: number, sinceMs: number): number =>
      Math.round(n / Math.max((now.ms - sinceMs) / 1000, 1e-3));
    const recentCases = perSecond(now.cases - from.cases, from.ms);
    const recentCalls = perSecond(now.calls - from.calls, from.ms);
    const avgCases = perSecond(now.cases, 0);
    const avgCalls = perSecond(now.calls, 0);
    const rest = {
      ...(c.targetEdges === undefined ? {} : { edges: c.targetEdges }),
      corpus,
      findings: c.kinds,
      failing: c.failing,
    };
    const rssMb = Math.round(rss() / (1 << 20));
    if (o.mode === 'json')
      return {
        'cases/s': avgCases,
        'calls/s': avgCalls,
        recentCasesPerSecond: recentCases,
        recentCallsPerSecond: recentCalls,
        coverage: c.coverage,
        branches: c.branches,
        ...rest,
        elapsedMs: Math.round(c.elapsedMs),
        ...(c.lastNewBranchMs === undefined
          ? {}
          : { lastNewBranchMs: Math.round(c.lastNewBranchMs) }),
        ...(c.lastNewKeyMs === undefined ? {} : { lastNewKeyMs: Math.round(c.lastNewKeyMs) }),
        rssMb,
      };
    const timeMs = o.timeMs;
    const elapsed =
      timeMs === undefined
        ? clock(c.elapsedMs)
        : `${clock(Math.min(c.elapsedMs, timeMs))}/${clock(timeMs)}`;
    return {
      // A terminal's bar shows the time against a --time budget already.
      ...(o.mode === 'bar' && timeMs !== undefined ? {} : { elapsed }),
      // The same figure twice for the first interval; apart, the pace changed.
      'cases/s': `${compact(recentCases)} (avg ${compact(avgCases)})`,
      'calls/s': recentCalls,
      // Branches level off once a campaign has met what it can reach; keys (shapes too) keep
      // growing: libFuzzer's cov beside its ft, syzkaller's coverage beside its signal. How long
      // since the last new branch tells a stalled campaign from a growing one (AFL++'s "last
      // new find"); the keys' age is in JSON lines only, being nearly always 0s.
      branches: `${compact(c.branches)} ${sinceNew(c.elapsedMs, c.lastNewBranchMs)}`,
      keys: c.coverage,
      ...rest,
      rss: `${rssMb}M`,
    };
  };
}
