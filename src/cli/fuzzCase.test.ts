// `vpdma fuzz --case N`: one case of a seed and starting corpus, written without running it.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { buildBase } from '../fuzz/base.js';
import { generateCase } from '../fuzz/caseGen.js';
import { caseContext } from '../fuzz/run.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import type { Trace } from '../trace/trace.js';
import { decodeVpt, encodeVpt } from '../trace/vpt.js';
import { createModelTargetSync } from '../replay/modelTarget.js';
import { fuzzTarget } from './fuzzTarget.js';

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
    // Nothing else is written (--help): not even the empty OUT/corpus a run would keep cases in.
    expect(readdirSync(out).sort()).toEqual(['case-0.txt', 'case-0.vpt']);
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
    // --case only reads --corpus: a file there is refused, as a run refuses it.
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const corpus = await runCli(['fuzz', '--case', '3', '--corpus', file, '--out', join(dir, 'u')]);
    expect([corpus.code, corpus.err.trim()]).toEqual([
      2,
      `vpdma: --corpus ${file}: not a directory; --corpus takes a directory`,
    ]);
    const bad = await runCli(['fuzz', '--case', '-1', '--out', join(dir, 'u')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--case: expected a whole number from 0');
  });
});

function traceIn(file: string): Trace {
  const r = decodeVpt(readFileSync(file), file);
  if (!r.ok) throw new Error(`${file}: not a trace`);
  return r.value;
}

describe('vpdma fuzz --case with --rounds', () => {
  // A rounds run whose corpus holds what it kept, then --case with the same seed, rounds and
  // (empty) starting corpus: the written case is the one the run kept, byte for byte.
  const common = ['--target', 'model', '--seed', '7', '--workers', '1'];
  const size = 15;
  const caseWithRounds = (n: number, out: string) =>
    runCli(['fuzz', ...common, '--rounds', String(size), '--case', String(n), '--out', out]);

  it('writes the case the run made: one that mutates a case kept in an earlier round', async () => {
    const out = join(dir, 'rounds');
    const run = await runCli([
      'fuzz',
      ...common,
      '--runs',
      '45',
      '--rounds',
      String(size),
      '--out',
      out,
      '--quiet',
    ]);
    expect(run.code, run.err).toBe(0);
    const corpus = join(out, 'corpus');
    const files = new Set(readdirSync(corpus));
    // The library's fuzzTarget with the same rounds keeps the same cases (sharing this run).
    const lib = await fuzzTarget((o) => Promise.resolve(createModelTargetSync(o)), {
      seed: 7,
      runs: 45,
      rounds: size,
    });
    expect(lib.kept.map((t) => contentName(encodeVpt(t))).sort()).toEqual([...files].sort());
    // The highest-indexed kept case whose parent this run kept: it exists only with rounds.
    const kept = [...files]
      .map((f) => {
        const meta = traceIn(join(corpus, f)).header.meta;
        return { f, n: Number(meta['case']), parent: meta['parent'] };
      })
      .filter((k) => typeof k.parent === 'string' && files.has(k.parent))
      .sort((a, b) => b.n - a.n)[0];
    if (kept === undefined) throw new Error('no kept case mutates one kept in this run');
    const n = kept.n;
    expect(n).toBeGreaterThanOrEqual(size);
    const before = Math.floor(n / size) * size;
    const at = join(dir, 'rounds-case');
    const r = await caseWithRounds(n, at);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`running cases 0 to ${before - 1} first`);
    expect(r.err).toContain(`rounds of ${size}, ${before} earlier cases run`);
    const vpt = join(at, `case-${n}.vpt`);
    expect(readFileSync(vpt)).toEqual(readFileSync(join(corpus, kept.f)));
    // Nothing else written: no corpus entry (nor its directory), no report.
    expect(readdirSync(at).sort()).toEqual(['case-' + n + '.txt', 'case-' + n + '.vpt']);
    // Without --rounds, the same index is another case (its parent is not in the base).
    const plain = join(dir, 'plain-case');
    expect((await runCli(['fuzz', ...common, '--case', String(n), '--out', plain])).code).toBe(0);
    expect(traceIn(join(plain, `case-${n}.vpt`))).not.toEqual(traceIn(vpt));
  });

  it('runs nothing first for a case of round 0: it is the case without rounds', async () => {
    const [a, b] = [join(dir, 'r0'), join(dir, 'r0-plain')];
    const r = await caseWithRounds(3, a);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('running cases');
    expect(r.err).toContain(`rounds of ${size}, 0 earlier cases run, 0 kept`);
    expect((await runCli(['fuzz', ...common, '--case', '3', '--out', b])).code).toBe(0);
    expect(readFileSync(join(a, 'case-3.vpt'))).toEqual(readFileSync(join(b, 'case-3.vpt')));
  });
});
