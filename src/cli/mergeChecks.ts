// What `vpdma merge` checks before it writes anything: that the shards are the shards of one
// run, and that no output it writes is a file it reads from a shard.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { UserError } from './context.js';
import { landsIn, STDOUT_FILE } from './outputDir.js';
import type { Shard } from './shardReport.js';
import { plural } from '../core/plural.js';
import { FUZZ_DEFAULTS } from '../fuzz/fuzzDefaults.js';

/** The shard's corpus directory: its OUT/corpus if unpacked there, else as recorded. */
export function corpusDirOf(s: Shard): string {
  const local = join(s.dir, 'corpus');
  return existsSync(local) ? local : (s.report.fuzzDetail.corpus.dir ?? local);
}

/** A directory's entries but hidden ones (temporary files), sorted; none if it is not there. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
}

/** Shards of different campaigns cannot be merged: refuse, naming the field. */
export async function checkCompatible(shards: readonly Shard[]): Promise<string[]> {
  const first = shards[0]?.report;
  if (first === undefined) throw new UserError('merge: give at least one shard directory');
  const same = (label: string, f: (r: NightlyReportWithDetail) => unknown): void => {
    for (const s of shards) {
      if (JSON.stringify(f(s.report)) !== JSON.stringify(f(first))) {
        throw new UserError(
          `merge: ${s.dir} has ${label} ${JSON.stringify(f(s.report))}, ${shards[0]?.dir} has ${JSON.stringify(f(first))}: not shards of one run`,
        );
      }
    }
  };
  same('seed', (r) => r.seed);
  same('vpdma version', (r) => r.vpdmaVersion);
  same('model revision', (r) => r.modelRevision);
  checkBuilds(shards);
  same('target', (r) => r.target);
  same('profile', (r) => r.profile);
  same('budget', (r) => r.fuzzDetail.budget);
  same('calls per case', (r) => r.fuzzDetail.callsMax);
  same('--timeout (ms)', (r) => r.fuzzDetail.timeoutMs);
  // Older reports lack these; nightly then always used the defaults (2 and 2000).
  same('--repros-per-kind', (r) => r.fuzzDetail.reprosPerKind ?? FUZZ_DEFAULTS.reprosPerKind);
  same('--attempts-max', (r) => r.fuzzDetail.attemptsMax ?? FUZZ_DEFAULTS.attemptsMax);
  same('--disable', (r) => r.fuzzDetail.disabled ?? []);
  // The marks of one shard stand for all (mergeKnown.ts): every one set aside the same.
  same('--known', (r) => r.knownFrom ?? []);
  // A worker that outgrows a lower limit makes a leaking module: target's case a finding.
  same('--worker-heap-mb', (r) => r.fuzzDetail.workerHeapMb ?? "Node's default");
  // A child killed past a lower limit makes a leaking process: target's case a finding.
  same('--rss-limit-mb', (r) => r.fuzzDetail.rssLimitMb ?? 'not recorded');
  // Which corpus traces each shard replayed, and so what the merged corpus section says.
  same('--budget-replay', (r) => r.corpus.budgetReplay ?? 'none');
  same('shard count', (r) => (r.shard ?? '1/1').split('/')[1]);
  // Case i depends on the corpus the run started from: every shard must start from the same.
  const base = (r: NightlyReportWithDetail): string | undefined => r.fuzzDetail.corpus.baseId;
  const other = shards.find((s) => base(s.report) !== base(first));
  const firstShard = shards[0];
  if (other !== undefined && firstShard !== undefined) {
    const counts = `${other.report.fuzzDetail.corpus.base} against ${plural(first.fuzzDetail.corpus.base, 'trace')}`;
    const differ =
      other.report.fuzzDetail.corpus.base === first.fuzzDetail.corpus.base
        ? `same count, different entries${await firstDifference(firstShard, other)}`
        : counts;
    throw new UserError(
      `merge: ${other.dir} started from a different base corpus than ${firstShard.dir} (${differ}): not shards of one run; give every shard the same --corpus`,
    );
  }
  const names = shards.map((s) => s.report.shard ?? '1/1');
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UserError(`merge: shard ${dup} given twice`);
  return names;
}

/**
 * Every shard from one build (the same code and fast-check/pure-rand: buildRevision), or else
 * a seed's cases differ between them. Reports without a build revision come from a vpdma
 * before it was recorded: shards that all lack it merge as before (nothing to compare), but
 * one without it beside one with it are two builds.
 */
function checkBuilds(shards: readonly Shard[]): void {
  const first = shards[0];
  if (first === undefined) return;
  const named = (s: Shard): string =>
    s.report.buildRevision === undefined
      ? 'no build revision (an older vpdma)'
      : `build revision ${s.report.buildRevision}`;
  const other = shards.find((s) => s.report.buildRevision !== first.report.buildRevision);
  if (other !== undefined)
    throw new UserError(
      `merge: ${other.dir} has ${named(other)}, ${first.dir} has ${named(first)}: not shards of one run; build every shard from the same vpdma commit and lockfile`,
    );
}

/**
 * The first entry (by name) that one shard's base corpus has and the other's lacks, as
 * " (first difference: NAME, in DIR only)": a base is the shard's corpus directory now, less
 * what the shard kept this run. Empty when the directories do not show it (the difference is
 * in the bundled corpus, or a shard's corpus was not copied along).
 */
async function firstDifference(a: Shard, b: Shard): Promise<string> {
  const baseOf = async (s: Shard): Promise<Set<string>> => {
    const kept = new Set(s.report.fuzzDetail.corpus.keptFiles.map((k) => k.file));
    return new Set((await listDir(corpusDirOf(s))).filter((n) => !kept.has(n)));
  };
  const [inA, inB] = await Promise.all([baseOf(a), baseOf(b)]);
  const only = [
    ...[...inA].filter((n) => !inB.has(n)).map((n) => [n, a.dir] as const),
    ...[...inB].filter((n) => !inA.has(n)).map((n) => [n, b.dir] as const),
  ].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const first = only[0];
  return first === undefined ? '' : ` (first difference: ${first[0]}, in ${first[1]} only)`;
}

/** Whether `path` lies inside directory `dir` or is it (both as landsIn gives them). */
function within(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * --json and --history must not replace a file merge reads from a shard (its report.json, its
 * corpus, its findings): the next merge of the same shards, a re-run of the CI job, would read
 * the merged report (or the history) in its place.
 */
export async function checkNotShardInputs(
  outputs: readonly (readonly [flag: string, path: string | undefined])[],
  shards: readonly Shard[],
): Promise<void> {
  const read = await Promise.all(
    shards.map(async (s) => ({
      dir: s.dir,
      paths: await Promise.all(
        // What it reads, and the shard's other reports (a --json over its junit.xml).
        [
          join(s.dir, 'report.json'),
          corpusDirOf(s),
          join(s.dir, 'findings'),
          ...['junit.xml', 'results.sarif', 'report.html'].map((f) => join(s.dir, f)),
        ].map(landsIn),
      ),
    })),
  );
  for (const [flag, path] of outputs) {
    if (path === undefined || path === STDOUT_FILE || path === '') continue;
    const lands = await landsIn(path);
    const shard = read.find((s) => s.paths.some((p) => within(p, lands)));
    if (shard !== undefined)
      throw new UserError(
        `merge: ${flag} ${path}: is in shard ${shard.dir}, which this merge reads; give a file outside the shards`,
      );
  }
}
