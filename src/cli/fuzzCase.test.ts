// `vpdma fuzz --case N`: one case of a seed and starting corpus, written without running it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { buildBase } from '../fuzz/base.js';
import { generateCase } from '../fuzz/caseGen.js';
import { caseContext } from '../fuzz/run.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { decodeVpt } from '../trace/vpt.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-case-'));

describe('vpdma fuzz --case', () => {
  it('writes the case as generated, runs nothing, and it replays to its bug', async () => {
    const out = join(dir, 'c');
    const target = 'mutant:associate-writes-vrp';
    const r = await runCli([
      'fuzz',
      '--target',
      target,
      '--seed',
      '5',
      '--case',
      '0',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const vpt = join(out, 'case-0.vpt');
    expect(r.err).toContain(`not run: ${join(out, 'case-0.txt')}, ${vpt}\n`);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    // The case as the campaign would make it: same seed, settings and (bundled) base.
    const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const base = buildBase(bundled, 64);
    const s = { target, timeoutMs: 1000, sampleBytes: 512, callsMax: 64, seed: 5, seedText: '5' };
    const want = generateCase(caseContext(s, base.entries), 0);
    expect(decodeVpt(readFileSync(vpt), vpt)).toEqual({ ok: true, value: want });
    for (const f of ['case-0.vpt', 'case-0.txt']) {
      const replay = await runCli(['replay', join(out, f), '--target', target, '--quiet']);
      expect(replay.code, f).toBe(1);
      expect(replay.out, f).toContain(
        'inert-wrote-out-param: VideoPortAssociateEventsWithDmaHandle',
      );
    }
  });

  it('refuses a budget or a shard beside it, and an index that is not one', async () => {
    for (const [args, message] of [
      [['--runs', '5'], '--case and --runs: --case runs no case'],
      [['--time', '5s'], '--case and --time: --case runs no case'],
      [['--shard', '1/2'], '--case and --shard: a case index is the same in every shard'],
    ] as const) {
      const r = await runCli(['fuzz', '--case', '3', ...args, '--out', join(dir, 'u')]);
      expect(r.code, message).toBe(2);
      expect(r.err.trim()).toBe(`vpdma: ${message}`);
    }
    const bad = await runCli(['fuzz', '--case', '-1', '--out', join(dir, 'u')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--case: expected a whole number from 0');
  });
});
