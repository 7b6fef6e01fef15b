// --corpus-max end to end: a nightly whose --corpus directory holds more entries deletes the
// ones adding least before fuzzing and says what coverage went; the choice depends on the
// directory alone, so one worker or two, and shards merged, write the same report and corpus.
// Within the cap nothing changes. `vpdma fuzz` without a cap says what a large corpus costs.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-corpus-max-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Detail {
  corpusMax?: number;
  corpus: {
    base: number;
    baseId: string;
    keptFiles: { file: string }[];
    found?: { entries: number; bytes: number };
    capped?: {
      corpusMax: number;
      entries: number;
      deleted: number;
      keys: number;
      keysKept: number;
    };
  };
}
const detail = (out: string): Detail =>
  (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { fuzzDetail: Detail }).fuzzDetail;

/** The report minus what may differ between runs on one machine or many (nightly.test.ts). */
function comparable(out: string): string {
  const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<
    string,
    unknown
  > & {
    fuzz: { series: unknown[] };
    fuzzDetail: Record<string, unknown> & { corpus: Record<string, unknown> };
  };
  for (const k of ['timing', 'startedAt', 'shard', 'shards', 'command', 'interrupted']) delete r[k];
  r.fuzz.series = [];
  for (const k of ['timing', 'shard', 'warnings']) delete r.fuzzDetail[k];
  delete r.fuzzDetail.corpus['dir'];
  return JSON.stringify(r).split(`${out}/`).join('OUT/');
}

const corpusOf = (out: string): string[] => readdirSync(join(out, 'corpus')).sort();
const seed = join(dir, 'seed');
let start: string[] = [];
const MAX = 12;

/** A night's --out holding the seed night's corpus, as a CI cache restores it. */
function restored(name: string): string {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  cpSync(join(seed, 'corpus'), join(out, 'corpus'), { recursive: true });
  return out;
}

const night = ['nightly', '--target', 'model', '--runs', '120', '--quiet'];

beforeAll(async () => {
  const r = await run([
    'nightly',
    '--target',
    'model',
    '--runs',
    '150',
    '--workers',
    '1',
    '--out',
    seed,
    '--quiet',
  ]);
  expect(r.code, r.err).toBe(0);
  start = corpusOf(seed);
  expect(start.length).toBeGreaterThan(4 * MAX);
});

