// Progress during one long trace: the display hears of calls before the trace is done.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { Recorder } from '../model/recorder.js';
import { formatJsonl } from '../trace/jsonl.js';
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

describe('replay progress counts violations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpdma-progress-'));
  const settings = { target: 'model', paranoid: false, timeoutMs: 5000, sampleBytes: 512 };
  const jsonLines = (): { lines: string[]; progress: Progress } => {
    const lines: string[] = [];
    const progress = new Progress('replay', 1, {
      mode: 'json',
      everySeconds: 0,
      write: (text) => lines.push(text),
    });
    return { lines, progress };
  };
  type Line = { done: number; calls: number; violations: number };

  it('as found in a trace still running, not only when it ends', async () => {
    // Call 10 recorded a non-NULL VideoPortMapDmaMemory (a recorded-mismatch); 40 calls after
    // it at about 60 ms each (slow-target): seconds of replay after the violation.
    const head = readFileSync('corpus/legacy-mapdma-flags.jsonl', 'utf8').split('\n').slice(0, 12);
    head[11] = (head[11] ?? '').replace('"ret":"0x0"', '"ret":"0xffffd0000000beef"');
    const read = '{"fn":"@read","args":{"va":"0xffffc00000000000","length":4}}';
    const trace = join(dir, 'late.jsonl');
    writeFileSync(trace, `${[...head, ...Array<string>(40).fill(read)].join('\n')}\n`);
    const { lines, progress } = jsonLines();
    await runReplays(
      [trace],
      { ...settings, target: 'module:test/fixtures/slow-target.mjs' },
      1,
      progress,
    );
    const seen = lines.map((l) => JSON.parse(l) as Line);
    const during = seen.filter((p) => p.done === 0 && p.calls > 11);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((p) => p.violations === 1)).toBe(true);
    expect(seen[seen.length - 1]).toMatchObject({ done: 1, calls: 51, violations: 1 });
  });

  it('all of them at the end, listed or not (past 1000 in a trace)', async () => {
    const rec = new Recorder({}, true);
    rec.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
    for (let i = 0; i < 1500; i++) rec.call('VideoPortGetBytesUsed', { pDma: 0n });
    const trace = join(dir, 'many.jsonl');
    writeFileSync(trace, formatJsonl({ header: KITCHEN_HEADER, calls: rec.calls }));
    const { lines, progress } = jsonLines();
    const run = await runReplays(
      [trace],
      { ...settings, target: 'mutant:bytes-used-remembered' },
      1,
      progress,
    );
    // Every GetBytesUsed fails under this mutant: 1000 listed, 500 counted in unlisted.
    expect(run.results[0]?.result?.violations.length).toBe(1000);
    const last = JSON.parse(lines[lines.length - 1] ?? '{}') as Line;
    expect(last).toMatchObject({ done: 1, calls: 1501, violations: 1500 });
  });
});

describe('replay progress through one long trace', () => {
  it('gives the fraction of its bytes read, and stops part way when aborted', async () => {
    // 9 MiB streamed in 1 MiB chunks: 8 KiB writes at about 60 ms a call (slow-target), 36 s
    // in all: long enough that a main thread starved by a loaded machine still stops it part way.
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-progress-bytes-'));
    const head = readFileSync('corpus/legacy-mapdma-flags.jsonl', 'utf8').split('\n').slice(0, 11);
    const write = `{"fn":"@write","args":{"va":"0xffffc00000002000","data":"${'ab'.repeat(8192)}"}}`;
    const trace = join(dir, 'long.jsonl');
    writeFileSync(trace, `${[...head, ...Array<string>(590).fill(write)].join('\n')}\n`);
    const lines: string[] = [];
    const stop = new AbortController();
    const seen: { done: number; fraction?: number }[] = [];
    const progress = new Progress('replay', 1, {
      mode: 'json',
      everySeconds: 0,
      write: (text) => {
        lines.push(text);
        const p = JSON.parse(text) as { done: number; fraction?: number };
        seen.push(p);
        if (p.done === 0 && (p.fraction ?? 0) > 0) stop.abort();
      },
    });
    const run = await runReplays(
      [trace],
      {
        target: 'module:test/fixtures/slow-target.mjs',
        paranoid: false,
        timeoutMs: 5000,
        sampleBytes: 512,
      },
      1,
      progress,
      stop.signal,
    );
    const during = seen.filter((p) => p.done === 0 && (p.fraction ?? 0) > 0);
    expect(during.length).toBeGreaterThan(0);
    expect(during[0]?.fraction).toBeLessThan(1);
    // Stopped at its next call: its calls so far come back, marked interrupted.
    expect(run.results[0]?.result?.interrupted).toBe(true);
    expect(run.results[0]?.result?.calls).toBeLessThan(600);
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
