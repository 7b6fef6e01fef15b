// What the terminal's bar shows, without a terminal: its format, total and values.
import { describe, expect, it } from 'vitest';
import { barLayout, clock, minimizeProgress, Progress } from './progress.js';

describe('the progress bar', () => {
  it('measures a --time budget by the time spent, the count beside it', () => {
    const bar = barLayout('fuzz', 0, { timeMs: 30_000, unit: 'cases' });
    expect(bar.format).toBe('vpdma fuzz [{bar}] {elapsed}/{budget} | {done} cases {status}');
    expect(bar.total).toBe(30_000);
    // Early on, thousands of cases in: a bar a tenth full, not "4476/1" and full.
    expect(bar.frame(4476, 3_100, 'cases/s 1481')).toEqual({
      value: 3_100,
      payload: { elapsed: '3s', budget: '30s', done: '4476', status: '| cases/s 1481' },
    });
    // Past the budget (the last cases finishing): full, and no more time than the budget.
    expect(bar.frame(9000, 31_000, '')).toMatchObject({
      value: 30_000,
      payload: { elapsed: '30s', budget: '30s', status: '' },
    });
  });

  it('measures a --runs budget by the count', () => {
    const bar = barLayout('fuzz', 3000, { unit: 'cases' });
    expect(bar.format).toBe('vpdma fuzz [{bar}] {value}/{total} {status}');
    expect(bar.total).toBe(3000);
    expect(bar.frame(28, 5_000, 's')).toEqual({ value: 28, payload: { status: 's' } });
    // A count wins over a time given with it.
    expect(barLayout('replay', 21, { timeMs: 1000 }).total).toBe(21);
  });

  it('shows the count alone with neither a total nor a time', () => {
    const bar = barLayout('replay', 0);
    expect(bar.format).toBe('vpdma replay {done} {status}');
    expect(bar.frame(7, 100, '')).toEqual({ value: 0, payload: { done: '7', status: '' } });
  });

  it('writes durations for people', () => {
    expect([0, 999, 12_400, 60_000, 754_000, 3_600_000, 7_380_000].map(clock)).toEqual([
      '0s',
      '0s',
      '12s',
      '1m00s',
      '12m34s',
      '1h00m',
      '2h03m',
    ]);
  });
});

describe('minimization progress after a campaign', () => {
  it('JSON lines: the campaign ends, then minimize lines follow, each a JSON object', () => {
    const out: string[] = [];
    const o = { mode: 'json' as const, write: (t: string) => out.push(t), everySeconds: 0 };
    const fuzz = new Progress('fuzz', 0, { ...o, timeMs: 5000 });
    fuzz.update(40, { coverage: 9 });
    const m = minimizeProgress(fuzz, o);
    m.update({ current: 1, total: 3, attempts: 0 });
    m.update({ current: 2, total: 3, attempts: 412 });
    m.stop();
    fuzz.stop();
    const lines = out
      .join('')
      .split('\n')
      .filter((l) => l !== '');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p['progress'])).toEqual([
      'fuzz',
      'fuzz', // the campaign's final state, once
      'minimize',
      'minimize',
      'minimize', // the final state
    ]);
    expect(parsed[3]).toEqual({ progress: 'minimize', done: 2, total: 3, attempts: 412 });
  });

  it('lines: "vpdma minimize: 2/3 | attempts 412"', () => {
    const out: string[] = [];
    const o = { mode: 'lines' as const, write: (t: string) => out.push(t), everySeconds: 0 };
    const m = minimizeProgress(new Progress('fuzz', 0, o), o);
    m.update({ current: 2, total: 3, attempts: 412 });
    expect(out).toEqual(['vpdma minimize: 2/3 | attempts 412\n']);
  });
});
