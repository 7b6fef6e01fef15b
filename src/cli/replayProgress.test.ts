// Progress during one long trace: the display hears of calls before the trace is done.
import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';
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
    const seen = lines.map((l) => JSON.parse(l) as { done: number; calls: string });
    const during = seen.filter((p) => p.done === 0).map((p) => Number(p.calls));
    expect(during.length).toBeGreaterThan(0);
    expect(Math.max(...during)).toBeGreaterThan(0);
    expect(Math.max(...during)).toBeLessThan(42);
    expect(seen[seen.length - 1]).toMatchObject({ done: 1, calls: '42' });
  });
});
