// Output directories are checked before the work, not after an hour of fuzzing.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { checkWritableDir } from '../store/ensureDir.js';
import { formatOf } from '../store/traceFiles.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError, writeLong, type CliIo } from './context.js';

/** A report file named `-` is standard output; the human summary then goes to stderr. */
export const STDOUT_FILE = '-';

/** Where the human summary goes: stderr when a report takes stdout. */
export function summaryTo(io: CliIo, ...reports: (string | undefined)[]): (text: string) => void {
  return reports.includes(STDOUT_FILE) ? io.err : io.out;
}

/** A report into `file`, atomically, or onto standard output for `-`. */
export async function writeReportFile(io: CliIo, file: string, text: string): Promise<void> {
  if (file === STDOUT_FILE) {
    await writeLong(io, text);
    return;
  }
  // Node's ENOSPC and EFBIG messages name no file: the one-line message must.
  await writeFileAtomic(file, text).catch((e: unknown) => {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  });
}

function notWritable(flag: string, path: string, e: unknown): UserError {
  return new UserError(
    `${flag} ${path}: not writable (${e instanceof Error ? e.message : String(e)})`,
  );
}

/**
 * `dir` (named by `flag` in the message) exists or is created, and takes a file. A missing
 * path named like a trace (`--corpus seeds.jsonl`) is a slip, not a directory to make.
 */
export async function checkOutputDir(flag: string, dir: string): Promise<void> {
  if (formatOf(dir) !== undefined && (await stat(dir).catch(() => undefined)) === undefined)
    throw new UserError(`${flag} ${dir}: names a trace file; ${flag} takes a directory`);
  await writableDir(flag, dir);
}

async function writableDir(flag: string, dir: string): Promise<void> {
  await checkWritableDir(dir).catch((e: unknown) => {
    throw notWritable(flag, dir, e);
  });
}

/**
 * `file` can be written: an existing FIFO or device (`--json /dev/stdout`) is written into,
 * so it only needs to be writable; anything else goes through its directory.
 */
export async function checkOutputFile(flag: string, file: string): Promise<void> {
  if (file === STDOUT_FILE) return;
  if (file === '') throw new UserError(`${flag}: an empty file name`);
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory() === true)
    throw new UserError(`${flag} ${file}: is a directory; give the file to write`);
  if (st === undefined || st.isFile()) {
    // Written as a new file beside it, then renamed: the directory must take one. Named by
    // the file given, which is what the user knows.
    await checkWritableDir(dirname(file)).catch((e: unknown) => {
      throw notWritable(flag, file, e);
    });
    return;
  }
  await access(file, constants.W_OK).catch((e: unknown) => {
    throw notWritable(flag, file, e);
  });
}

/**
 * The file a write to `path` lands in: through symlinks (atomic writes replace a link's target,
 * not the link), so an output that links to an input is caught as that input.
 */
export async function landsIn(path: string): Promise<string> {
  const full = resolve(path);
  const real = await realpath(full).catch(() => undefined);
  if (real !== undefined) return real;
  // Not there yet: where its nearest existing directory really is (`out/corpus/x.jsonl` before
  // `out` is made, under a linked directory), so it compares with paths that do exist.
  const parent = dirname(full);
  return parent === full ? full : join(await landsIn(parent), basename(full));
}

/**
 * Report files (and other files a run writes: `--history`), named by their flags, checked
 * before any work: one that is a trace to replay, or a link to one, would replace that trace
 * (a capture perhaps nobody can make again); one in a corpus directory would be read back by
 * every later run as a corrupted corpus entry.
 */
export async function checkReportPaths(
  reports: readonly (readonly [flag: string, path: string | undefined])[],
  traces: readonly string[],
  corpusDirs: readonly string[] = [],
  /** Paths given to replay: a report named like a trace in one would be read back as one. */
  replayPaths: readonly string[] = [],
): Promise<void> {
  const inputs = new Set(await Promise.all(traces.map(landsIn)));
  const real = (ds: readonly string[]) =>
    Promise.all(ds.map(async (d) => [d, await landsIn(d)] as const));
  const dirs = await real(corpusDirs);
  const replayDirs = await real(replayPaths);
  for (const [flag, path] of reports) {
    if (path === undefined || path === STDOUT_FILE || path === '') continue;
    const lands = await landsIn(path);
    if (inputs.has(lands))
      throw new UserError(`${flag} ${path}: is one of the traces to replay; give another file`);
    for (const [dir, realDir] of dirs)
      if (isUnder(realDir, lands))
        throw new UserError(
          `${flag} ${path}: is in the corpus directory ${dir}, which every later run reads; give another file`,
        );
    if (formatOf(path) === undefined) continue;
    for (const [dir, realDir] of replayDirs)
      if (isUnder(realDir, lands))
        throw new UserError(
          `${flag} ${path}: is named like a trace in ${dir}, which is replayed: the next run would read the report as a trace; give another name`,
        );
  }
}

/** Whether `path` lies inside directory `dir` (both as landsIn gives them). */
function isUnder(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
