// `vpdma merge` of shards whose corpus replays disagree: every shard replays the whole corpus
// (and the earlier findings' repros), so a failure any shard saw is the merged run's: in
// report.json, junit.xml and the exit code. A shard whose target could not start is too.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STARTS_FAILED_MAX } from '../replay/violation.js';
import { bundledCorpusDir } from '../store/corpus.js';
import { corpusOwner } from './corpusMinimizePlan.js';
import { mergeCorpusReplay } from './mergeReplay.js';
import { runCli as run } from '../../test/support/runCli.js';
import type { Shard } from './shardReport.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-replay-'));

interface Merged {
  interrupted: boolean;
  corpus: {
    summary: { failed: number; passed: number; traces: number };
    traces: {
      trace: string;
      traceId?: string;
      outcome: string;
      violations: number;
      failedIn?: string[];
    }[];
    repros?: { signature: string; trace: string }[];
  };
  violations: { kind: string; trace: string }[];
  fuzzDetail: { stoppedBy: string; setupError?: string };
}
const reportOf = (out: string): Merged =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Merged;
/** junit.xml's root counts. */
const junitCounts = (out: string): string =>
  /<testsuites[^>]*>/.exec(readFileSync(join(out, 'junit.xml'), 'utf8'))?.[0] ?? '';

afterEach(() => {
  delete process.env['VPDMA_FIXTURE_MUTANT'];
  delete process.env['VPDMA_FIXTURE_BROKEN'];
});

