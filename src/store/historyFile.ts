// Reading and writing the `--history` file. A missing or empty file is an empty history (the
// first run), and a leading BOM is ignored; any other problem (unreadable, too large, not
// JSON, another format or version, a bad bucket) is an error value whose message names the
// file, for the caller to report as bad input (exit 2). The caller must not write a history it could not read: the file is never
// silently replaced. Writes are atomic (temporary file, fsync, rename), so a failed or
// interrupted write leaves the previous file exactly as it was.
import { readFile, stat } from 'node:fs/promises';
import { err, ok, type Result } from '../core/result.js';
import { emptyHistory, type History } from '../report/history.js';
import { historyJson, parseHistory } from '../report/historyFormat.js';
import { writeFileAtomic } from './writeFile.js';

/** A history this large is not one vpdma wrote (a bucket is ~300 bytes). */
export const historyBytesMax = 64 * 1024 * 1024;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function readHistory(path: string): Promise<Result<History, string>> {
  const where = `history file ${path}`;
  try {
    const s = await stat(path);
    if (!s.isFile()) return err(`${where}: not a regular file`);
    if (s.size > historyBytesMax)
      return err(`${where}: ${s.size} bytes, more than the ${historyBytesMax} a history may have`);
    // A BOM (an editor's, PowerShell's) is not part of the JSON; an empty file (`touch`, a CI
    // cache primed empty) is a history with nothing in it yet, as a missing one is.
    const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    if (text.trim() === '') return ok(emptyHistory());
    const parsed = parseHistory(text);
    return parsed.ok
      ? parsed
      : err(`${where}: ${parsed.error}; fix it or move it away (vpdma will not overwrite it)`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(emptyHistory());
    return err(`${where}: cannot read it (${message(e)})`);
  }
}

/** Replaces the file atomically; rejects (leaving the old file intact) if the write fails. */
export async function writeHistory(path: string, history: History): Promise<void> {
  await writeFileAtomic(path, historyJson(history));
}
