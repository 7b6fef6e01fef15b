// The --corpus directory as `vpdma fuzz` and `vpdma nightly` load it, and --corpus-max: when
// the directory holds more entries than that, the base keeps the ones a greedy cover ranks
// first (src/fuzz/cover.ts: rare coverage first, then the most coverage), and the rest are
// deleted before fuzzing. A function of the directory's contents (and of --profile,
// --disable), so every shard of a night keeps the same entries and a merge of the shards is
// still what one machine would have written. `vpdma nightly` caps at NIGHTLY_CORPUS_MAX unless
// told otherwise: a corpus carried from night to night otherwise only grows, and every entry
// costs each later night start-up time and memory in every thread (BENCHMARKS.md, "The kept
// corpus at nightly scale").
import { unlink } from 'node:fs/promises';
import type { BaseCap } from '../fuzz/base.js';
import { readCorpusDir, type CorpusFile } from '../store/corpus.js';
import { ioMessage } from '../store/fileChunks.js';
import { positiveInt } from './options.js';

/**
 * `vpdma nightly`'s cap when no --corpus-max is given: about what one 5-minute night against
 * the model keeps (9,000 to 11,300 entries). At 8,514 entries a campaign's start-up took 8.5 s
 * in the main thread and about as long again in each worker, and 1.2 GB (BENCHMARKS.md, "The
 * kept corpus at nightly scale").
 */
export const NIGHTLY_CORPUS_MAX = 10_000;

const capText =
  'keep at most this many entries in the --corpus directory: when it holds more, the ones adding least coverage (rare coverage counts most) are deleted before fuzzing, and the summary says what coverage went with them';

export const CORPUS_MAX_OPTION = [
  '--corpus-max <n>',
  `${capText} (default and 0: no limit)`,
] as const;

export const NIGHTLY_CORPUS_MAX_OPTION = [
  '--corpus-max <n>',
  `${capText} (default: ${NIGHTLY_CORPUS_MAX}; 0: no limit)`,
] as const;

/** --corpus-max: undefined for no limit (0), `fallback` when not given. */
export function corpusMaxOption(
  text: string | undefined,
  fallback: number | undefined = undefined,
): number | undefined {
  if (text === undefined) return fallback;
  const n = positiveInt('--corpus-max', text, 0, 100_000_000, 0);
  return n === 0 ? undefined : n;
}

export interface LoadedCorpus {
  readonly files: readonly CorpusFile[];
  /** What the directory held, and how long reading it took. */
  readonly found: { readonly entries: number; readonly bytes: number; readonly readMs: number };
  readonly cap?: BaseCap;
  /** Deletes the entries the cap left out; a file that cannot go is a warning. */
  readonly drop: (names: readonly string[]) => Promise<void>;
  /** Entries in the base now (all of them until drop). */
  readonly size: () => number;
}

/** `seen`: the files of the base read already (the bundled corpus's: readCorpusDir). */
export async function loadCorpus(
  dir: string,
  warn: (message: string) => void,
  corpusMax: number | undefined,
  seen?: Set<string>,
): Promise<LoadedCorpus> {
  const t0 = performance.now();
  const files = await readCorpusDir(dir, warn, '', undefined, seen);
  const readMs = performance.now() - t0;
  const paths = new Map(files.map((f) => [f.name, f.path]));
  let size = files.length;
  return {
    files,
    found: { entries: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0), readMs },
    ...(corpusMax === undefined
      ? {}
      : { cap: { entriesMax: corpusMax, capped: new Set(paths.keys()) } }),
    drop: async (names) => {
      size = files.length - names.length;
      for (const name of names) {
        const path = paths.get(name);
        if (path === undefined) continue;
        await unlink(path).catch((e: unknown) =>
          warn(`--corpus-max: cannot delete ${path} (${ioMessage(e)}); the next run tries again`),
        );
      }
    },
    size: () => size,
  };
}
