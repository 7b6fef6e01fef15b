// The nightly (and merge) summary counts in words: "1 call", "2 calls".
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import type { CorpusRepro } from '../report/nightlySchema.js';
import type { ReportViolation, TraceEntry } from '../report/replayReport.js';
import { nightlySummary } from './nightlySummary.js';

/** The fuzz report's corpus, as a run without a --corpus directory has it. */
const corpus = { base: 21, kept: 0, keptFiles: [] };

describe('the nightly summary', () => {
  it('says "1 call" for a one-call repro and "N calls" otherwise', () => {
    const r = nightlyFixture();
    const withDetail = {
      ...r,
      fuzz: { ...r.fuzz, cases: 1, calls: 1 },
      fuzzDetail: { budget: { runs: 1 }, corpus },
    } as unknown as NightlyReportWithDetail;
    const text = nightlySummary(withDetail, 'out');
    expect(text).toContain('fuzz: 1 case, 1 call, coverage ');
    // A night's report with the branches (a report from before them says its keys alone).
    const branched = { ...withDetail, fuzz: { ...withDetail.fuzz, branches: 1 } };
    expect(nightlySummary(branched, 'out')).toContain(
      `, coverage 1 branch, ${withDetail.fuzz.coverage} keys, corpus `,
    );
    expect(text).toContain(`, coverage ${withDetail.fuzz.coverage}, corpus `);
    expect(text).toContain('  [new] target-crashed in VideoPortUnmapDmaMemory: 1 call, reproduced');
    expect(text).toMatch(/: [2-9] calls, reproduced/);
    expect(text).not.toMatch(/\b1 calls\b/);
  });

  it('ends the fuzz line with where the cases ran, the workers that started', () => {
    const r = nightlyFixture();
    const fuzzLine = (timing: object | undefined): string => {
      const detail = { budget: {}, corpus, ...(timing === undefined ? {} : { timing }) };
      const text = nightlySummary(
        { ...r, fuzzDetail: detail } as unknown as NightlyReportWithDetail,
        'out',
      );
      return text.split('\n').find((l) => l.startsWith('fuzz: ')) ?? '';
    };
    expect(fuzzLine({ workers: 2, workersStarted: 0 })).toMatch(
      /\), in the main thread \(no worker started\)$/,
    );
    expect(fuzzLine({ workers: 4, workersStarted: 4 })).toMatch(/\), 4 workers$/);
    expect(fuzzLine({ workers: 1, workersStarted: 1 })).toMatch(/\), 1 worker$/);
    // A report without it (hand-made) says nothing of threads.
    expect(fuzzLine(undefined)).toMatch(/\(\+\d+\)$/);
  });

  it('says what the fuzzer reached, after the fuzz line', () => {
    const r = nightlyFixture();
    const text = nightlySummary(
      { ...r, fuzzDetail: { budget: {}, corpus } } as unknown as NightlyReportWithDetail,
      'out',
    );
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('fuzz: '));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      'reached 3 of 4 functions, 4 model branches (1 of them misuse); VideoPortMapDmaMemory called in 2 of the 3 live states met',
      'never reached: VideoPortDoDma',
      expect.stringMatching(/^findings: /),
    ]);
    // A night whose fuzz phase made no call (its target never started): the figures are the
    // base corpus's, said so on the fuzz line, and no line of what was reached.
    const none = nightlySummary(
      {
        ...r,
        fuzz: { ...r.fuzz, cases: 0, calls: 0 },
        fuzzDetail: { budget: {}, corpus },
      } as unknown as NightlyReportWithDetail,
      'out',
    ).split('\n');
    const fuzzLine = none.find((l) => l.startsWith('fuzz: ')) ?? '';
    expect(fuzzLine).toContain(`, coverage ${r.fuzz.coverage} (base corpus only: no call made)`);
    expect(none.filter((l) => /^(reached|never reached) /.test(l))).toEqual([]);
  });

  it('says each finding’s message on the line under it, on one line, and the others at its call', () => {
    const r = nightlyFixture();
    const [first, ...rest] = r.findings;
    if (first === undefined) throw new Error('fixture');
    const two = {
      ...first,
      message: 'wrote length:\n4096 became 0',
      violationsAtCall: [
        { kind: first.kind, field: 'out.length', message: 'wrote length:\n4096 became 0' },
        { kind: first.kind, field: 'out.virtualAddress', message: 'wrote virtualAddress' },
      ],
    } as (typeof r.findings)[number];
    const text = nightlySummary(
      {
        ...r,
        findings: [two, ...rest],
        fuzzDetail: { budget: {}, corpus },
      } as unknown as NightlyReportWithDetail,
      'out',
    );
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`  [${first.status}] ${first.kind} in `));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '    wrote length: 4096 became 0',
      `    also at call ${first.callIndex}: ${first.kind}: wrote virtualAddress`,
      expect.stringMatching(/^  \[open\] inert-return-mismatch in VideoPortDoDma: 2 calls, /),
    ]);
    expect(lines[at + 4]).toBe('    VideoPortDoDma returned 0x1, expected NULL');
  });

  it('says what --corpus-max deleted, under what the fuzzer reached', () => {
    const r = nightlyFixture();
    const capped = { corpusMax: 9, entries: 12, deleted: 3, keys: 40, keysKept: 38, rareLost: 1 };
    const detail = { budget: {}, corpusMax: 9, corpus: { ...corpus, dir: 'out/corpus', capped } };
    const lines = nightlySummary(
      { ...r, fuzzDetail: detail } as unknown as NightlyReportWithDetail,
      'out',
    ).split('\n');
    const at = lines.findIndex((l) => l.startsWith('findings: '));
    expect(lines[at - 1]).toBe(
      'corpus: out/corpus held 12 entries, more than --corpus-max 9: 3 deleted before fuzzing, those adding least; 2 of the 40 coverage keys its entries reached were lost with them (1 of those reached by one entry alone)',
    );
  });

  describe('lists the corpus traces that failed', () => {
    const r = nightlyFixture();
    const summary = (
      over: object,
      detail: object = { budget: {}, timeoutMs: 1000, corpus },
    ): string[] =>
      nightlySummary(
        { ...r, ...over, fuzzDetail: detail } as unknown as NightlyReportWithDetail,
        'out',
      ).split('\n');
    const TARGET = `'process:./build/videoprt-shim --trace-io'`;

    it('under the corpus line: its first violation, and the vpdma minimize command for it', () => {
      const lines = summary({});
      const at = lines.findIndex((l) => l.startsWith('corpus: '));
      expect(lines.slice(at + 1, at + 5)).toEqual([
        'corpus traces that failed, the first violation of each and what to run next (its repro, if the night minimized it):',
        '  corpus/legacy-mapdma-flags.jsonl:call 11: map-dma-returned-non-null in VideoPortMapDmaMemory: VideoPortMapDmaMemory returned 0xffffc00000002000, expected NULL',
        `    vpdma minimize corpus/legacy-mapdma-flags.jsonl --kind map-dma-returned-non-null --fn VideoPortMapDmaMemory --out legacy-mapdma-flags.min.txt --target ${TARGET} --profile docs --timeout 1000`,
        expect.stringMatching(/^fuzz: /),
      ]);
      // No --timeout when the report does not say (an older one); no --profile per trace header.
      const old = summary({ profile: 'per trace header' }, { budget: {}, corpus });
      expect(old).toContain(
        `    vpdma minimize corpus/legacy-mapdma-flags.jsonl --kind map-dma-returned-non-null --fn VideoPortMapDmaMemory --out legacy-mapdma-flags.min.txt --target ${TARGET}`,
      );
    });

    it('gives each its --history verdict, [new], [open] or [regressed], counted in the header', () => {
      const statuses = ['new', 'open', 'regressed', 'open'] as const;
      const traces: TraceEntry[] = statuses.map((status, i) => ({
        trace: `regress/t${i}.txt`,
        outcome: 'fail',
        calls: 3,
        violations: 1,
        signature: `return-mismatch/LockPages/0000000${i}`,
        status,
      }));
      const violations: ReportViolation[] = traces.map((t) => ({
        kind: 'return-mismatch',
        fn: 'VideoPortLockPages',
        callIndex: 2,
        line: 9,
        message: 'm',
        trace: t.trace,
      }));
      const lines = summary({ corpus: { ...r.corpus, traces, violations } });
      const at = lines.findIndex((l) => l.startsWith('corpus traces that failed'));
      expect(lines[at]).toBe(
        'corpus traces that failed (1 new, 2 open, 1 regressed), the first violation of each and what to run next (its repro, if the night minimized it):',
      );
      expect(lines.filter((l) => l.includes(': return-mismatch in '))).toEqual(
        statuses.map(
          (s, i) =>
            `  [${s}] regress/t${i}.txt:9 (call 2): return-mismatch in VideoPortLockPages: m`,
        ),
      );
    });

    it("an earlier finding's repro failing as tonight's finding is listed under it, not twice", () => {
      const repro = 'out/findings/memory-corrupted/MapDmaMemory/3f9a6c0e/repro.jsonl';
      const other = 'out/findings/return-mismatch/StartDma/f586ddc4/repro.jsonl';
      const traces: TraceEntry[] = [repro, other].map((trace) => ({
        trace,
        outcome: 'fail',
        calls: 3,
        violations: 1,
      }));
      const violations: ReportViolation[] = [repro, other].map((trace) => ({
        kind: 'memory-corrupted',
        fn: 'VideoPortMapDmaMemory',
        callIndex: 2,
        message: 'changed',
        trace,
      }));
      const lines = summary({ corpus: { ...r.corpus, traces, violations } });
      expect(lines).toContain("1 earlier finding's repro failed again: under findings below");
      // The finding of tonight is listed once, under findings; a repro of none still is here.
      expect(lines.filter((l) => l.includes('3f9a6c0e/repro.jsonl:'))).toEqual([]);
      expect(lines.filter((l) => l.startsWith(`  ${other}:`))).toHaveLength(1);
    });

    it('the first ten, then how many more; not a trace the target never started for', () => {
      const entry = (i: number): TraceEntry => ({
        trace: `caps/t${i}.vpt`,
        outcome: i === 3 ? 'crash' : 'fail',
        calls: 5,
        violations: 1,
        ...(i === 0 ? { notStarted: true as const } : {}),
      });
      const violation = (i: number): ReportViolation => ({
        kind: i === 3 ? 'target-crashed' : 'return-mismatch',
        fn: 'VideoPortLockPages',
        callIndex: i,
        message: `bad\n${i}`,
        trace: `caps/t${i}.vpt`,
      });
      const n = 13;
      const traces = Array.from({ length: n }, (_, i) => entry(i));
      const violations = Array.from({ length: n }, (_, i) => violation(i));
      const lines = summary({ corpus: { ...r.corpus, traces, violations } });
      const listed = lines.filter((l) => l.startsWith('  caps/'));
      expect(listed).toHaveLength(10);
      expect(listed[0]).toBe('  caps/t1.vpt:call 1: return-mismatch in VideoPortLockPages: bad 1');
      expect(listed[2]).toBe('  caps/t3.vpt:call 3: target-crashed in VideoPortLockPages: bad 3');
      expect(lines).toContain(
        "  and 2 more (report.html's corpus section and report.json's corpus.violations list them all)",
      );
      expect(lines.filter((l) => l.startsWith('    vpdma minimize caps/t'))).toHaveLength(10);
      expect(lines.join('\n')).not.toContain('caps/t0.vpt');
    });

    it('an earlier finding’s repro, already minimal, with its replay command; shards that saw it', () => {
      const trace = 'out/findings/view-torn-down/UnmapDmaMemory/b8a02000/repro.jsonl';
      const traces: TraceEntry[] = [
        { trace, outcome: 'fail', calls: 2, violations: 1, failedIn: ['shard-2'] },
      ];
      const violations: ReportViolation[] = [
        {
          kind: 'view-torn-down',
          fn: 'VideoPortUnmapDmaMemory',
          callIndex: 1,
          message: 'm',
          trace,
        },
      ];
      const lines = summary({ corpus: { ...r.corpus, traces, violations } });
      const at = lines.findIndex((l) => l.startsWith(`  ${trace}:call 1: `));
      expect(lines.slice(at, at + 2)).toEqual([
        `  ${trace}:call 1: view-torn-down in VideoPortUnmapDmaMemory: m (failed in shard-2)`,
        `    vpdma replay ${trace} --target ${TARGET} --profile docs --timeout 1000 --explain`,
      ]);
    });

    it('a trace whose meta says it is a repro already: replay --explain, not minimize', () => {
      const entry = (trace: string, minimizedRepro: boolean): TraceEntry => ({
        trace,
        outcome: 'fail',
        calls: 2,
        violations: 1,
        ...(minimizedRepro ? { minimizedRepro: true as const } : {}),
      });
      const v = { kind: 'return-mismatch', fn: 'VideoPortLockPages', callIndex: 1, message: 'm' };
      const traces = [entry('caps/a.min.txt', true), entry('caps/a.jsonl', false)];
      const violations = traces.map((t) => ({ ...v, trace: t.trace }) as ReportViolation);
      const lines = summary({ corpus: { ...r.corpus, traces, violations } });
      const under = (trace: string): string | undefined =>
        lines[lines.findIndex((l) => l.startsWith(`  ${trace}:call 1: `)) + 1];
      expect(under('caps/a.min.txt')).toBe(
        `    vpdma replay caps/a.min.txt --target ${TARGET} --profile docs --timeout 1000 --explain`,
      );
      expect(under('caps/a.jsonl')).toBe(
        `    vpdma minimize caps/a.jsonl --kind return-mismatch --fn VideoPortLockPages --out a.min.txt --target ${TARGET} --profile docs --timeout 1000`,
      );
      // The night's --rss-limit-mb, when not the default (2048), goes with both.
      const limited = summary(
        { corpus: { ...r.corpus, traces, violations } },
        { budget: {}, timeoutMs: 1000, rssLimitMb: 512, corpus },
      );
      for (const trace of ['caps/a.min.txt', 'caps/a.jsonl'])
        expect(limited[limited.findIndex((l) => l.startsWith(`  ${trace}:call 1: `)) + 1]).toMatch(
          / --timeout 1000 --rss-limit-mb 512( --explain)?$/,
        );
    });

    it('places a violation by line where the report has one, as vpdma replay does', () => {
      const traces: TraceEntry[] = [
        { trace: 'caps/a.txt', outcome: 'fail', calls: 3, violations: 1 },
        { trace: 'caps/b.vpt', outcome: 'fail', calls: 3, violations: 1 },
      ];
      const v = { kind: 'return-mismatch', fn: 'VideoPortLockPages', callIndex: 2, message: 'm' };
      const violations: ReportViolation[] = [
        { ...v, trace: 'caps/a.txt', line: 9 } as ReportViolation,
        { ...v, trace: 'caps/b.vpt' } as ReportViolation,
      ];
      const lines = summary({ corpus: { ...r.corpus, traces, violations } });
      expect(lines).toContain('  caps/a.txt:9 (call 2): return-mismatch in VideoPortLockPages: m');
      expect(lines).toContain('  caps/b.vpt:call 2: return-mismatch in VideoPortLockPages: m');
    });

    it('a trace the night minimized: its repro’s command, past the first ten too, and what to mind', () => {
      const entry = (i: number): TraceEntry => ({
        trace: `caps/t${i}.jsonl`,
        outcome: 'fail',
        calls: 5,
        violations: 1,
      });
      const v = (i: number): ReportViolation => ({
        kind: 'return-mismatch',
        fn: `VideoPortF${i}`,
        callIndex: 1,
        message: 'm',
        trace: `caps/t${i}.jsonl`,
      });
      const repro = (i: number, over: Partial<CorpusRepro> = {}): CorpusRepro => ({
        signature: `return-mismatch/VideoPortF${i}`,
        kind: 'return-mismatch',
        fn: `VideoPortF${i}`,
        from: `caps/t${i}.jsonl`,
        fromCalls: 5,
        callIndex: 0,
        message: 'm',
        reproCalls: 1,
        trace: `corpus-repros/return-mismatch/F${i}/repro.jsonl`,
        reproText: '',
        reproduced: true,
        exhausted: false,
        command: `vpdma replay out/corpus-repros/return-mismatch/F${i}/repro.jsonl --explain`,
        ...over,
      });
      const n = 13;
      const traces = Array.from({ length: n }, (_, i) => entry(i));
      const violations = Array.from({ length: n }, (_, i) => v(i));
      const repros = [
        repro(1, { exhausted: true, reproCalls: 3 }),
        repro(2, { reproduced: false }),
        repro(12),
      ];
      const lines = summary({ corpus: { ...r.corpus, traces, violations, repros } });
      const under = (i: number): string | undefined =>
        lines[lines.findIndex((l) => l.startsWith(`  caps/t${i}.jsonl:`)) + 1];
      expect(under(1)).toBe(
        '    minimized to 3 calls (cut short: it fails, but may not be 1-minimal): vpdma replay out/corpus-repros/return-mismatch/F1/repro.jsonl --explain',
      );
      expect(under(2)).toBe(
        '    minimized to 1 call (it did not fail again when replayed once more: a flaky target?): vpdma replay out/corpus-repros/return-mismatch/F2/repro.jsonl --explain',
      );
      expect(under(0)).toMatch(/^ {4}vpdma minimize caps\/t0\.jsonl /);
      // The eleventh to the thirteenth: only the one minimized is listed, then a count.
      expect(under(12)).toBe(
        '    minimized to 1 call: vpdma replay out/corpus-repros/return-mismatch/F12/repro.jsonl --explain',
      );
      expect(lines.filter((l) => /^ {2}caps\/t\d+\.jsonl:/.test(l))).toHaveLength(11);
      expect(lines).toContain(
        "  and 2 more (report.html's corpus section and report.json's corpus.violations list them all)",
      );
    });

    it('says when --minimize-time ran out before the corpus traces, as for the findings', () => {
      const detail = { budget: { minimizeTime: '5m' }, timeoutMs: 1000, corpus };
      const stopped = summary({ corpus: { ...r.corpus, minimizeStoppedBy: 'time' } }, detail);
      expect(stopped).toContain(
        'minimization stopped: --minimize-time 5m spent; the failing corpus traces left are reported not minimized (with their vpdma minimize command)',
      );
      expect(summary({}, detail).join('\n')).not.toContain('minimization stopped');
    });

    it('says none was left when the stop cut short only the last trace, how many when some were', () => {
      const detail = { budget: { minimizeTime: '5m' }, timeoutMs: 1000, corpus };
      const stop = (minimizeLeft: number): string[] =>
        summary({ corpus: { ...r.corpus, minimizeStoppedBy: 'time', minimizeLeft } }, detail);
      expect(stop(0)).toContain(
        "minimization stopped: --minimize-time 5m spent during the last failing corpus trace's minimization: its repro is written as it stood (cut short); none left unminimized",
      );
      expect(stop(0).join('\n')).not.toContain('reported not minimized');
      expect(stop(2)).toContain(
        'minimization stopped: --minimize-time 5m spent; 2 failing corpus traces left reported not minimized (each with its vpdma minimize command)',
      );
    });

    it('nothing when every trace passed', () => {
      const traces = r.corpus.traces.map((t) => ({ ...t, outcome: 'pass', violations: 0 }));
      const lines = summary({ corpus: { ...r.corpus, traces, violations: [] } });
      expect(lines.join('\n')).not.toContain('corpus traces that failed');
    });
  });
});
