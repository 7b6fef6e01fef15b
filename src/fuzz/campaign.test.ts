// Determinism of whole campaigns in the Piscina pool (dist/ must be built): the same seed and
// case count give the same coverage, kept corpus and findings for 1 and 2 workers, and the
// shards 1/2 and 2/2, merged, give exactly what the unsharded run gives; the same for a
// process target's own coverage (target edges). Runs the real
// minimizer and replay pool, with kept cases in memory, and findings in memory or on disk.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { fuzzIo } from '../cli/fuzzIo.js';
import { findingWrites } from '../cli/findingFiles.js';
import { originalWrites } from '../cli/originalWrites.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import type { NamedTrace } from './base.js';
import type { CampaignProgress, Shard } from './campaign.js';
import { recordedEdges } from './edgeMeta.js';
import { createFuzzPool } from './executor.js';
import { buildFuzzReport, formatFuzzSummary, type FuzzReport } from './fuzzReport.js';
import { mergeShards } from './merge.js';
import { mergeFuzzReports } from './mergeReports.js';
import { reportFindingOf } from './outputs.js';
import type { FuzzSettings } from './protocol.js';
import { runFuzz } from './run.js';
import { testReportMeta } from '../../test/support/reportMeta.js';

const PER_GROUP = 2;
/** Each campaign's progress reports, in order. */
const progressOf = new WeakMap<FuzzReport, CampaignProgress[]>();
// Enough for every comparison below to have findings, kept cases and edges to compare (160
// before: each test passes at 80, in about half the time); the last test's own is longer.
const RUNS = 80;

async function campaign(
  target: string,
  workers: number,
  shard: Shard,
  more: Partial<FuzzSettings> = {},
  /** Entries beside the bundled corpus; and where the kept cases go. */
  corpus: { readonly mine?: readonly NamedTrace[]; readonly kept?: NamedTrace[] } = {},
  runs = RUNS,
  /** Findings and their originals written here (cli/campaignGuards.ts's writers), not kept in memory. */
  out?: string,
): Promise<FuzzReport> {
  const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
  const base = [...bundled, ...(corpus.mine ?? [])];
  const settings = fuzzSettings(target, more);
  const seen: CampaignProgress[] = [];
  const io = {
    ...fuzzIo({
      keep: (t) => {
        const name = contentName(encodeVpt(t));
        corpus.kept?.push({ name, trace: t });
        return Promise.resolve(name);
      },
      writeFinding: (f) =>
        Promise.resolve(reportFindingOf(f, settings, { jsonl: 'mem', txt: 'mem', vpt: 'mem' })),
      ...(out === undefined ? {} : onDisk(out, settings)),
      progress: (p: CampaignProgress) => seen.push(p),
    }),
    // A short campaign would run in this thread alone: with 2 workers, they run all but the
    // first task, so the comparison is between cases run here and cases run in workers.
    fuzzExecutor: (n: number, t: string) =>
      createFuzzPool(n, t, n > 1 ? { soloMs: 0, tasksHereMax: 1 } : {}),
  };
  const r = await runFuzz(
    { settings, base, shard, runs, workers, perGroup: PER_GROUP, attemptsMax: 800 },
    io,
  );
  const report = buildFuzzReport(
    r,
    testReportMeta({
      seed: '7',
      target,
      shard: `${shard.index + 1}/${shard.count}`,
      budget: { runs },
      callsMax: 48,
      reprosPerKind: PER_GROUP,
      attemptsMax: 800,
      workers,
    }),
  );
  progressOf.set(report, seen);
  return report;
}

/** Branches and keys the progress said, by the cases processed when it said them. */
const progressByCases = (r: FuzzReport): Map<number, [number, number]> =>
  new Map((progressOf.get(r) ?? []).map((p) => [p.cases, [p.branches, p.coverage]]));

function onDisk(out: string, settings: FuzzSettings) {
  const originals = originalWrites(out, () => undefined);
  return {
    writeFinding: findingWrites(out, settings, process.cwd()).write,
    original: originals.write,
    originalsSettled: originals.settle,
  };
}

/** Every file under `root` (relative path to content), sorted by path. */
function filesUnder(root: string): [string, string][] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e): [string, string] => {
      const path = join(e.parentPath, e.name);
      return [relative(root, path), readFileSync(path, 'latin1')];
    })
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Everything but timing. */
const stable = (r: FuzzReport): Omit<FuzzReport, 'timing'> => {
  const { timing, ...rest } = r;
  expect(timing.workers).toBeGreaterThan(0);
  return rest;
};

