// The fuzzing corpus on disk: one .vpt file per kept case, named by the SHA-256 of its bytes
// (content-addressed: the same case kept twice is one file), written atomically, so a run
// interrupted at any point leaves only whole files (and, after SIGKILL, hidden temporary files,
// which the next run to keep a case removes; an entry damaged all the same, its bytes no
// longer its name, is written again by the next run to keep that case). Reading skips any file that does not
// decode, or whose bytes do not hash to its content-addressed name, with a warning naming it
// (a damaged entry must not stop a nightly run), and reads a file linked in twice once (also
// a --corpus link into the bundled corpus).
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { ensureDir, isDir } from './ensureDir.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Trace } from '../trace/trace.js';
import { formatTraceError } from '../trace/traceError.js';
import { removeStaleTemps } from './atomicFile.js';
import { formatOf, readTrace, writeTraceAtomic } from './traceFiles.js';
import { notATrace } from './notATrace.js';
import { oneLine } from '../core/oneLine.js';
import { writeFileAtomic } from './writeFile.js';
import { readRegularFile } from './fileChunks.js';
import { decodeVpt, encodeVpt } from '../trace/vpt.js';

export interface CorpusFile {
  /** The file name inside its directory (bundled entries: "corpus/NAME"). */
  readonly name: string;
  readonly path: string;
  readonly trace: Trace;
  /** The file's size. */
  readonly bytes: number;
  /**
   * Its bytes, for a content-addressed .vpt (checked against its name): a campaign shares them
   * with its workers as they are instead of encoding the trace again (base.ts).
   */
  readonly encoded?: Uint8Array;
}

/** Content address of an encoded trace: 32 hex digits of its SHA-256. */
export function contentName(bytes: Uint8Array): string {
  return `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.vpt`;
}

/** A content address as contentName makes it (a name a user gave cannot be checked). */
const isContentName = (name: string): boolean => /^[0-9a-f]{32}\.vpt$/.test(name);

/**
 * Whether a corpus file's bytes disagree with its name, when the name is a content address
 * (a file a user put there under another name cannot be checked this way).
 */
export function damagedEntry(name: string, bytes: Uint8Array): boolean {
  return isContentName(name) && contentName(bytes) !== name;
}

/**
 * A corpus file read: a content-addressed one from its bytes, held once both to check them
 * against its name (its file's SHA-256: contentName) and to decode them; `damaged` when they
 * do not match. Any other file (and one that cannot be read whole) as readTrace reads it.
 */
async function readEntry(
  path: string,
  name: string,
): Promise<(Awaited<ReturnType<typeof readTrace>> & { encoded?: Uint8Array }) | 'damaged'> {
  if (!isContentName(name)) return readTrace(path);
  const bytes = await readRegularFile(path).catch(() => undefined);
  if (bytes === undefined) return readTrace(path);
  if (damagedEntry(name, bytes)) return 'damaged';
  const r = decodeVpt(bytes, path);
  return r.ok ? { ...r, encoded: bytes } : r;
}

// Made once per process: the nightly's history looks it up for every trace it names
// (historyTraceName), and it cannot change while vpdma runs.
const bundledDir = fileURLToPath(new URL('../../corpus/', import.meta.url));

/** The corpus shipped with vpdma (the package's corpus/ directory). */
export function bundledCorpusDir(): string {
  return bundledDir;
}

/** Corpus files read at once. */
const readsInFlight = 16;

/**
 * Every readable trace file directly in `dir` (.vpt, .jsonl, .txt), in name order; a missing
 * directory is an empty corpus. `warn` hears about each file that was skipped, and why. Once
 * `signal` aborts no more files are read, and what was read is dropped unwarned: the caller,
 * who aborted, has stopped (it checks the signal). `seen`: the files (device and inode) read
 * already, this directory's added: shared by the reads of one base (the bundled corpus, then
 * --corpus), a link in one to a file of the other is read once, under its first name.
 */
