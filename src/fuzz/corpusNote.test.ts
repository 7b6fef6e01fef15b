// What a summary says of the --corpus directory: what --corpus-max cut and the coverage that
// went with it; once the directory is large and unbounded, its cost and how to bound it;
// otherwise nothing.
import { describe, expect, it } from 'vitest';
import { sizeText } from '../core/sizeText.js';
import { CORPUS_LARGE_ENTRIES, corpusNote } from './corpusNote.js';
import type { FuzzReport } from './fuzzReport.js';

type Noted = Parameters<typeof corpusNote>[0];
const corpus: FuzzReport['corpus'] = { dir: 'out/corpus', base: 21, kept: 0, keptFiles: [] };
const timing = {
  workers: 1,
  fuzzMs: 1,
  minimizeMs: 0,
  wallMs: 1,
  casesPerSecond: 1,
  callsPerSecond: 1,
};

describe('corpusNote', () => {
  it('says nothing of a small corpus, nor of a report without the figures', () => {
    const found = { entries: CORPUS_LARGE_ENTRIES - 1, bytes: 5_000_000 };
    expect(corpusNote({ corpus: { ...corpus, found }, timing })).toBeUndefined();
    expect(corpusNote({ corpus, timing })).toBeUndefined();
  });

  it('gives a large corpus its size, load time and the commands that bound it', () => {
    const r: Noted = {
      corpus: { ...corpus, found: { entries: 3140, bytes: 7_636_151 } },
      timing: { ...timing, loadMs: 4712 },
    };
    expect(corpusNote(r)).toBe(
      'corpus: out/corpus held 3140 entries (7.3 MiB, 4.7 s to load; every thread holds them all) and grows with every run: bound it with --corpus-max N, or vpdma corpus prune out/corpus --entries-max N (docs/nightly.md, "Keeping the corpus bounded")',
    );
    // Bounded already (within its --corpus-max): the operator chose the size.
    expect(corpusNote({ ...r, corpusMax: 5000 })).toBeUndefined();
  });

  it('says so when this run made the directory large, and nothing when it stays small', () => {
    const found = { entries: 200, bytes: 1_000_000 };
    const r: Noted = { corpus: { ...corpus, found, kept: CORPUS_LARGE_ENTRIES - 200 }, timing };
    expect(corpusNote(r)).toBe(
      `corpus: out/corpus holds ${CORPUS_LARGE_ENTRIES} entries now (${CORPUS_LARGE_ENTRIES - 200} kept by this run), and every later run reads, lifts and measures them all before its first case (every thread holds them): bound it with --corpus-max N, or vpdma corpus prune out/corpus --entries-max N (docs/nightly.md, "Keeping the corpus bounded")`,
    );
    const small = { ...r, corpus: { ...r.corpus, kept: CORPUS_LARGE_ENTRIES - 201 } };
    expect(corpusNote(small)).toBeUndefined();
    // Bounded: the operator chose the size.
    expect(corpusNote({ ...r, corpusMax: 5000 })).toBeUndefined();
  });

  it('says what --corpus-max deleted, and the coverage lost with it', () => {
    const capped = {
      corpusMax: 2000,
      entries: 3140,
      deleted: 1140,
      keys: 6000,
      keysKept: 5900,
      rareLost: 70,
    };
    expect(corpusNote({ corpus: { ...corpus, capped }, corpusMax: 2000, timing })).toBe(
      'corpus: out/corpus held 3140 entries, more than --corpus-max 2000: 1140 deleted before fuzzing, those adding least; 100 of the 6000 coverage keys its entries reached were lost with them (70 of those reached by one entry alone)',
    );
    const none = { ...capped, keysKept: 6000, rareLost: 0 };
    expect(corpusNote({ corpus: { ...corpus, capped: none }, corpusMax: 2000, timing })).toMatch(
      /: 1140 deleted before fuzzing, those adding least; the entries deleted added no coverage$/,
    );
  });
});

describe('sizeText', () => {
  it('prints bytes, KiB, MiB and GiB', () => {
    expect([950, 2048, 7_636_151, 3 * 1024 ** 3].map(sizeText)).toEqual([
      '950 B',
      '2.0 KiB',
      '7.3 MiB',
      '3.0 GiB',
    ]);
  });
});
