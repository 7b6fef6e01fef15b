// One shard's report.json, read and checked whole before merge writes anything.
import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportShapeError } from '../core/reportShapeError.js';
import { corpusNote } from '../fuzz/corpusNote.js';
import { FUZZ_DEFAULTS } from '../fuzz/fuzzDefaults.js';
import { mergeFuzzReports } from '../fuzz/mergeReports.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { UserError } from './context.js';
import { ioMessage, readRegularFile } from '../store/fileChunks.js';
import { checkShardShape } from './shardShape.js';
import { regressionResults } from './regressionResults.js';

export interface Shard {
  readonly dir: string;
  readonly report: NightlyReportWithDetail;
}

export async function readShard(dir: string): Promise<Shard> {
  const path = join(dir, 'report.json');
  let raw: unknown;
  try {
    raw = JSON.parse((await readRegularFile(path)).toString('utf8'));
  } catch (e) {
    throw new UserError(`${path}: cannot read a nightly report (${ioMessage(e)})`);
  }
  const r = raw as Partial<NightlyReportWithDetail>;
  const command = (raw as { command?: unknown }).command;
  if (r.schema === 'vpdma-report' && command !== 'nightly' && typeof command === 'string')
    throw new UserError(
      `${path}: the report of vpdma ${command}, not of vpdma nightly: merge combines the shards of \`vpdma nightly --shard K/N\``,
    );
  if (
    r.schema !== 'vpdma-report' ||
    r.command !== 'nightly' ||
    r.fuzzDetail === undefined ||
    typeof r.shard !== 'string'
  ) {
    throw new UserError(`${path}: not the report.json of a vpdma nightly run`);
  }
  if (r.schemaVersion !== 1)
    throw new UserError(
      `${path}: report schema version ${JSON.stringify(r.schemaVersion)} is not supported (this vpdma reads version 1)`,
    );
  const report = raw as NightlyReportWithDetail;
  probe(path, report);
  return { dir, report };
}

/**
 * A shard directory with no report.json: its night was killed (SIGKILL, a CI job's timeout)
 * before writing its reports, and a CI step that uploads --out whatever happened (`if:
 * always()`) hands it to the merge with its corpus and its findings' originals. Not a
 * directory at all is a mistyped argument, refused as before.
 */
async function killedBeforeReports(dir: string): Promise<boolean> {
  const isDir = (await stat(dir).catch(() => undefined))?.isDirectory() === true;
  const report = await lstat(join(dir, 'report.json')).then(
    () => 'there',
    (e: unknown) => (e as NodeJS.ErrnoException).code,
  );
  return isDir && report === 'ENOENT';
}

/**
 * Every shard given, a killed one (above) left out with a line saying so: a shard lost on the
 * way, which the merge names as missing and never lets exit 0 (its directory in `killed`, for
 * the originals it left: mergeLost.ts). Nothing but killed shards is nothing to merge:
 * refused, naming the first one's missing report.
 */
export async function readShards(
  dirs: readonly string[],
  err: (line: string) => void,
): Promise<{ shards: Shard[]; killed: string[] }> {
  const isKilled = await Promise.all(dirs.map(killedBeforeReports));
  const given = dirs.filter((_, i) => isKilled[i] !== true);
  if (given.length === 0) return { shards: await Promise.all(dirs.map(readShard)), killed: [] };
  const killed = dirs.filter((_, i) => isKilled[i] === true);
  for (const dir of killed)
    err(
      `vpdma merge: ${dir} holds no report.json (its night was killed before writing its reports, as by a CI job's timeout): left out, as a shard lost on the way\n`,
    );
  return { shards: await Promise.all(given.map(readShard)), killed };
}

/**
 * Checks the fields merge reads (shardShape.ts), then runs what merge computes from one report
 * on this report alone, before anything is written: a field that is missing or of the wrong
 * type (a hand-edited or damaged file) is then a one-line error naming the file, not a crash
 * halfway through writing --out.
 */
function probe(path: string, r: NightlyReportWithDetail): void {
  asReportProblem(path, () => {
    checkShardShape(r);
    mergeFuzzReports([r.fuzzDetail], FUZZ_DEFAULTS.reprosPerKind);
    regressionResults([r.corpus]);
    mergedTiming([r]);
    corpusNote(r.fuzzDetail);
  });
}

/**
 * `fn()`, with a ReportShapeError (the file's fault) as the user's error naming `path`; any
 * other error is merge's own bug and goes on as it is, to be reported as one.
 */
export function asReportProblem<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!ReportShapeError.is(e)) throw e;
    throw new UserError(`${path}: not a well-formed vpdma nightly report: ${e.message}`);
  }
}

/** The merged run's timing: each phase as long as its slowest shard; workers added up. */
export function mergedTiming(
  rs: readonly NightlyReportWithDetail[],
): NightlyReportWithDetail['timing'] {
  const max = (f: (r: NightlyReportWithDetail) => number): number => Math.max(...rs.map(f));
  return {
    replayMs: max((r) => r.timing.replayMs),
    fuzzMs: max((r) => r.timing.fuzzMs),
    minimizeMs: max((r) => r.timing.minimizeMs),
    reportMs: max((r) => r.timing.reportMs),
    wallMs: max((r) => r.timing.wallMs),
    peakRssBytes: max((r) => r.timing.peakRssBytes),
    workers: rs.reduce((n, r) => n + r.timing.workers, 0),
  };
}