const ONE: Shard = { index: 0, count: 1 };

describe('a campaign is the same for any number of workers and any sharding', () => {
  const target = 'mutant:bytes-used-remembered';
  let unsharded: FuzzReport;

  it('1 and 2 workers: identical reports, and identical files under findings/', async () => {
    // One --out for both (finding.json names its paths), emptied in between.
    const out = join(mkdtempSync(join(tmpdir(), 'vpdma-campaign-')), 'out');
    unsharded = await campaign(target, 2, ONE, {}, {}, RUNS, out);
    expect(unsharded.cases).toBe(RUNS);
    expect(unsharded.findings.length).toBeGreaterThan(0);
    expect(unsharded.corpus.kept).toBeGreaterThan(0);
    const two = filesUnder(out);
    rmSync(out, { recursive: true });
    const one = await campaign(target, 1, ONE, {}, {}, RUNS, out);
    expect(stable(one)).toEqual(stable(unsharded));
    // The progress's branches: the report's at the end, and the same at a case count both said.
    const [oneSaid, twoSaid] = [progressByCases(one), progressByCases(unsharded)];
    expect(oneSaid.get(RUNS)).toEqual([unsharded.branches, unsharded.coverage]);
    expect(twoSaid.get(RUNS)).toEqual([unsharded.branches, unsharded.coverage]);
    for (const [cases, said] of oneSaid)
      if (twoSaid.has(cases)) expect(twoSaid.get(cases)).toEqual(said);
    expect(unsharded.branches).toBeGreaterThan(50);
    expect(unsharded.branches).toBeLessThan(unsharded.coverage);
    expect(filesUnder(out)).toEqual(two);
    // Each finding's original beside its repro, and no other: those written early are settled.
    const originals = two.flatMap(([p]) => (p.endsWith('original.vpt') ? [dirname(p)] : []));
    expect(originals).toEqual(unsharded.findings.map((f) => join('findings', f.signature)).sort());
  });

  it('shards 1/2 and 2/2, merged: the unsharded corpus and findings', async () => {
    const shards = [
      await campaign(target, 1, { index: 0, count: 2 }),
      await campaign(target, 2, { index: 1, count: 2 }),
    ];
    expect(shards.map((s) => s.cases)).toEqual([RUNS / 2, RUNS / 2]);
    expect(shards.map((s) => s.runsEquivalent)).toEqual([RUNS - 1, RUNS]);
    const merged = mergeShards(shards, PER_GROUP);
    const whole = mergeShards([unsharded], PER_GROUP);
    expect(merged.kept).toEqual(unsharded.corpus.keptFiles.map((k) => k.caseIndex));
    expect(merged.keptFiles).toEqual(unsharded.corpus.keptFiles.map((k) => k.file));
    expect(merged.signatures).toEqual(unsharded.findings.map((f) => f.signature).sort());
    expect(merged.signatures).toEqual(whole.signatures);
    expect(merged.hits).toEqual(whole.hits);
    expect(merged.calls).toBe(unsharded.calls);
    expect(mergeFuzzReports(shards, PER_GROUP)).toMatchObject({
      runsEquivalent: RUNS,
      warnings: [],
    });
    // What was reached, by function: the union of the shards' is the unsharded run's.
    expect(Object.keys(unsharded.reached ?? {}).length).toBeGreaterThan(30);
    expect(shards[0]?.reached).not.toEqual(unsharded.reached);
    const merged2 = mergeFuzzReports(shards, PER_GROUP);
    expect(merged2.reached).toEqual(unsharded.reached);
    expect(merged2.unreached).toEqual(unsharded.unreached);
    expect(merged2.branches).toBe(unsharded.branches);
    expect(shards[0]?.branches).toBeLessThan(unsharded.branches ?? 0);
    // Shards whose --time ran out at different cases: only the cases every shard reached count.
    const timed = { time: '30s' };
    const short = {
      ...shards[0],
      budget: timed,
      cases: (shards[0]?.cases ?? 0) - 10,
    } as FuzzReport;
    const other = { ...shards[1], budget: timed } as FuzzReport;
    const uneven = mergeFuzzReports([short, other], PER_GROUP);
    expect(uneven.runsEquivalent).toBe(RUNS - 20);
    expect(uneven.warnings).toEqual([
      `the shards stopped at different cases (a --time budget): every case below ${RUNS - 20} ran (--runs ${RUNS - 20} reruns them), and some up to ${RUNS - 1}`,
    ]);
    // With --runs, no budget stops a shard early: the one that stopped first is named.
    const runsOnly = { ...shards[0], cases: (shards[0]?.cases ?? 0) - 10 } as FuzzReport;
    expect(mergeFuzzReports([runsOnly, shards[1] as FuzzReport], PER_GROUP).warnings).toEqual([
      `the shards stopped at different cases (shard 1/2 stopped first): every case below ${RUNS - 20} ran (--runs ${RUNS - 20} reruns them), and some up to ${RUNS - 1}`,
    ]);
    // ... or a shard interrupted before its --runs: that one is named.
    const stopped = { ...short, interrupted: true } as FuzzReport;
    expect(mergeFuzzReports([stopped, shards[1] as FuzzReport], PER_GROUP).warnings).toEqual([
      `the shards stopped at different cases (shard 1/2 stopped first, interrupted): every case below ${RUNS - 20} ran (--runs ${RUNS - 20} reruns them), and some up to ${RUNS - 1}`,
    ]);
  });
});