export async function readCorpusDir(
  dir: string,
  warn: (message: string) => void,
  prefix = '',
  signal?: AbortSignal,
  seen = new Set<string>(),
): Promise<CorpusFile[]> {
  if (!(await isDir(dir))) return [];
  const names = (await readdir(dir))
    .filter((n) => !n.startsWith('.') && formatOf(n) !== undefined)
    .sort();
  // Several files in flight: one at a time, a corpus of 8,093 entries spent 72% of its
  // 5 s of reading waiting for the file system. Results and warnings stay in name order.
  const read = new Array<Awaited<ReturnType<typeof readEntry>> | undefined>(names.length);
  const sizes = new Array<number>(names.length).fill(0);
  /** Each file's identity (device and inode, links followed): a link to an entry is that entry. */
  const ids = new Array<string | undefined>(names.length);
  const foreign = new Array<string | undefined>(names.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < names.length && signal?.aborted !== true; i = next++) {
      const path = join(dir, names[i] as string);
      read[i] = await readEntry(path, names[i] as string);
      const r = read[i];
      if (r !== 'damaged' && r?.ok === true) {
        const st = await stat(path).catch(() => undefined);
        sizes[i] = st?.size ?? 0;
        ids[i] = st === undefined ? undefined : `${st.dev}:${st.ino}`;
      } else if (r !== 'damaged') foreign[i] = await notATrace(path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(readsInFlight, names.length) }, lane));
  if (signal?.aborted === true) return [];
  const out: CorpusFile[] = [];
  names.forEach((n, i) => {
    const path = join(dir, n);
    const r = read[i];
    const id = ids[i];
    if (r === undefined) return;
    if (r === 'damaged')
      warn(
        `skipping corrupted corpus file ${oneLine(path)}: its bytes do not hash to its name (a content address), so they changed after it was written`,
      );
    else if (r.ok) {
      // Each file once, under its first name: a link to an entry in the same directory, or in
      // one read before it into `seen` (or a second hard link), is not a second entry.
      if (id !== undefined && seen.has(id)) return;
      if (id !== undefined) seen.add(id);
      const encoded = 'encoded' in r && r.encoded !== undefined ? { encoded: r.encoded } : {};
      out.push({ name: `${prefix}${n}`, path, trace: r.value, bytes: sizes[i] ?? 0, ...encoded });
    } else if (foreign[i] !== undefined)
      warn(`corpus file ${oneLine(path)}: not a trace, ignored (${foreign[i]})`);
    else warn(`skipping corrupted corpus file ${path}: ${formatTraceError(r.error)}`);
  });
  return out;
}

/**
 * Where a campaign keeps its new cases: each is written to `dir` once (content-addressed),
 * atomically; resolves to its file name. Early in a campaign it keeps hundreds a second, so
 * the directory is made and listed once rather than checked around every file (a mkdir and
 * two stats per entry were an eighth of the main thread's time), and entries are not fsynced:
 * after a power failure the newest may be missing or damaged, and reading skips a damaged
 * one with a warning, so two fsyncs per entry would buy nothing a corpus needs.
 */
export function corpusKeeper(dir: string): (trace: Trace) => Promise<string> {
  let listing: Promise<Set<string>> | undefined;
  /** Names this keeper wrote, or read once already: not read again. */
  const checked = new Set<string>();
  const present = (): Promise<Set<string>> =>
    (listing ??= ensureDir(dir)
      .then(async () => {
        const names = await readdir(dir);
        // Temporary files of a run killed mid-write (kill -9): readers skip them, but a corpus
        // that CI keeps from night to night would gather them for good.
        await removeStaleTemps(dir, names);
        return new Set(names);
      })
      .catch((e: unknown) => {
        listing = undefined; // a later case tries again
        throw e;
      }));
  return async (trace) => {
    const bytes = encodeVpt(trace);
    const name = contentName(bytes);
    const names = await present();
    if (checked.has(name)) return name;
    checked.add(name);
    // An entry already there is read once, the first time its case is kept: one a killed run
    // tore (its bytes no longer its name; reading skips it) is written again, else it would
    // stay damaged for good. One that cannot be read is left as it is.
    const existed = names.has(name);
    if (existed) {
      const there = await readRegularFile(join(dir, name)).catch(() => undefined);
      if (there === undefined || !damagedEntry(name, there)) return name;
    }
    names.add(name);
    try {
      await writeFileAtomic(join(dir, name), bytes, {
        makeDir: false,
        durable: false,
        fresh: true,
      });
    } catch (e) {
      checked.delete(name);
      if (!existed) names.delete(name);
      throw e;
    }
    return name;
  };
}

export interface ReproPaths {
  readonly jsonl: string;
  readonly txt: string;
  readonly vpt: string;
}

/**
 * A finding's repro in all three formats (repro.jsonl, repro.txt, repro.vpt) under `dir`;
 * repro.txt holds `text` (the annotated form, which parses to `trace`).
 */
export async function writeRepro(dir: string, trace: Trace, text: string): Promise<ReproPaths> {
  const paths = {
    jsonl: join(dir, 'repro.jsonl'),
    txt: join(dir, 'repro.txt'),
    vpt: join(dir, 'repro.vpt'),
  };
  await writeTraces(dir, [paths.jsonl, paths.txt, paths.vpt], trace, text);
  return paths;
}

/** A finding's original (its failing case as it ran, unminimized): the files under `dir`. */
export const originalFiles = (dir: string): { readonly txt: string; readonly vpt: string } => ({
  txt: join(dir, 'original.txt'),
  vpt: join(dir, 'original.vpt'),
});

/** original.txt (holding `text`, the annotated form) and original.vpt under `dir`. */
export async function writeOriginal(
  dir: string,
  trace: Trace,
  text: string,
): Promise<ReturnType<typeof originalFiles>> {
  const paths = originalFiles(dir);
  await writeTraces(dir, [paths.txt, paths.vpt], trace, text);
  return paths;
}

async function writeTraces(
  dir: string,
  paths: readonly string[],
  trace: Trace,
  text: string,
): Promise<void> {
  await ensureDir(dir);
  for (const p of paths) {
    const r = await writeTraceAtomic(p, trace, text);
    if (!r.ok) throw new Error(formatTraceError(r.error));
  }
}
