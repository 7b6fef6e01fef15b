// What the terminal's bar shows, without a terminal: its format, total and values.
import { describe, expect, it, vi } from 'vitest';
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
    expect(bar.format).toBe('vpdma fuzz [{bar}] {done}/{total} {status}');
    expect(bar.total).toBe(3000);
    expect(bar.frame(28, 5_000, 's')).toEqual({ value: 28, payload: { done: '28', status: 's' } });
    // A count wins over a time given with it.
    expect(barLayout('replay', 21, { timeMs: 1000 }).total).toBe(21);
  });

  it('fills by the fraction of the work done when one is known, the count beside it', () => {
    const bar = barLayout('replay', 1);
    // One long trace, 45% of its bytes read: the bar is not empty until it ends.
    expect(bar.frame(0, 5_000, 's', 0.45)).toEqual({
      value: 0.45,
      payload: { done: '0', status: 's' },
    });
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

describe('progress with a fraction of the work done', () => {
  it('says how much is read and, once there is a pace, the time left', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const out: string[] = [];
      const o = { write: (t: string) => out.push(t), everySeconds: 0 };
      const lines = new Progress('replay', 1, { ...o, mode: 'lines' });
      const json = new Progress('replay', 1, { ...o, mode: 'json' });
      lines.update(0, { calls: 5 }, 0.004); // no pace yet: no ETA
      vi.advanceTimersByTime(10_000);
      lines.update(0, { calls: 50 }, 0.25);
      json.update(0, { calls: 50 }, 0.25);
      expect(out).toEqual([
        'vpdma replay: 0/1 | calls 5 | read 0%\n',
        'vpdma replay: 0/1 | calls 50 | read 25% | eta 30s\n',
        '{"progress":"replay","done":0,"total":1,"calls":50,"fraction":0.25,"etaSeconds":30}\n',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('progress once a stop was asked for', () => {
  it('the ETA gives way to the wait for a call in progress, counting down', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const out: string[] = [];
      const o = { write: (t: string) => out.push(t), everySeconds: 0 };
      const lines = new Progress('replay', 21, { ...o, mode: 'lines' });
      const json = new Progress('replay', 21, { ...o, mode: 'json' });
      vi.advanceTimersByTime(10_000);
      lines.update(12, { calls: 50 }, 0.5);
      lines.stopping(performance.now() + 62_000);
      json.stopping(performance.now() + 62_000);
      lines.update(12, { calls: 50 }, 0.4); // frozen: the pace would say 15s, then more
      vi.advanceTimersByTime(30_000);
      lines.update(12, { calls: 50 }, 0.4);
      json.update(12, { calls: 50 }, 0.4);
      expect(out).toEqual([
        'vpdma replay: 12/21 | calls 50 | read 50% | eta 10s\n',
        'vpdma replay: 12/21 | calls 50 | read 40% | stopping: waiting up to 1m02s for a call in progress\n',
        'vpdma replay: 12/21 | calls 50 | read 40% | stopping: waiting up to 32s for a call in progress\n',
        '{"progress":"replay","done":12,"total":21,"calls":50,"fraction":0.4,"stoppingSeconds":32}\n',
      ]);
    } finally {
      vi.useRealTimers();
    }
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

describe("a campaign's status lines", () => {
  it('say "starting" while no case is done (workers loading), then the counts', () => {
    const out: string[] = [];
    const o = { mode: 'lines' as const, write: (t: string) => out.push(t), everySeconds: 0 };
    const p = new Progress('fuzz', 0, { ...o, idle: 'starting' });
    p.update(0, { 'cases/s': 0, coverage: 6209 });
    p.update(3, { 'cases/s': 1, coverage: 6215 });
    expect(out).toEqual(['vpdma fuzz: starting\n', 'vpdma fuzz: 3 | cases/s 1 | coverage 6215\n']);
    // JSON lines keep the zeros: a machine reads the fields, not the words.
    const json: string[] = [];
    new Progress('fuzz', 0, {
      ...o,
      mode: 'json',
      write: (t) => json.push(t),
      idle: 'starting',
    }).update(0);
    expect(json).toEqual(['{"progress":"fuzz","done":0}\n']);
  });
});

describe('Progress.mark (a phase starting)', () => {
  it('is a JSON line at once, and a status line once the run has lasted an interval', () => {
    const seen: string[] = [];
    const write = (t: string): void => {
      seen.push(t);
    };
    new Progress('minimize', 0, { mode: 'json', write }).mark(0, { phase: 'replaying' });
    expect(seen).toEqual(['{"progress":"minimize","done":0,"phase":"replaying"}\n']);
    seen.length = 0;
    // A short run stays quiet in status lines, as before.
    new Progress('minimize', 0, { mode: 'lines', write }).mark(0, { phase: 'replaying' });
    expect(seen).toEqual([]);
    const long = { mode: 'lines' as const, write, startedAt: performance.now() - 20_000 };
    new Progress('minimize', 0, long).mark(0, { phase: 'preparing (linking 5 calls)' });
    expect(seen).toEqual(['vpdma minimize: 0 | phase preparing (linking 5 calls)\n']);
  });
});

describe('an event between status lines', () => {
  it('is its line, or its JSON line instead in JSON mode (a new finding)', () => {
    const out: string[] = [];
    const o = { write: (t: string) => void out.push(t) };
    for (const mode of ['lines', 'quiet', 'json'] as const)
      new Progress('fuzz', 0, { ...o, mode }).event('line\n', '{"event":"e"}\n');
    expect(out).toEqual(['line\n', 'line\n', '{"event":"e"}\n']);
  });
});
