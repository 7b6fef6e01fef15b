// The nightly (and merge) summary counts in words: "1 call", "2 calls".
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../report/fixtures.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { nightlySummary } from './nightlySummary.js';

describe('the nightly summary', () => {
  it('says "1 call" for a one-call repro and "N calls" otherwise', () => {
    const r = nightlyFixture();
    const withDetail = {
      ...r,
      fuzz: { ...r.fuzz, cases: 1, calls: 1 },
      fuzzDetail: { budget: { runs: 1 } },
    } as unknown as NightlyReportWithDetail;
    const text = nightlySummary(withDetail, 'out');
    expect(text).toContain('fuzz: 1 case, 1 call, coverage ');
    expect(text).toContain('  [new] target-crashed in VideoPortUnmapDmaMemory: 1 call, reproduced');
    expect(text).toMatch(/: [2-9] calls, reproduced/);
    expect(text).not.toMatch(/\b1 calls\b/);
  });

  it('says what the fuzzer reached, after the fuzz line', () => {
    const r = nightlyFixture();
    const text = nightlySummary(
      { ...r, fuzzDetail: { budget: {} } } as unknown as NightlyReportWithDetail,
      'out',
    );
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('fuzz: '));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      'reached 3 of 4 functions, 4 model branches (1 of them misuse); VideoPortMapDmaMemory called in 2 of the 3 live states met',
      'never reached: VideoPortDoDma',
      expect.stringMatching(/^findings: /),
    ]);
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
        fuzzDetail: { budget: {} },
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
});
