// Cases of a known finding (its repro still fails) are set aside, not minimized again.
import { describe, expect, it } from 'vitest';
import { violation } from '../replay/violation.js';
import { groupFailures, signatureOf } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';
import { keptFindings, setAsideKnown } from './knownFindings.js';
import type { CaseResult } from './protocol.js';

const failing = (index: number, kind: 'return-mismatch' | 'out-param-mismatch'): CaseResult => ({
  index,
  calls: 5,
  outcome: 'fail',
  violations: [
    violation(kind, 'VideoPortStartDma', 4, 'x', {
      field: kind === 'return-mismatch' ? 'ret' : 'out.pLength',
    }),
  ],
  keys: [],
});
const RET = signatureOf('return-mismatch', 'VideoPortStartDma', 'ret');
const known = new Map([
  [RET, { signature: RET, seed: '7', caseIndex: 3, cases: [3] } as unknown as ReportFinding],
]);

describe('setAsideKnown', () => {
  const groups = groupFailures(
    [
      failing(2, 'return-mismatch'),
      failing(5, 'out-param-mismatch'),
      failing(9, 'return-mismatch'),
    ],
    2,
  );

  it('takes the cases whose first violation has a known signature out of their groups', () => {
    const s = setAsideKnown(groups, known);
    expect(s.groups.map((g) => [g.kind, g.cases.map((c) => c.index)])).toEqual([
      ['out-param-mismatch', [5]],
    ]);
    expect([...s.kept]).toEqual([[RET, [2, 9]]]);
    // Reported as the earlier night wrote it, with this run's cases.
    expect(keptFindings(s.kept, known)).toEqual([
      { signature: RET, seed: '7', caseIndex: 3, cases: [2, 9], kept: true },
    ]);
  });

  it('leaves every case to minimize when nothing is known', () => {
    expect(setAsideKnown(groups, undefined).groups).toEqual(groups);
    expect(setAsideKnown(groups, new Map()).kept.size).toBe(0);
  });
});
