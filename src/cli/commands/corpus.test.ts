// `vpdma corpus prune` in-process through main(): a trace that adds no coverage goes, the
// rest stay; --dry-run only lists; a damaged file is warned about and left alone. And once as
// a child process that gets SIGINT while it measures: nothing deleted, one line, exit 130.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STALE_TEMP_AGE_MS } from '../../store/atomicFile.js';
import { interruptCli, runCli } from '../../../test/support/runCli.js';

const corpus = resolve(import.meta.dirname, '../../../corpus');
let dir = '';
const p = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-prune-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fill(sub: string): Promise<string> {
  const d = p(sub);
  await rm(d, { recursive: true, force: true });
  await mkdir(d, { recursive: true });
  for (const n of ['events.jsonl', 'pool-helpers.jsonl'])
    await copyFile(join(corpus, n), join(d, n));
  // The same trace again under a name that sorts later: it adds nothing, so it is the one to go.
  await copyFile(join(corpus, 'events.jsonl'), join(d, 'zz-events-again.jsonl'));
  await writeFile(join(d, 'damaged.vpt'), 'VPDT\u0001 damaged'); // the magic, then damage
  return d;
}

describe('vpdma corpus prune', () => {
  it('deletes the trace that adds no coverage, warns about a damaged one and keeps it', async () => {
    const d = await fill('a');
    const r = await runCli(['corpus', 'prune', d]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^vpdma: skipping corrupted corpus file .*damaged\.vpt: /);
    expect(r.out).toMatch(
      /^vpdma corpus prune: kept 2 of 3 traces \([\d.]+ KiB of [\d.]+ KiB\); coverage \d+ keys, unchanged\n$/,
    );
    expect((await readdir(d)).sort()).toEqual([
      'damaged.vpt',
      'events.jsonl',
      'pool-helpers.jsonl',
    ]);
  });

  it('removes the temporary files of a run killed mid-write, once they are old', async () => {
    const d = await fill('t');
    const dead = spawnSync('true').pid;
    const stale = join(d, `.x.vpt.${dead}.0.tmp`);
    const young = join(d, `.y.vpt.${dead}.0.tmp`);
    await writeFile(stale, 'partial');
    await writeFile(young, 'partial');
    const old = new Date(Date.now() - STALE_TEMP_AGE_MS - 60_000);
    await utimes(stale, old, old);
    const dry = await runCli(['corpus', 'prune', d, '--dry-run']);
    expect(dry.out).not.toContain('temporary');
    const r = await runCli(['corpus', 'prune', d]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('removed 1 temporary file of runs killed mid-write\n');
    const left = await readdir(d);
    expect(left).toContain(`.y.vpt.${dead}.0.tmp`);
    expect(left).not.toContain(`.x.vpt.${dead}.0.tmp`);
  });

  it('--dry-run lists what it would delete and deletes nothing', async () => {
    const d = await fill('b');
    const r = await runCli(['corpus', 'prune', d, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`would delete ${join(d, 'zz-events-again.jsonl')}\n`);
    expect(r.out).toMatch(/would keep 2 of 3 traces \(/);
    expect((await readdir(d)).length).toBe(4);
  });

  it('--entries-max keeps that many and says what coverage went with the rest', async () => {
    const d = await fill('m');
    const dry = await runCli(['corpus', 'prune', d, '--entries-max', '1', '--dry-run']);
    expect(dry.code).toBe(0);
    const line =
      /would keep 1 of 3 traces \(.* of .*\), the most --entries-max 1 allows; coverage (\d+) of (\d+) keys: (\d+) lost \((\d+) of them reached by one trace alone\)\n$/;
    const [, kept, all, lost] = line.exec(dry.out) ?? [];
    expect(dry.out).toMatch(line);
    expect(Number(kept) + Number(lost)).toBe(Number(all));
    expect(Number(lost)).toBeGreaterThan(0);
    expect((await readdir(d)).length).toBe(4);
    const r = await runCli(['corpus', 'prune', d, '--entries-max', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`vpdma corpus prune: kept 1 of 3 traces`);
    // The damaged file is not a trace of the corpus: it stays, and one trace with it.
    expect((await readdir(d)).length).toBe(2);
  });

  it('--bytes-max keeps what fits; a bad size is one line, exit 2', async () => {
    const d = await fill('s');
    const r = await runCli(['corpus', 'prune', d, '--bytes-max', '1', '--dry-run']);
    expect(r.out).toMatch(
      /would keep 0 of 3 traces \(0 B of [\d.]+ KiB\), the most --bytes-max 1 allows; coverage 0 of \d+ keys/,
    );
    const big = await runCli(['corpus', 'prune', d, '--bytes-max', '1G', '--dry-run']);
    expect(big.out).toMatch(/would keep 2 of 3 traces .*; coverage \d+ keys, unchanged\n$/);
    for (const [flag, value] of [
      ['--bytes-max', '2X'],
      ['--bytes-max', '0'],
      ['--entries-max', '-1'],
    ] as const) {
      const bad = await runCli(['corpus', 'prune', d, flag, value]);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(new RegExp(`^vpdma: ${flag}: expected .*"${value}"\n$`));
    }
    expect((await readdir(d)).length).toBe(4);
  });

  it('a directory that does not exist is one line, exit 2; an empty one has nothing to prune', async () => {
    const missing = await runCli(['corpus', 'prune', p('missing')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`vpdma: ${p('missing')}: not a directory (or does not exist)\n`);
    await mkdir(p('empty'), { recursive: true });
    // A first night's empty corpus must not fail a pipeline that prunes after merging.
    const empty = await runCli(['corpus', 'prune', p('empty')]);
    expect(empty).toEqual({
      code: 0,
      out: `vpdma corpus prune: ${p('empty')} holds no readable traces; nothing to prune\n`,
      err: '',
    });
  });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('vpdma corpus prune, interrupted', () => {
  it('stops before deleting anything: one line, exit 130, the corpus as it was', async () => {
    const d = p('big');
    await mkdir(d, { recursive: true });
    // 60 copies of each bundled trace: a second or more of measuring, nearly all to delete.
    const bundled = (await readdir(corpus)).filter((n) => n.endsWith('.jsonl'));
    for (let i = 0; i < 60; i++)
      for (const n of bundled) await copyFile(join(corpus, n), join(d, `${i}-${n}`));
    await writeFile(join(d, 'damaged.vpt'), 'VPDT\u0001 damaged'); // the magic, then damage
    const before = (await readdir(d)).sort();
    // The warning about the damaged file comes once every file is read: measuring begins.
    const measuring = async (stderr: () => string): Promise<void> => {
      for (let i = 0; i < 600 && !stderr().includes('damaged.vpt'); i++) await sleep(10);
    };
    const r = await interruptCli(['corpus', 'prune', d], measuring);
    expect([r.code, r.err]).toEqual([
      130,
      expect.stringContaining(
        `\nvpdma corpus prune: SIGINT: stopped; nothing deleted, ${d} is as it was\n`,
      ),
    ]);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.out).toBe('');
    expect((await readdir(d)).sort()).toEqual(before);
  });
});
