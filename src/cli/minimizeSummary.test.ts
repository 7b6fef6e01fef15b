import { describe, expect, it } from 'vitest';
import { emptyHeader } from '../trace/trace.js';
import { formatMinimizeSummary, type MinimizeSummary } from './minimizeSummary.js';

const summary: MinimizeSummary = {
  before: 29,
  result: {
    trace: { header: emptyHeader(), calls: [] },
    attempts: 3,
    accepted: 1,
    passesRun: 1,
    exhausted: false,
    aborted: false,
    passes: [],
    evaluated: 3,
  },
  ms: 1500,
  attemptsMax: 10,
  out: 't.min.jsonl',
  target: 'process:./t',
  timeoutMs: 5000,
  again: undefined,
};

describe('the reproduce line', () => {
  it('carries --rss-limit-mb when the run had one other than the default', () => {
    const last = (s: MinimizeSummary): string =>
      formatMinimizeSummary(s).trimEnd().split('\n').at(-1) ?? '';
    expect(last(summary)).toBe(
      'reproduce: vpdma replay t.min.jsonl --target process:./t --timeout 5000',
    );
    expect(last({ ...summary, rssLimitMb: 32 })).toBe(
      'reproduce: vpdma replay t.min.jsonl --target process:./t --timeout 5000 --rss-limit-mb 32',
    );
  });

  it('carries --worker-heap-mb when the run gave it', () => {
    const last = formatMinimizeSummary({ ...summary, target: 'module:t.mjs', workerHeapMb: 64 })
      .trimEnd()
      .split('\n')
      .at(-1);
    expect(last).toBe(
      'reproduce: vpdma replay t.min.jsonl --target module:t.mjs --timeout 5000 --worker-heap-mb 64',
    );
  });
});
