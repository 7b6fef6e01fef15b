// Runs without a seed draw the same choices: a --time run on a corpus earlier runs left is
// told so, once; a seeded run, a --runs run or a fresh corpus is not.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { defaultSeedWarning } from './seedWarning.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-seed-warning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

describe('defaultSeedWarning', () => {
  const base = { given: false, seedText: '20261128', timeMs: 60_000, entries: 679 };
  it('warns for --time with the default seed on a corpus earlier runs left', () => {
    expect(defaultSeedWarning(base)).toBe(
      '--time on a corpus earlier runs left (679 entries) with the default seed 20261128: every run without --seed draws the same choices, so this one repeats much of the last; give each run its own seed (--seed or VPDMA_SEED, e.g. the date)',
    );
    expect(defaultSeedWarning({ ...base, entries: 1 })).toContain('(1 entry)');
  });
  it('is quiet for a seed given, a --runs budget (asked to be repeatable) or an empty corpus', () => {
    expect(defaultSeedWarning({ ...base, given: true })).toBeUndefined();
    expect(defaultSeedWarning({ ...base, timeMs: undefined })).toBeUndefined();
    expect(defaultSeedWarning({ ...base, entries: 0 })).toBeUndefined();
  });
});

describe('vpdma fuzz --time without a seed, resuming a corpus', () => {
  it('warns in one line on stderr, recorded in report.json', async () => {
    vi.stubEnv('VPDMA_SEED', '');
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    copyFileSync('corpus/events.jsonl', join(corpus, 'events.jsonl'));
    const out = join(dir, 'out');
    const args = ['fuzz', '--time', '1ms', '--workers', '1', '--corpus', corpus, '--out', out];
    const r = await runCli([...args, '--quiet']);
    expect(r.code, r.err).toBe(0);
    const warned = r.err.split('\n').filter((l) => l.includes('the default seed'));
    expect(warned).toEqual([
      expect.stringMatching(/^vpdma: --time on a corpus earlier runs left \(1 entry\) /),
    ]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      warnings: string[];
    };
    expect(report.warnings).toContain(warned[0]?.replace(/^vpdma: /, ''));
  });
});
