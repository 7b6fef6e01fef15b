// Finding trace files: the arguments of `vpdma replay`, where a directory means every trace
// file under it, one per name (a finding's repro.jsonl, repro.txt and repro.vpt are one
// trace), and a finding's directory its repro alone (its original.* is the case before
// minimizing). Sorted, so the order (and with it every report) never depends on readdir.
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import {
  formatOf,
  isGzipPath,
  isOriginalStem,
  isShardReproStem,
  traceStem,
} from './traceFormat.js';

/** Walks at most this deep. */
const depthMax = 16;

export type Collected =
  | {
      readonly files: string[];
      /** Directories named that hold no trace file (the caller warns, or refuses if all are). */
      readonly empty: string[];
      /** Files in a directory left out for the same name in a preferred format (see walk). */
      readonly alternates: Alternate[];
    }
  | { readonly error: string };

/** What is said of a directory with no trace file in it. */
export const emptyDirMessage = (dir: string): string =>
  `${oneLine(dir)}: no trace files (.jsonl, .vpt, .txt, or those .gz) in this directory`;

/** A directory under a replay argument that cannot be listed (the whole run is refused). */
class Unlistable extends Error {}

/** A directory's trace stored in several formats is replayed from one: the first of these. */
const PREFERRED = ['jsonl', 'vpt', 'txt'] as const;

/**
 * A file left out because the same name is in the directory in a format preferred to it, or
 * (`original`) because it is a finding's original beside that finding's repro.
 */
export interface Alternate {
  readonly skipped: string;
  readonly kept: string;
  readonly original?: true;
}

/** What marks a finding's directory (cli/findingFiles.ts writes it beside the repro). */
const FINDING_JSON = 'finding.json';

interface Walk {
  readonly files: string[];
  readonly alternates: Alternate[];
  readonly seen: Set<string>;
}

async function walk(dir: string, depth: number, w: Walk): Promise<void> {
  if (depth > depthMax) return;
  // Each directory once, however many links lead to it (a link to a parent is a loop).
  const real = await realpath(dir).catch(() => dir);
  if (w.seen.has(real)) return;
  w.seen.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new Unlistable(`${dir}: cannot list this directory (${code})`);
  }
  const listed: { path: string; dir: boolean }[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // A link is followed; a dangling one named like a trace is kept, and so is a FIFO or a
    // device so named, so that reading it reports it (`not a regular file`) rather than the
    // run skipping it without a word.
    const linked = e.isSymbolicLink() ? await stat(p).catch(() => undefined) : undefined;
    if (e.isDirectory() || linked?.isDirectory() === true) listed.push({ path: p, dir: true });
    else if (formatOf(p) !== undefined) listed.push({ path: p, dir: false });
  }
  const kept = keptByName(listed.filter((l) => !l.dir).map((l) => l.path));
  // A finding's directory is one trace, its repro: its original (the case as it ran, before
  // minimizing) would count the finding twice, and --explain would refuse the directory. So is
  // one where a merge put a killed shard's repro (repro-shard-K-of-N), beside its original
  // and perhaps the merged finding's repro: the one replayed is the finding's, else that one.
  const shardRepro = [...kept.keys()].sort().find((s) => isShardReproStem(basename(s)));
  const repro = entries.some((e) => e.name === FINDING_JSON)
    ? kept.get(join(dir, 'repro'))
    : shardRepro === undefined
      ? undefined
      : kept.get(shardRepro);
  const beside = (s: string): boolean => isOriginalStem(s) || isShardReproStem(s);
  for (const l of listed) {
    if (l.dir) await walk(l.path, depth + 1, w);
    else {
      const k = kept.get(stem(l.path)) ?? l.path;
      if (repro !== undefined && k !== repro && beside(basename(stem(l.path))))
        w.alternates.push({ skipped: l.path, kept: repro, original: true });
      else if (k === l.path) w.files.push(l.path);
      else w.alternates.push({ skipped: l.path, kept: k });
    }
  }
}

/** The name without its trace extension (`repro` for repro.jsonl, repro.txt and repro.vpt). */
const stem = traceStem;

/** For each name, the file replayed: the preferred format among those present. */
function keptByName(traces: readonly string[]): Map<string, string> {
  const kept = new Map<string, string>();
  // Uncompressed before compressed: the same trace, read without inflating it.
  const rank = (p: string): number =>
    PREFERRED.indexOf(formatOf(p) ?? 'txt') * 2 + (isGzipPath(p) ? 1 : 0);
  for (const p of traces) {
    const have = kept.get(stem(p));
    if (have === undefined || rank(p) < rank(have)) kept.set(stem(p), p);
  }
  return kept;
}

/**
 * The lines said of the files left out (none when none were): a findings directory holds each
 * repro as .jsonl, .txt and .vpt, and replaying all three reported every violation three
 * times; and beside it the finding's original, which is replayed only when named.
 */
export function alternatesLines(alternates: readonly Alternate[]): string[] {
  const lines: string[] = [];
  const formats = alternates.filter((a) => a.original !== true);
  const [first] = formats;
  if (first !== undefined) {
    const n = formats.length;
    const files = n === 1 ? 'a file that repeats a trace' : `${n} files that repeat traces`;
    lines.push(
      oneLine(
        `skipped ${files} in another format (${first.skipped} beside ${first.kept}${n > 1 ? ', ...' : ''}): a directory's trace is replayed from one file per name, .jsonl, else .vpt, else .txt (uncompressed before .gz); name a file to replay it`,
      ),
    );
  }
  const originals = alternates.filter((a) => a.original === true);
  const [one] = originals;
  if (one !== undefined) {
    const n = new Set(originals.map((a) => a.kept)).size;
    // A killed shard's repro a merge put beside a finding's is another case of that bug.
    const shards = originals.some((a) => isShardReproStem(basename(stem(a.skipped))));
    const of =
      n === 1
        ? `a finding's original${shards ? " (or a killed shard's repro)" : ''}`
        : `the originals${shards ? " (and killed shards' repros)" : ''} of ${n} findings`;
    lines.push(
      oneLine(
        `skipped ${of} (${one.skipped} beside ${one.kept}${originals.length > 1 ? ', ...' : ''}): a finding's directory is replayed from its repro; name its original.vpt to replay the case as it ran`,
      ),
    );
  }
  return lines;
}

export async function collectTraces(paths: readonly string[]): Promise<Collected> {
  const files: string[] = [];
  const empty: string[] = [];
  const alternates: Alternate[] = [];
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
        await walk(p, 0, { files, alternates, seen: new Set() });
      } catch (e) {
        if (e instanceof Unlistable) return { error: e.message };
        throw e;
      }
      if (files.length === before) empty.push(p);
    } else if (formatOf(p) === undefined) {
      return { error: `${p}: unknown trace format (use .jsonl, .vpt or .txt, or those .gz)` };
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
  // Named on its own, a file is replayed whatever else its directory holds.
  return {
    files: once,
    empty,
    alternates: alternates.filter((a) => !named.has(resolve(a.skipped))),
  };
}