// A real process target with its own coverage (examples/c-target, built by globalSetup).
const cov = `process:${resolve(import.meta.dirname, '../../examples/c-target/vpdma-c-target-cov')}`;
let covOnce: Promise<{ report: FuzzReport; kept: NamedTrace[] }> | undefined;
/**
 * The campaign against `cov` with one worker, unsharded, and the cases it kept: run once for
 * the two describes below (each campaign through the protocol costs seconds).
 */
const covOne = (): Promise<{ report: FuzzReport; kept: NamedTrace[] }> =>
  (covOnce ??= (async () => {
    const kept: NamedTrace[] = [];
    return { report: await campaign(cov, 1, ONE, {}, { kept }), kept };
  })());

describe("the target's own coverage is as deterministic as the model's", () => {
  let unsharded: FuzzReport;

  it('1 and 2 workers: identical reports, target edges and the cases they kept included', async () => {
    unsharded = await campaign(cov, 2, ONE);
    expect(unsharded.cases).toBe(RUNS);
    expect(unsharded.targetEdges).toBeGreaterThan(100);
    expect(unsharded.newTargetEdges).toHaveLength(unsharded.targetEdges ?? 0);
    expect(formatFuzzSummary(unsharded)).toContain(`, ${unsharded.targetEdges} target edges;`);
    expect(stable((await covOne()).report)).toEqual(stable(unsharded));
  });

  it('shards 1/2 and 2/2, merged: the unsharded edges and kept corpus', async () => {
    const shards = [
      await campaign(cov, 2, { index: 0, count: 2 }),
      await campaign(cov, 1, { index: 1, count: 2 }),
    ];
    // Each shard keeps the first case of its own to reach an edge: more than the merge keeps.
    const keptByShards = (shards[0]?.corpus.kept ?? 0) + (shards[1]?.corpus.kept ?? 0);
    expect(keptByShards).toBeGreaterThan(unsharded.corpus.kept);
    const merged = mergeFuzzReports(shards, PER_GROUP);
    expect(merged.targetEdges).toBe(unsharded.targetEdges);
    expect(merged.newTargetEdges).toEqual(unsharded.newTargetEdges);
    expect(merged.coverage).toBe(unsharded.coverage);
    expect(merged.corpus.keptFiles).toEqual(unsharded.corpus.keptFiles);
  });

  it('--no-target-coverage: no edges; the same findings, and a corpus it contains', async () => {
    const off = await campaign(cov, 1, ONE, { targetCoverage: false });
    expect(off.targetEdges).toBeUndefined();
    expect(off.newTargetEdges).toBeUndefined();
    expect(formatFuzzSummary(off)).not.toContain('target edge');
    expect(off.coverage).toBe(unsharded.coverage);
    expect(off.findings).toEqual(unsharded.findings);
    // Kept for a new model key either way; with the target's edges, for those too.
    const on = new Set(unsharded.corpus.keptFiles.map((k) => k.caseIndex));
    const kept = off.corpus.keptFiles.map((k) => k.caseIndex);
    expect(kept.every((i) => on.has(i))).toBe(true);
    expect(on.size).toBeGreaterThan(kept.length);
    // A target without coverage is never asked: the default C binary.
    const plain = await campaign(cov.replace(/-cov$/, ''), 1, ONE);
    expect(plain.targetEdges).toBeUndefined();
    expect(plain.corpus.keptFiles).toEqual(off.corpus.keptFiles);
  });
});

