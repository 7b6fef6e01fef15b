// A --corpus directory holding a link into the bundled corpus (a user who linked the traces
// they start from): the campaign's base holds that trace once, as the bundled entry, as a
// link inside one directory already was; a copy of it (another file) is the user's own entry.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-corpus-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The base's size of a one-case fuzz run from `corpus`, as its report counts it. */
async function baseOf(name: string, fill: (corpus: string) => void): Promise<number> {
  const corpus = join(dir, name, 'corpus');
  mkdirSync(corpus, { recursive: true });
  fill(corpus);
  const json = join(dir, name, 'report.json');
  const r = await runCli([
    ...['fuzz', '--runs', '1', '--target', 'model', '--seed', '1', '--workers', '1'],
    ...['--corpus', corpus, '--out', join(dir, name, 'out'), '--json', json, '--quiet'],
  ]);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(readFileSync(json, 'utf8')) as { corpus: { base: number } }).corpus.base;
}

describe('a --corpus directory linking into the bundled corpus', () => {
  it('loads the linked trace once; a copy of it is an entry of its own', async () => {
    const bundled = await readCorpusDir(bundledCorpusDir(), (m) => expect.fail(m));
    const first = bundled[0]?.path ?? '';
    expect(await baseOf('empty', () => undefined)).toBe(bundled.length);
    expect(
      await baseOf('linked', (c) => {
        symlinkSync(first, join(c, 'mine.jsonl'));
      }),
    ).toBe(bundled.length);
    expect(await baseOf('copied', (c) => copyFileSync(first, join(c, 'mine.jsonl')))).toBe(
      bundled.length + 1,
    );
  });

  it('readCorpusDir: a file of a directory read before into `seen` is not read again', async () => {
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    for (const d of [a, b]) mkdirSync(d);
    const bundled = await readCorpusDir(bundledCorpusDir(), (m) => expect.fail(m));
    copyFileSync(bundled[0]?.path ?? '', join(a, 'x.jsonl'));
    symlinkSync(join(a, 'x.jsonl'), join(b, 'y.jsonl'));
    copyFileSync(bundled[1]?.path ?? '', join(b, 'z.jsonl'));
    const seen = new Set<string>();
    const fail = (m: string): void => expect.fail(m);
    expect((await readCorpusDir(a, fail, '', undefined, seen)).map((f) => f.name)).toEqual([
      'x.jsonl',
    ]);
    expect((await readCorpusDir(b, fail, '', undefined, seen)).map((f) => f.name)).toEqual([
      'z.jsonl',
    ]);
    // Each directory alone still reads its link.
    expect((await readCorpusDir(b, fail)).map((f) => f.name)).toEqual(['y.jsonl', 'z.jsonl']);
  });
});
