// What a run's report and summary say about its --corpus directory: what --corpus-max
// deleted before fuzzing, and the coverage that went with it; or, once the directory is large
// and nothing bounds it, what it costs and how to bound it. No run removes a case an earlier
// one kept, so a nightly corpus only grows (docs/nightly.md, "Keeping the corpus bounded").
import { oneLine } from '../core/oneLine.js';
import { shellWord } from '../core/shellWord.js';
import { sizeText } from '../core/sizeText.js';
import type { Capped } from './base.js';
import type { FuzzReport } from './fuzzReport.js';

/** What --corpus-max did: the entries it deleted before fuzzing, and the coverage lost. */
export interface CorpusCapped {
  readonly corpusMax: number;
  /** Entries the directory held, more than corpusMax. */
  readonly entries: number;
  readonly deleted: number;
  /** Coverage keys its entries reached beyond the bundled corpus's; of them, those kept. */
  readonly keys: number;
  readonly keysKept: number;
  /** Lost keys that one entry alone had reached. */
  readonly rareLost: number;
}

/** The report's account of a cap (base.ts's Capped, without the names). */
export function cappedOf(c: Capped): CorpusCapped {
  return {
    corpusMax: c.entriesMax,
    entries: c.entries,
    deleted: c.dropped.length,
    keys: c.keys,
    keysKept: c.keysKept,
    rareLost: c.rareLost,
  };
}

/** Entries in the --corpus directory from which a run without --corpus-max says what they cost. */
export const CORPUS_LARGE_ENTRIES = 1000;

/** The line, or undefined when there is nothing to say. */
export function corpusNote(
  r: Pick<FuzzReport, 'corpus' | 'corpusMax' | 'timing'>,
): string | undefined {
  const dir = r.corpus.dir ?? 'the --corpus directory';
  const c = r.corpus.capped;
  if (c !== undefined) {
    const lost = c.keys - c.keysKept;
    const coverage =
      lost === 0
        ? 'the entries deleted added no coverage'
        : `${lost} of the ${c.keys} coverage keys its entries reached were lost with them (${c.rareLost} of those reached by one entry alone)`;
    return `corpus: ${oneLine(dir)} held ${c.entries} entries, more than --corpus-max ${c.corpusMax}: ${c.deleted} deleted before fuzzing, those adding least; ${coverage}`;
  }
  const found = r.corpus.found;
  // With a --corpus-max the operator has chosen the size: nothing to add until it cuts.
  if (found === undefined || r.corpusMax !== undefined) return undefined;
  if (found.entries < CORPUS_LARGE_ENTRIES) {
    // This run made it large (2 minutes against the model kept 9,046 entries, which the next
    // run took 31 s to load): said now, not first by the run that pays for it.
    const now = found.entries + r.corpus.kept;
    if (now < CORPUS_LARGE_ENTRIES) return undefined;
    return `corpus: ${oneLine(dir)} holds ${now} entries now (${r.corpus.kept} kept by this run), and every later run reads, lifts and measures them all before its first case (every thread holds them): bound it with --corpus-max N, or vpdma corpus prune ${oneLine(shellWord(dir))} --entries-max N (docs/nightly.md, "Keeping the corpus bounded")`;
  }
  const load =
    r.timing.loadMs === undefined ? '' : `, ${(r.timing.loadMs / 1000).toFixed(1)} s to load`;
  return `corpus: ${oneLine(dir)} held ${found.entries} entries (${sizeText(found.bytes)}${load}; every thread holds them all) and grows with every run: bound it with --corpus-max N, or vpdma corpus prune ${oneLine(shellWord(dir))} --entries-max N (docs/nightly.md, "Keeping the corpus bounded")`;
}