describe('nightly --corpus-max', () => {
  it('deletes the entries adding least before fuzzing, says what went, and is the same however run', async () => {
    const whole = restored('whole');
    const r = await run([...night, '--out', whole, '--workers', '1', '--corpus-max', String(MAX)]);
    expect(r.code, r.err).toBe(0);
    const d = detail(whole);
    const c = d.corpus.capped;
    expect(d.corpusMax).toBe(MAX);
    expect(c).toMatchObject({ corpusMax: MAX, entries: start.length, deleted: start.length - MAX });
    if (c === undefined) throw new Error('not capped');
    expect(c.keysKept).toBeLessThan(c.keys);
    expect(d.corpus.found?.entries).toBe(start.length);
    expect(d.corpus.base).toBe(23 + MAX); // the bundled corpus always stays
    const lost = c.keys - c.keysKept;
    expect(r.out).toContain(
      `\ncorpus: ${join(whole, 'corpus')} held ${start.length} entries, more than --corpus-max ${MAX}: ${start.length - MAX} deleted before fuzzing, those adding least; ${lost} of the ${c.keys} coverage keys`,
    );
    // Given back with the same starting corpus, the cap picks the same base (the runs below).
    expect(r.out).toContain(`(--runs 120 --corpus-max ${MAX} reproduces them from the same`);
    // Left: MAX entries of the night's start, and what the night kept.
    const left = corpusOf(whole);
    const kept = new Set(d.corpus.keptFiles.map((k) => k.file));
    expect(left.filter((f) => !kept.has(f) && start.includes(f)).length).toBe(MAX);
    expect(left.filter((f) => !kept.has(f) && !start.includes(f))).toEqual([]);

    const two = restored('two-workers');
    expect(
      (await run([...night, '--out', two, '--workers', '2', '--corpus-max', String(MAX)])).code,
    ).toBe(0);
    expect(comparable(two)).toBe(comparable(whole));
    expect(corpusOf(two)).toEqual(left);

    const s1 = restored('s1');
    const s2 = restored('s2');
    const shard = (out: string, k: string): Promise<unknown> =>
      run([...night, '--out', out, '--workers', '1', '--shard', k, '--corpus-max', String(MAX)]);
    await shard(s1, '1/2');
    await shard(s2, '2/2');
    const merged = join(dir, 'merged');
    const m = await run(['merge', s1, s2, '--out', merged]);
    expect(m.code, m.err).toBe(0);
    expect(comparable(merged)).toBe(comparable(whole));
    expect(corpusOf(merged)).toEqual(left);
    expect(m.out).toContain(`more than --corpus-max ${MAX}: ${start.length - MAX} deleted`);
  });

  it('within the cap deletes nothing and starts from the same base as without one', async () => {
    const plain = restored('plain');
    const within = restored('within');
    expect((await run([...night, '--out', plain, '--workers', '1'])).code).toBe(0);
    const r = await run([
      ...night,
      '--out',
      within,
      '--workers',
      '1',
      '--corpus-max',
      String(start.length),
    ]);
    expect(r.code).toBe(0);
    expect(detail(within).corpus.capped).toBeUndefined();
    expect(detail(within).corpus.baseId).toBe(detail(plain).corpus.baseId);
    expect(corpusOf(within)).toEqual(corpusOf(plain));
    expect(r.out).not.toMatch(/\ncorpus: .*(--corpus-max|grows)/);
  });

  it('a bad --corpus-max is one line, exit 2, before any work', async () => {
    const out = join(dir, 'bad');
    const r = await run([...night, '--out', out, '--corpus-max', '-1']);
    expect(r).toMatchObject({
      code: 2,
      err: 'vpdma: --corpus-max: expected a whole number from 0 to 100000000, got "-1"\n',
    });
    expect(() => readdirSync(out)).toThrow();
  });

  it('is 10000 by default, which the report and the rerun line name; 0 is no limit', async () => {
    const plain = restored('default');
    const r = await run([...night, '--out', plain, '--workers', '1']);
    expect(r.code, r.err).toBe(0);
    expect(detail(plain).corpusMax).toBe(10000);
    expect(detail(plain).corpus.capped).toBeUndefined();
    expect(r.out).toContain('(--runs 120 --corpus-max 10000 reproduces them from the same');
    const none = restored('none');
    const n = await run([...night, '--out', none, '--workers', '1', '--corpus-max', '0']);
    expect(n.code, n.err).toBe(0);
    expect(detail(none).corpusMax).toBeUndefined();
    expect(detail(none).corpus.baseId).toBe(detail(plain).corpus.baseId);
    expect(n.out).toContain('(--runs 120 reproduces them from the same');
    const help = await run(['nightly', '--help']);
    expect(help.out.replace(/\s+/g, ' ')).toContain('(default: 10000; 0: no limit)');
  });
});

describe('a large corpus without --corpus-max', () => {
  it('is given its size, load time and the commands that bound it', async () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    const events = resolve(import.meta.dirname, '../../corpus/events.jsonl');
    for (let i = 0; i < 1000; i++) await copyFile(events, join(big, `e${i}.jsonl`));
    const out = join(dir, 'big-out');
    const r = await run([
      'fuzz',
      '--target',
      'model',
      '--runs',
      '1',
      '--workers',
      '1',
      '--corpus',
      big,
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `\\ncorpus: ${big} held 1000 entries \\([\\d.]+ MiB, [\\d.]+ s to load; every thread holds them all\\) and grows with every run: bound it with --corpus-max N, or vpdma corpus prune ${big} --entries-max N`,
      ),
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Detail;
    expect(report.corpus.found?.entries).toBe(1000);
  });
});
