// Finding trace files: the arguments of `vpdma replay`, where a directory means every trace
// file under it. Sorted, so the order (and with it every report) never depends on readdir.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import { formatOf } from './traceFiles.js';

/** Walks at most this deep. */
const depthMax = 16;

export type Collected =
  | {
      readonly files: string[];
      /** Directories named that hold no trace file (the caller warns, or refuses if all are). */
      readonly empty: string[];
    }
  | { readonly error: string };

/** What is said of a directory with no trace file in it. */
export const emptyDirMessage = (dir: string): string =>
  `${oneLine(dir)}: no trace files (.jsonl, .vpt, .txt) in this directory`;

/** A directory under a replay argument that cannot be listed (the whole run is refused). */
class Unlistable extends Error {}

async function walk(dir: string, depth: number, out: string[], seen: Set<string>): Promise<void> {
  if (depth > depthMax) return;
  // Each directory once, however many links lead to it (a link to a parent is a loop).
  const real = await realpath(dir).catch(() => dir);
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new Unlistable(`${dir}: cannot list this directory (${code})`);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // A link is followed; a dangling one named like a trace is kept,
    // so that reading it reports it rather than the run skipping it without a word.
    const linked = e.isSymbolicLink() ? await stat(p).catch(() => undefined) : undefined;
    if (e.isDirectory() || linked?.isDirectory() === true) await walk(p, depth + 1, out, seen);
    else if ((e.isFile() || e.isSymbolicLink()) && formatOf(p) !== undefined) out.push(p);
  }
}

export async function collectTraces(paths: readonly string[]): Promise<Collected> {
  const files: string[] = [];
  const empty: string[] = [];
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch {
      return { error: `${p}: no such file or directory` };
    }
    if (s.isDirectory()) {
      const before = files.length;
      try {
        await walk(p, 0, files, new Set());
      } catch (e) {
        if (e instanceof Unlistable) return { error: e.message };
        throw e;
      }
      if (files.length === before) empty.push(p);
    } else if (formatOf(p) === undefined) {
      return { error: `${p}: unknown trace format (use .jsonl, .vpt or .txt)` };
    } else files.push(p);
  }
  const [first] = empty;
  if (files.length === 0 && first !== undefined) return { error: emptyDirMessage(first) };
  // A file named twice (`corpus corpus/events.jsonl`) is replayed once, where first named.
  const named = new Set<string>();
  const once: string[] = [];
  for (const f of files) {
    if (named.has(resolve(f))) continue;
    named.add(resolve(f));
    once.push(f);
  }
  return { files: once, empty };
}
