// Progress during one long trace: the display hears of calls before the trace is done.
import { describe, expect, it } from 'vitest';
import { Progress, progressMode } from './progress.js';
import { runReplays } from './replayRun.js';

describe('replay progress', () => {
  it('counts the calls of a trace still running, not only finished traces', async () => {
    const lines: string[] = [];
    const progress = new Progress('replay', 1, {
      mode: 'json',
      everySeconds: 0,
      write: (text) => lines.push(text),
    });
    // events.jsonl: 42 calls at ~60 ms each, about 2.5 s for the one trace.
    const run = await runReplays(
      ['corpus/events.jsonl'],
      {
        target: 'module:test/fixtures/slow-target.mjs',
        paranoid: false,
        timeoutMs: 5000,
        sampleBytes: 512,
      },
      1,
      progress,
    );
    expect(run.calls).toBe(42);
    const seen = lines.map((l) => JSON.parse(l) as { done: number; calls: number });
    const during = seen.filter((p) => p.done === 0).map((p) => p.calls);
    expect(during.length).toBeGreaterThan(0);
    expect(Math.max(...during)).toBeGreaterThan(0);
    // Calls begun, never more than the trace has: a target's start is no call (it used to
    // count as one, and a display caught between the last call and the result said 43).
    expect(Math.max(...during)).toBeLessThanOrEqual(42);
    expect(seen[seen.length - 1]).toMatchObject({ done: 1, calls: 42 });
  });
});

describe('progress for machines (--json-progress)', () => {
  it('writes numbers as numbers, no total for a time budget, and a last line at stop', () => {
    const lines: string[] = [];
    const p = new Progress('fuzz', 0, { mode: 'json', write: (t) => lines.push(t) });
    p.update(12_345, { 'calls/s': 1_234_567, failing: 2, pass: 'ddmin' });
    expect(lines).toEqual([]); // within the first 10 s: nothing yet...
    p.stop();
    p.stop();
    // ...but a run that short still ends with its state, once.
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { progress: 'fuzz', done: 12_345, 'calls/s': 1_234_567, failing: 2, pass: 'ddmin' },
    ]);
  });

  it('compacts the same numbers for people', () => {
    const lines: string[] = [];
    const p = new Progress('fuzz', 100, {
      mode: 'lines',
      everySeconds: 0,
      write: (t) => lines.push(t),
    });
    p.update(50, { 'calls/s': 1_234_567, failing: 2 });
    expect(lines).toEqual(['vpdma fuzz: 50/100 | calls/s 1.2M | failing 2\n']);
  });

  it('--json-progress wins over --quiet', () => {
    expect(progressMode({ quiet: true, jsonProgress: true }, true)).toBe('json');
    expect(progressMode({ quiet: true }, true)).toBe('quiet');
  });
});
