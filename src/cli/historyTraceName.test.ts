// The bundled corpus's traces as --history names them: `corpus:<name>` on every machine, and
// an older history's absolute paths renamed as it is read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyHistory, updateHistory } from '../report/history.js';
import { bundledCorpusDir } from '../store/corpus.js';
import { historyTraceName, historyTraceNames, traceIdOf } from './historyTraceName.js';
import { loadHistory } from './nightlyHistory.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-trace-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const here = (name: string): string => join(bundledCorpusDir(), name);
const elsewhere = (name: string): string => `/home/runner/ci/node_modules/vpdma/corpus/${name}`;
const SIGNATURE = 'target-crashed/GetCommonBuffer/b8a02000';

describe('historyTraceName', () => {
  it('names a bundled trace corpus:<name>, here or in another install', () => {
    expect(historyTraceName(here('events.jsonl'))).toBe('corpus:events.jsonl');
    expect(historyTraceName(elsewhere('events.jsonl'))).toBe('corpus:events.jsonl');
  });

  it("keeps a user's trace as replayed, and names a repro as merges do", () => {
    for (const t of [
      '/home/me/corpus/mine.jsonl', // a directory named corpus, a file vpdma does not bundle
      '/home/me/captures/events.jsonl', // a bundled name, not in a corpus directory
      'corpus/events.jsonl', // relative: the user's --replay as given
      'regress/a.jsonl',
    ])
      expect(historyTraceName(t)).toBe(t);
    expect(historyTraceName(`/s1/out/findings/${SIGNATURE}/repro.jsonl`)).toBe(
      `findings/${SIGNATURE}/repro.jsonl`,
    );
  });
});

describe('traceIdOf', () => {
  it("names a trace of this install's corpus corpus:<name>, however the path was given", () => {
    expect(traceIdOf(here('events.jsonl'))).toBe('corpus:events.jsonl');
    // The tests run at the repository's root, where corpus/ is the bundled corpus.
    expect(traceIdOf('corpus/events.jsonl')).toBe('corpus:events.jsonl');
    expect(traceIdOf('out/findings/target-crashed/GetCommonBuffer/b8a02000/repro.txt')).toBe(
      'findings/target-crashed/GetCommonBuffer/b8a02000/repro.txt',
    );
  });

  it("keeps every other trace as given, a user's corpus/ of bundled names too", () => {
    for (const t of [
      'regress/a.jsonl',
      '<stdin>',
      elsewhere('events.jsonl'),
      '/home/me/corpus/events.jsonl',
    ])
      expect(traceIdOf(t)).toBe(t);
  });
});

describe('an older history, with the bundled corpus by absolute path', () => {
  const bucket = {
    signature: SIGNATURE,
    target: 'model',
    kind: 'target-crashed',
    fn: 'VideoPortGetCommonBuffer',
    firstSeen: 'n1',
    lastSeen: 'n1',
    timesSeen: 1,
    traces: [here('events.jsonl'), elsewhere('events.jsonl'), '/home/me/regress/a.jsonl'],
    shownAt: { [here('events.jsonl')]: 3, [elsewhere('events.jsonl')]: 5 },
  };

  it('reads with stable names (each once), and is fixed when they pass', async () => {
    const path = join(dir, 'h.json');
    writeFileSync(path, JSON.stringify({ format: 'vpdma-history', version: 2, buckets: [bucket] }));
    const file = await loadHistory(path);
    const named = ['/home/me/regress/a.jsonl', 'corpus:events.jsonl'];
    expect(file?.history.buckets[0]?.traces).toEqual(named);
    // Where they showed it, under the same names: of two names of one trace, the later call.
    expect(file?.history.buckets[0]?.shownAt).toEqual({ 'corpus:events.jsonl': 5 });
    const run = { runId: 'n2', target: 'model', complete: true, tracesPassing: new Set(named) };
    const u = updateHistory(file?.history ?? emptyHistory(), [], run);
    expect(u.history.buckets[0]?.fixedSince).toBe('n2');
    // A history with no traces is left as it is.
    const { traces, shownAt, ...untraced } = bucket;
    expect([traces.length, Object.keys(shownAt).length]).toEqual([3, 2]);
    const plain = { ...emptyHistory(), buckets: [untraced] };
    expect(historyTraceNames(plain)).toBe(plain);
  });
});