describe('vpdma merge, the corpus replay of every shard', () => {
  const args = ['--target', 'module:test/fixtures/mutant-target.mjs', '--seed', '4'];
  const more = ['--runs', '4', '--workers', '1', '--quiet', '--fail-on', 'none'];
  const s1 = join(dir, 'env-s1');
  const s2 = join(dir, 'env-s2');
  // Two shards, run once for the tests below: shard 2's machine has the bug, so its replay of
  // the corpus fails.
  beforeAll(async () => {
    expect((await run(['nightly', ...args, ...more, '--shard', '1/2', '--out', s1])).code).toBe(0);
    process.env['VPDMA_FIXTURE_MUTANT'] = 'mapdma-writes-length';
    expect((await run(['nightly', ...args, ...more, '--shard', '2/2', '--out', s2])).code).toBe(0);
    delete process.env['VPDMA_FIXTURE_MUTANT'];
  });

  it('keeps a corpus violation only shard 2 saw, naming the shard', async () => {
    const shard2 = reportOf(s2).corpus.summary.failed;
    expect(shard2).toBeGreaterThan(0);
    for (const order of [
      [s1, s2],
      [s2, s1],
    ]) {
      const out = join(dir, `env-merged-${order[0] === s1 ? 'a' : 'b'}`);
      const r = await run(['merge', ...order, '--out', out, '--fail-on', 'any']);
      expect(r.code, r.err).toBe(1);
      const m = reportOf(out);
      expect(m.corpus.summary.failed).toBe(shard2);
      const failing = m.corpus.traces.filter((t) => t.outcome !== 'pass');
      expect(failing.length).toBe(shard2);
      for (const t of failing) expect(t.failedIn).toEqual(['2/2']);
      expect(m.violations.some((v) => v.kind === 'map-dma-wrote-out-param')).toBe(true);
      expect(junitCounts(out)).not.toMatch(/failures="0"/);
      // The summary is nightly's: the corpus, each finding with its status, what was fixed.
      expect(r.out).toMatch(/^corpus: \d+ traces, \d+ passed, [1-9]\d* with violations/m);
      expect(r.out).toMatch(/^findings: \d+ \(\d+ new, 0 open, 0 regressed\), 0 fixed$/m);
      expect(r.out).toMatch(/^ {2}\[new\] map-dma-wrote-out-param in VideoPortMapDmaMemory: /m);
      // The failure's signature is minimized by its owner shard alone, which here saw it: its
      // repro, copied into the merge. (Owned by shard 1, which passed, it would keep its
      // vpdma minimize command: no shard minimizes another's signature.)
      const signature = 'map-dma-wrote-out-param/VideoPortMapDmaMemory';
      const sawIt = corpusOwner(signature, 2) === 1;
      const repros = m.corpus.repros ?? [];
      expect(repros.map((x) => x.signature)).toEqual(sawIt ? [signature] : []);
      for (const x of repros) expect(existsSync(join(out, x.trace))).toBe(true);
      expect(reportOf(s1).corpus.repros).toBeUndefined();
    }
  });

  it('replays each bundled trace once when the shards ran from two installs', async () => {
    // Shard 2 as another machine's install of the same build writes it: the bundled corpus
    // under its own directory, the same traceId.
    const here = JSON.stringify(join(root, 'corpus') + sep).slice(1, -1);
    const there = JSON.stringify(join(dir, 'elsewhere', 'vpdma', 'corpus') + sep).slice(1, -1);
    const moved = join(dir, 'env-s2-moved');
    cpSync(s2, moved, { recursive: true });
    const text = readFileSync(join(s2, 'report.json'), 'utf8');
    expect(text).toContain(here);
    writeFileSync(join(moved, 'report.json'), text.split(here).join(there));
    const same = join(dir, 'env-merged-same');
    const two = join(dir, 'env-merged-two');
    expect((await run(['merge', s1, s2, '--out', same, '--fail-on', 'none'])).code).toBe(0);
    const r = await run(['merge', s1, moved, '--out', two, '--fail-on', 'none']);
    expect(r.code, r.err).toBe(0);
    const [a, b] = [reportOf(same), reportOf(two)];
    expect(b.corpus.summary).toEqual(a.corpus.summary);
    expect(b.corpus.summary.traces).toBe(reportOf(s1).corpus.summary.traces);
    expect(b.corpus.traces.map((t) => [t.traceId, t.outcome, t.failedIn])).toEqual(
      a.corpus.traces.map((t) => [t.traceId, t.outcome, t.failedIn]),
    );
    expect(b.violations.length).toBe(a.violations.length);
    expect(junitCounts(two)).toBe(junitCounts(same));
  });

  it('carries a shard whose target could not start: its violations, stoppedBy and exit 3', async () => {
    const target = `process:${process.execPath} ${join(root, 'test/fixtures/env-broken-process-target.mjs')}`;
    // The shortest corpus traces, one more than a target that cannot start is tried on, not the
    // whole corpus: shard 1 replays each through the protocol to a node child, this test's cost.
    const traces = join(dir, 'broken-corpus');
    mkdirSync(traces);
    const bundled = readdirSync(bundledCorpusDir()).filter((f) => f.endsWith('.jsonl'));
    const size = (f: string): number => statSync(join(bundledCorpusDir(), f)).size;
    for (const f of bundled.sort((a, b) => size(a) - size(b)).slice(0, STARTS_FAILED_MAX + 1))
      cpSync(join(bundledCorpusDir(), f), join(traces, f));
    const args = ['--target', target, '--seed', '4', '--runs', '6', '--workers', '1'];
    args.push('--replay', traces);
    const more = ['--quiet', '--fail-on', 'none'];
    const s1 = join(dir, 'broken-s1');
    const s2 = join(dir, 'broken-s2');
    expect((await run(['nightly', ...args, ...more, '--shard', '1/2', '--out', s1])).code).toBe(0);
    process.env['VPDMA_FIXTURE_BROKEN'] = '1';
    expect((await run(['nightly', ...args, ...more, '--shard', '2/2', '--out', s2])).code).toBe(3);
    delete process.env['VPDMA_FIXTURE_BROKEN'];
    const out = join(dir, 'broken-merged');
    const r = await run(['merge', s1, s2, '--out', out, '--fail-on', 'new']);
    expect(r.code, r.err).toBe(3);
    const m = reportOf(out);
    expect(m.fuzzDetail.stoppedBy).toBe('setup');
    expect(m.fuzzDetail.setupError).toMatch(/could not start/);
    expect(m.violations.filter((v) => v.kind === 'target-crashed').length).toBe(8);
    expect(junitCounts(out)).not.toMatch(/errors="0"/);
    // The shards stopped at different cases because one could not start, not by --time.
    expect(r.err).not.toContain('--time');
    expect(r.err).toContain('shard 2/2: the target could not be set up');
  });
});

