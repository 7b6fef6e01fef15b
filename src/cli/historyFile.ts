// Reading and writing the `--history` file. A missing or empty file is an empty history (the
// first run), and a leading BOM is ignored; any other problem is an error value naming the
// file, for the caller to report as bad input (exit 2): unreadable or not a regular file, of a
// version a newer vpdma wrote (upgrade to read it), or `damaged` (too large, not JSON, another
// format or an unknown older version, a bad bucket), which only an explicit recovery
// (src/cli/historyRecover.ts) may replace. The caller must not write a history it could not
// read: the file is never silently replaced.
//
// Writes are atomic (temporary file, fsync, rename), so a failed or interrupted write leaves
// the previous file exactly as it was; and the version a write replaces is kept beside it, in
// FILE.prev (see writeHistory), for the day FILE is damaged after all (a hand edit, a CI cache
// that restored half of it, a merge conflict committed into it).
import { constants } from 'node:fs';
import { copyFile, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { emptyHistory, type History } from '../report/history.js';
import { historyJson, readHistoryText } from '../report/historyFormat.js';
import { ioMessage } from '../store/fileChunks.js';
import { writeFileAtomic } from '../store/writeFile.js';

/** A history this large is not one vpdma wrote (a bucket is ~300 bytes). */
export const historyBytesMax = 64 * 1024 * 1024;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A history as read, and the text it was read from. */
export interface HistoryRead {
  readonly history: History;
  /** The file's text ('' when it was missing): what a write replacing it keeps in FILE.prev. */
  readonly text: string;
}

/** Why a history file could not be read. */
export interface HistoryProblem {
  /** One line naming the file and the place: `history file H: buckets[2].kind: ...`. */
  readonly message: string;
  /** The same without the file's name: what is wrong, and where in it. */
  readonly reason: string;
  /**
   * A regular file vpdma read that holds no history it reads: damaged, which a recovery may
   * replace. False for one it could not read at all (permissions, a directory), and for one a
   * newer vpdma wrote (a higher version): not damage.
   */
  readonly damaged: boolean;
}

/** Where the version a write of `path` replaced is kept. */
export const prevPath = (path: string): string => `${path}.prev`;

export async function readHistory(path: string): Promise<Result<HistoryRead, HistoryProblem>> {
  const problem = (reason: string, damaged: boolean) =>
    err({ message: `history file ${path}: ${reason}`, reason, damaged });
  try {
    const s = await stat(path);
    if (!s.isFile()) return problem('not a regular file', false);
    if (s.size > historyBytesMax)
      return problem(`${s.size} bytes, more than the ${historyBytesMax} a history may have`, true);
    const text = await readFile(path, 'utf8');
    // A BOM (an editor's, PowerShell's) is not part of the JSON; an empty file (`touch`, a CI
    // cache primed empty) is a history with nothing in it yet, as a missing one is.
    const json = text.replace(/^\uFEFF/, '');
    if (json.trim() === '') return ok({ history: emptyHistory(), text });
    const parsed = readHistoryText(json);
    if (parsed.ok) return ok({ history: parsed.value, text });
    // A newer vpdma's history is good: refused, never replaced as damage.
    return problem(parsed.error.message, parsed.error.newerVersion === undefined);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return ok({ history: emptyHistory(), text: '' });
    return problem(`cannot read it (${message(e)})`, false);
  }
}

/**
 * Replaces the file atomically; rejects (leaving the old file intact) if the write fails.
 * `replaced` is the text the file held when it was read (HistoryRead.text): when it held a
 * history, and not this very one, it is kept first in FILE.prev, so FILE.prev is always a
 * history vpdma read whole, the one before the last change. An empty `replaced` (FILE was
 * missing or empty, or damaged and recovered from) leaves FILE.prev as it is: a write never
 * replaces the last good version with nothing, nor with damage.
 */
export async function writeHistory(path: string, history: History, replaced = ''): Promise<void> {
  const text = historyJson(history);
  if (replaced.trim() !== '' && replaced !== text) {
    const prev = prevPath(path);
    await writeFileAtomic(prev, replaced).catch((e: unknown) => {
      throw new Error(`keeping the version it replaces as ${prev}: ${ioMessage(e)}`);
    });
  }
  await writeFileAtomic(path, text);
}

/** `at` as a file name's stamp: 2024-05-01T02:03:04.567Z as 20240501T020304Z. */
export function fileStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Keeps the bytes of a damaged history `path` beside it, as `path.damaged-<stamp>` (`-2`, `-3`
 * ... when taken), whole or not at all (copied to a temporary name, fsynced, renamed): the
 * name it kept them under. The file itself is left as it is, so that a run that dies before
 * writing the history over it leaves it where the next run refuses it again.
 */
export async function keepDamaged(path: string, at: Date): Promise<string> {
  const base = `${path}.damaged-${fileStamp(at)}`;
  let kept = base;
  for (
    let n = 2;
    await stat(kept).then(
      () => true,
      () => false,
    );
    n++
  )
    kept = `${base}-${n}`;
  const temp = join(dirname(path), `.${basename(kept)}.${process.pid}.tmp`);
  try {
    await copyFile(path, temp, constants.COPYFILE_EXCL);
    const fh = await open(temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, kept);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  return kept;
}

/** The FILE.damaged-<stamp> copies a recovery leaves: the one it keeps, the newest others. */
export const damagedCopiesMax = 3;

/** `<stamp>` or `<stamp>-<n>` after `FILE.damaged-`, as keepDamaged names them. */
const DAMAGED_SUFFIX = /^(\d{8}T\d{6}Z)(?:-(\d+))?$/;

/**
 * Deletes the copies keepDamaged made of `path` beyond the newest `damagedCopiesMax` (by the
 * time and number in their names), never `kept` (the one just made), so they do not pile up
 * night after night: the paths deleted. Only names keepDamaged makes are touched; one that
 * cannot be deleted stays, unsaid.
 */
export async function pruneDamaged(path: string, kept: string): Promise<string[]> {
  const prefix = `${basename(path)}.damaged-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const older = names
    .flatMap((name) => {
      const suffix = name.slice(prefix.length);
      const m = name.startsWith(prefix) ? DAMAGED_SUFFIX.exec(suffix) : null;
      if (m === null || name === basename(kept)) return [];
      return [{ file: `${path}.damaged-${suffix}`, stamp: m[1] ?? '', n: Number(m[2] ?? 1) }];
    })
    .sort((a, b) => (a.stamp === b.stamp ? b.n - a.n : a.stamp < b.stamp ? 1 : -1));
  const deleted: string[] = [];
  for (const { file } of older.slice(damagedCopiesMax - 1)) {
    const gone = await unlink(file).then(
      () => true,
      () => false,
    );
    if (gone) deleted.push(file);
  }
  return deleted;
}
