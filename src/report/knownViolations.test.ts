// --known's marks on a replay report: which violations are known, when none is left to count,
// and how a JUnit case says what it set aside.
import { describe, expect, it } from 'vitest';
import { caseForTrace } from './junit.js';
import { everyViolationKnown, markKnown, withKnownCase } from './knownViolations.js';
import type { ReportViolation, TraceEntry } from './replayReport.js';

const v = (trace: string, signature: string, callIndex = 1): ReportViolation => ({
  kind: 'return-mismatch',
  fn: 'VideoPortUnlockPages',
  callIndex,
  message: 'ret differs',
  field: 'ret',
  trace,
  signature,
});
const entry = (trace: string, over: Partial<TraceEntry> = {}): TraceEntry => ({
  trace,
  outcome: 'fail',
  calls: 4,
  violations: 1,
  ...over,
});
const KNOWN = {
  from: ['reactos-divergences'],
  signatures: new Set(['return-mismatch/A/f586ddc4']),
};

describe('markKnown and everyViolationKnown', () => {
  it('marks the violations whose signature is known, and only those', () => {
    const marked = markKnown(
      [v('a', 'return-mismatch/A/f586ddc4'), v('b', 'return-mismatch/B/f586ddc4')],
      KNOWN,
    );
    expect(marked.map((m) => m.known)).toEqual([true, undefined]);
    expect(everyViolationKnown({ violations: marked, traces: [entry('a'), entry('b')] })).toBe(
      false,
    );
    expect(everyViolationKnown({ violations: marked.slice(0, 1), traces: [entry('a')] })).toBe(
      true,
    );
    expect(markKnown(marked.slice(1), undefined)).toEqual(marked.slice(1));
  });

  it('counts a violation past the listing cap as not known: it has no signature to look up', () => {
    const marked = markKnown([v('a', 'return-mismatch/A/f586ddc4')], KNOWN);
    const capped = entry('a', { violations: 1001, unlisted: { 'return-mismatch': 1000 } });
    expect(everyViolationKnown({ violations: marked, traces: [capped] })).toBe(false);
  });
});

describe('withKnownCase', () => {
  const report = (violations: ReportViolation[]) => ({
    violations: markKnown(violations, KNOWN),
    knownFrom: KNOWN.from,
  });

  it('skips a case whose violations are all known, saying which and from where', () => {
    const r = report([v('a', 'return-mismatch/A/f586ddc4', 2)]);
    const counted = r.violations.filter((x) => x.known !== true);
    const c = withKnownCase(caseForTrace(entry('a'), counted), entry('a'), r);
    expect(c.failures).toEqual([]);
    expect(c.skipped).toBe(
      'known (from reactos-divergences), not counted: 1 violation: return-mismatch/A/f586ddc4',
    );
    expect(c.systemOut).toBe(
      'known (from reactos-divergences), not counted: 1 violation:\n  call 2 (VideoPortUnlockPages): return-mismatch/A/f586ddc4',
    );
  });

  it('keeps a case failing for an unknown violation, the known ones in <system-out>', () => {
    const r = report([
      v('a', 'return-mismatch/A/f586ddc4'),
      v('a', 'return-mismatch/B/f586ddc4', 3),
    ]);
    const counted = r.violations.filter((x) => x.known !== true);
    const c = withKnownCase(caseForTrace(entry('a', { violations: 2 }), counted), entry('a'), r);
    expect(c.failures).toHaveLength(1);
    expect(c.skipped).toBeUndefined();
    expect(c.systemOut).toMatch(/^known \(from reactos-divergences\), not counted: 1 violation:\n/);
  });

  it('keeps an error case an error: a crash is never skipped', () => {
    const r = report([v('a', 'return-mismatch/A/f586ddc4')]);
    const crashed = entry('a', { outcome: 'crash', error: 'the target crashed' });
    const c = withKnownCase(caseForTrace(crashed, []), crashed, r);
    expect(c.error?.message).toBe('the target crashed');
    expect(c.skipped).toBeUndefined();
    expect(c.systemOut).toContain('return-mismatch/A/f586ddc4');
  });

  it('leaves a case alone without --known, or with no known violation in its trace', () => {
    const c = caseForTrace(entry('b'), []);
    expect(withKnownCase(c, entry('b'), report([v('a', 'return-mismatch/A/f586ddc4')]))).toBe(c);
    expect(withKnownCase(c, entry('a'), { violations: [v('a', 'x')] })).toBe(c);
  });
});
