// The replay summary's counts: a damaged trace lost calls with the damage, so it never counts
// as passed, whatever its replayed part showed.
import { describe, expect, it } from 'vitest';
import { violation } from '../replay/violation.js';
import { summarize, traceEntry, type TraceEntry } from './replayReport.js';

const entry = (trace: string, over: Partial<TraceEntry> = {}): TraceEntry => ({
  trace,
  outcome: 'pass',
  calls: 4,
  violations: 0,
  ...over,
});

describe('summarize', () => {
  it('does not count a damaged trace as passed', () => {
    const s = summarize(
      [
        entry('ok.jsonl'),
        entry('cut.jsonl', { damage: 'cut.jsonl:6: truncated' }),
        entry('cut-bad.jsonl', { outcome: 'fail', violations: 1, damage: 'cut-bad.jsonl:9' }),
      ],
      [],
    );
    expect(s).toMatchObject({ traces: 3, passed: 1, failed: 1, damaged: 2 });
  });
});

describe('traceEntry', () => {
  const v = violation('inert-return-mismatch', 'VideoPortGetBytesUsed', 1, 'bytes used');

  it('counts, in an invalid entry, the calls replayed before the bad input and their violations', () => {
    const e = traceEntry({
      id: 0,
      label: 'bad.jsonl',
      inputError: 'bad.jsonl:2002: args.pDma: expected a pointer',
      result: {
        outcome: 'fail',
        calls: 2000,
        violations: [v],
        unlisted: { 'inert-return-mismatch': 4 },
      },
    });
    expect(e).toEqual({
      trace: 'bad.jsonl',
      outcome: 'invalid',
      calls: 2000,
      violations: 5,
      unlisted: { 'inert-return-mismatch': 4 },
      error: 'bad.jsonl:2002: args.pDma: expected a pointer',
    });
    expect(summarize([e], [{ ...v, trace: 'bad.jsonl' }])).toMatchObject({
      invalid: 1,
      failed: 0,
      calls: 2000,
      violations: 5,
      byKind: { 'inert-return-mismatch': 5 },
    });
  });

  it('marks a trace stopped part way, and never counts it as passed', () => {
    const e = traceEntry({
      id: 0,
      label: 'long.jsonl',
      result: { outcome: 'pass', calls: 7, violations: [], interrupted: true },
    });
    expect(e).toMatchObject({ outcome: 'pass', calls: 7, interrupted: true });
    expect(summarize([e, entry('ok.jsonl')], [])).toMatchObject({
      passed: 1,
      interrupted: 1,
      calls: 11,
    });
  });
});