describe("the next run's base counts the edges a run's kept cases record", () => {
  const mine: NamedTrace[] = [];
  const recorded = new Set<number>();
  let next: FuzzReport;

  it('each kept case records the edges it reached, its first ones included', async () => {
    const { report: first, kept } = await covOne();
    mine.push(...kept);
    expect(mine).toHaveLength(first.corpus.kept);
    for (const k of mine) {
      const edges = recordedEdges(k.trace.header);
      expect(edges.length).toBeGreaterThan(0);
      expect(edges).toEqual([...edges].sort((a, b) => a - b));
      for (const e of edges) recorded.add(e);
    }
    // No base edges were recorded yet: every edge is the cases' own, and each is recorded by
    // the case first to reach it (kept for it), so the entries record them all.
    expect(first.targetEdges).toBe(first.newTargetEdges?.length);
    expect(recorded.size).toBe(first.targetEdges);
    for (const [edge, index] of first.newTargetEdges ?? []) {
      const by = mine.find((k) => k.trace.header.meta['case'] === index);
      if (by === undefined) throw new Error(`case ${index} was not kept`);
      expect(recordedEdges(by.trace.header)).toContain(edge);
    }
  });

  it('covers them before case 0: no case is kept for one, targetEdges counts them once', async () => {
    next = await campaign(cov, 2, { index: 0, count: 1 }, { seed: 8, seedText: '8' }, { mine });
    const fresh = next.newTargetEdges ?? [];
    expect(fresh.every(([edge]) => !recorded.has(edge))).toBe(true);
    expect(next.targetEdges).toBe(recorded.size + fresh.length);
    expect(formatFuzzSummary(next)).toContain(`, ${next.targetEdges} target edges;`);
    // The same run on a base without the records keeps cases for edges the records have.
    const bare = mine.map((k) => {
      const meta = Object.fromEntries(
        Object.entries(k.trace.header.meta).filter(([key]) => !key.startsWith('targetEdges')),
      );
      return { ...k, trace: { ...k.trace, header: { ...k.trace.header, meta } } };
    });
    const blind = await campaign(cov, 1, ONE, { seed: 8, seedText: '8' }, { mine: bare });
    expect((blind.newTargetEdges ?? []).some(([edge]) => recorded.has(edge))).toBe(true);
    expect(blind.corpus.base).toBe(next.corpus.base);
    expect(blind.corpus.baseId).not.toBe(next.corpus.baseId);
  });

  it('the same for 1 worker, and for shards 1/2 and 2/2 merged', async () => {
    const seed = { seed: 8, seedText: '8' };
    expect(stable(await campaign(cov, 1, ONE, seed, { mine }))).toEqual(stable(next));
    const shards = [
      await campaign(cov, 1, { index: 0, count: 2 }, seed, { mine }),
      await campaign(cov, 2, { index: 1, count: 2 }, seed, { mine }),
    ];
    for (const s of shards)
      expect(s.targetEdges).toBe(recorded.size + (s.newTargetEdges?.length ?? 0));
    const merged = mergeFuzzReports(shards, PER_GROUP);
    expect(merged.targetEdges).toBe(next.targetEdges);
    expect(merged.newTargetEdges).toEqual(next.newTargetEdges);
    expect(merged.corpus.keptFiles).toEqual(next.corpus.keptFiles);
  });
});

describe('merged shards list findings in the unsharded order', () => {
  it('groups by their first case, findings group by group: not by signature', async () => {
    // Three groups here, whose order by first case is not their order by name.
    // At 1000 cases: since hostile handles reach coherent calls (session 32), 160 and 400
    // cases give one group only (at 80 before that, two groups in name order).
    const target = 'mutant:drops-map-registers';
    const whole = await campaign(target, 1, ONE, {}, {}, 1000);
    const shards = [
      await campaign(target, 1, { index: 0, count: 2 }, {}, {}, 1000),
      await campaign(target, 1, { index: 1, count: 2 }, {}, {}, 1000),
    ];
    const merged = mergeFuzzReports(shards, PER_GROUP);
    const names = (r: FuzzReport): string[] => r.groups.map((g) => `${g.kind} ${g.fn}`);
    expect(names(whole)).not.toEqual([...names(whole)].sort());
    expect(merged.groups).toEqual(whole.groups);
    expect(merged.findings).toEqual(whole.findings);
    expect(merged.violations).toEqual(whole.violations);
    expect(merged.unconfirmed).toEqual(whole.unconfirmed);
  });
});
