// The replay summary's counts: a damaged trace lost calls with the damage, so it never counts
// as passed, whatever its replayed part showed.
import { describe, expect, it } from 'vitest';
import { summarize, type TraceEntry } from './replayReport.js';

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
