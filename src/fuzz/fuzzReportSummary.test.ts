// fuzz report.json's `summary`: the counts a CI script reads first, as replay's summary.
import { describe, expect, it } from 'vitest';
import { fuzzSummaryOf, type ReportFinding } from './fuzzReport.js';

describe('fuzzSummaryOf', () => {
  it('counts findings by kind, and copies the counts it summarizes', () => {
    const finding = (kind: string): ReportFinding => ({ kind }) as unknown as ReportFinding;
    const s = fuzzSummaryOf({
      cases: 40,
      calls: 900,
      findings: [finding('leak'), finding('double-free'), finding('leak')],
      unconfirmed: [{ caseIndex: 3, kind: 'leak', fn: 'f', message: 'm' }],
      corpus: { kept: 7 },
    });
    expect(s).toEqual({
      cases: 40,
      calls: 900,
      findings: 3,
      unconfirmed: 1,
      byKind: { leak: 2, 'double-free': 1 },
      newCorpusEntries: 7,
      // None of these is a state change: nothing to group.
      likelyOneBug: [],
    });
  });
});