describe('mergeCorpusReplay', () => {
  /** A shard whose corpus replay is `traces` (each failing one with one violation). */
  const shard = (k: number, traces: [string, 'pass' | 'fail', string?][]): Shard =>
    ({
      dir: `s${k}`,
      report: {
        shard: `${k}/2`,
        corpus: {
          traces: traces.map(([trace, outcome, traceId]) => ({
            trace,
            ...(traceId === undefined ? {} : { traceId }),
            outcome,
            calls: 3,
            violations: outcome === 'fail' ? 1 : 0,
          })),
          violations: traces
            .filter(([, o]) => o === 'fail')
            .map(([trace]) => ({
              kind: 'return-mismatch',
              fn: 'F',
              callIndex: 1,
              message: 'm',
              trace,
            })),
        },
      },
    }) as unknown as Shard;

  it('matches a regression repro across the shards by its signature, keeping the failure', () => {
    const repro = (k: number): string => `s${k}/findings/return-mismatch/F/abcd1234/repro.jsonl`;
    const m = mergeCorpusReplay([
      shard(1, [
        [repro(1), 'pass'],
        ['corpus/a.jsonl', 'pass'],
      ]),
      shard(2, [
        [repro(2), 'fail'],
        ['corpus/a.jsonl', 'pass'],
      ]),
    ]);
    expect(m.traces.map((t) => [t.trace, t.outcome, t.failedIn])).toEqual([
      [repro(2), 'fail', ['2/2']],
      ['corpus/a.jsonl', 'pass', undefined],
    ]);
    expect(m.violations.map((v) => v.trace)).toEqual([repro(2)]);
    expect(m.summary).toMatchObject({ traces: 2, passed: 1, failed: 1, violations: 1 });
  });

  it('matches a trace across installs and spellings by its traceId, an older one’s by its name', () => {
    const [name = ''] = readdirSync(bundledCorpusDir())
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    const at = (install: string): string => join(install, 'corpus', name);
    const id = `corpus:${name}`;
    const m = mergeCorpusReplay([
      shard(1, [
        [at('/opt/a/vpdma'), 'pass', id],
        ['./regs/b.jsonl', 'pass', './regs/b.jsonl'],
        [at('/home/c/old'), 'pass'],
      ]),
      shard(2, [
        [at('/home/ci/vpdma'), 'fail', id],
        ['regs/b.jsonl', 'pass', 'regs/b.jsonl'],
        // Without a traceId (an older shard): another install's bundled trace by its name.
        [at('/srv/old'), 'pass'],
      ]),
    ]);
    expect(m.traces.map((t) => [t.trace, t.outcome, t.failedIn])).toEqual([
      [at('/home/ci/vpdma'), 'fail', ['2/2']],
      ['./regs/b.jsonl', 'pass', undefined],
    ]);
    expect(m.summary).toMatchObject({ traces: 2, passed: 1, failed: 1 });
    // The same trace, spelled another way by a shard whose --budget-replay left it out, was replayed.
    const budget = shard(2, [['regs/c.jsonl', 'pass', 'regs/c.jsonl']]);
    const left = { trace: at('/elsewhere'), regression: false };
    const out = {
      ...budget.report.corpus,
      notReplayed: [left, { trace: 'regs/d.jsonl', regression: false }],
    };
    const partial = { ...budget, report: { ...budget.report, corpus: out } } as Shard;
    const n = mergeCorpusReplay([shard(1, [[at('/opt/a/vpdma'), 'pass', id]]), partial]);
    expect(n.notReplayed?.map((t) => t.trace)).toEqual(['regs/d.jsonl']);
  });

  it('says the corpus minimization stopped when any shard’s did, time over a signal', () => {
    const stopped = (k: number, by?: 'time' | 'signal'): Shard => {
      const s = shard(k, [['corpus/a.jsonl', 'fail']]);
      const corpus = { ...s.report.corpus, ...(by === undefined ? {} : { minimizeStoppedBy: by }) };
      return { ...s, report: { ...s.report, corpus } };
    };
    expect(mergeCorpusReplay([stopped(1), stopped(2)]).minimizeStoppedBy).toBeUndefined();
    expect(mergeCorpusReplay([stopped(1), stopped(2, 'signal')]).minimizeStoppedBy).toBe('signal');
    expect(mergeCorpusReplay([stopped(1, 'signal'), stopped(2, 'time')]).minimizeStoppedBy).toBe(
      'time',
    );
  });

  it('keeps what any shard’s target left unchecked, each once, in shard order', () => {
    const saying = (k: number, warnings?: string[]): Shard => {
      const s = shard(k, [['corpus/a.jsonl', 'pass']]);
      const corpus = { ...s.report.corpus, ...(warnings === undefined ? {} : { warnings }) };
      return { ...s, report: { ...s.report, corpus } };
    };
    expect(mergeCorpusReplay([saying(1), saying(2)]).warnings).toBeUndefined();
    const [a, b] = ['target has no state(): ...', 'touched() named memory ... (in 2 traces)'];
    expect(mergeCorpusReplay([saying(1, [a]), saying(2, [b, a])]).warnings).toEqual([a, b]);
    expect(mergeCorpusReplay([saying(1), saying(2, [b])]).warnings).toEqual([b]);
  });

  it('adds up what the shards’ stops left unminimized, while each stopped shard says', () => {
    const stopped = (k: number, left?: number): Shard => {
      const s = shard(k, [['corpus/a.jsonl', 'fail']]);
      const by = { minimizeStoppedBy: 'signal' as const };
      const corpus = {
        ...s.report.corpus,
        ...by,
        ...(left === undefined ? {} : { minimizeLeft: left }),
      };
      return { ...s, report: { ...s.report, corpus } };
    };
    const plain = shard(3, [['corpus/b.jsonl', 'pass']]);
    expect(mergeCorpusReplay([stopped(1, 0), stopped(2, 2), plain]).minimizeLeft).toBe(2);
    expect(mergeCorpusReplay([stopped(1, 0), plain]).minimizeLeft).toBe(0);
    // A shard's report from before the count was kept: not known, so not said.
    expect(mergeCorpusReplay([stopped(1, 0), stopped(2)]).minimizeLeft).toBeUndefined();
  });
});
