// A campaign's status line: the pace now beside the average, the time and the memory. The
// campaign's reports carry their own clock (elapsedMs) and the memory is injected: no clock.
import { describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../fuzz/campaign.js';
import { campaignStatus } from './campaignStatus.js';
import { Progress } from './progress.js';

const at = (
  elapsedMs: number,
  cases: number,
  calls = cases * 30,
  grown: Pick<CampaignProgress, 'lastNewBranchMs' | 'lastNewKeyMs'> = {},
): CampaignProgress => ({
  cases,
  calls,
  coverage: 5699,
  branches: 118,
  kept: 0,
  failing: 0,
  kinds: 0,
  elapsedMs,
  ...grown,
});
const rss = (): number => 277 * (1 << 20);

describe('a campaign status line', () => {
  it('shows a slow start: the rate over the last 10 s beside the average, elapsed/budget and rss', () => {
    const out: string[] = [];
    const o = { mode: 'lines' as const, write: (t: string) => out.push(t), everySeconds: 0 };
    const progress = new Progress('fuzz', 0, { ...o, timeMs: 30_000 });
    const status = campaignStatus({ mode: 'lines', timeMs: 30_000, rss });
    // The probe's campaign: 551 cases/s for 10 s, then 2314/s, then 3245/s.
    for (const [ms, cases] of [
      [5_000, 2_754],
      [10_000, 5_508],
      [20_000, 28_648],
      [30_000, 61_096],
    ] as const)
      progress.update(cases, status(at(ms, cases, cases * 30, { lastNewBranchMs: 4_200 }), 1984));
    expect(out[1]).toBe(
      'vpdma fuzz: 5508 | elapsed 10s/30s | cases/s 551 (avg 551) | calls/s 17k | branches 118 (new 5s ago) | keys 5699 | corpus 1984 | findings 0 | failing 0 | rss 277M\n',
    );
    expect(out[2]).toContain('| elapsed 20s/30s | cases/s 2314 (avg 1432) |');
    expect(out[3]).toContain('| elapsed 30s/30s | cases/s 3245 (avg 2037) |');
    // One line for a CI log, short enough to read without scrolling.
    for (const l of out) expect(l.length).toBeLessThan(170);
  });

  it('measures the recent rate over the last 10 s however often the campaign reports', () => {
    const status = campaignStatus({ mode: 'lines', rss });
    let fields = {};
    // 100 cases/s for 20 s, reported every 250 ms, then 1000/s for 5 s.
    let cases = 0;
    for (let ms = 250; ms <= 25_000; ms += 250) {
      cases += ms <= 20_000 ? 25 : 250;
      fields = status(at(ms, cases), 0);
    }
    // The last 10 s: 5 s at 100/s and 5 s at 1000/s.
    expect(fields).toMatchObject({ elapsed: '25s', 'cases/s': '550 (avg 280)' });
  });

  it('says how long ago a case last reached a new branch, or that none has yet', () => {
    const status = campaignStatus({ mode: 'lines', rss });
    expect(status(at(3_000, 300), 0)).toHaveProperty('branches', '118 (none new)');
    // A plateau: the last new branch 100.4 s before this report (keys still growing).
    const grown = { lastNewBranchMs: 19_600, lastNewKeyMs: 119_900 };
    expect(status(at(120_000, 9_000, 270_000, grown), 0)).toHaveProperty(
      'branches',
      '118 (new 1m40s ago)',
    );
    expect(status(at(120_000, 9_000, 270_000, { lastNewBranchMs: 120_000 }), 0)).toHaveProperty(
      'branches',
      '118 (new 0s ago)',
    );
  });

  it('with --runs: the elapsed time alone (the count is shown against its total)', () => {
    const out: string[] = [];
    const progress = new Progress('fuzz', 3000, {
      mode: 'lines',
      write: (t) => out.push(t),
      everySeconds: 0,
    });
    progress.update(412, campaignStatus({ mode: 'lines', rss })(at(12_400, 412), 7));
    expect(out[0]).toMatch(/^vpdma fuzz: 412\/3000 \| elapsed 12s \| cases\/s 33 \(avg 33\) \|/);
  });

  it('JSON lines keep the averages under their keys and add recent rates, elapsedMs and rssMb', () => {
    const status = campaignStatus({ mode: 'json', timeMs: 30_000, rss });
    status(at(10_000, 5_508), 1984);
    const grown = { lastNewBranchMs: 4_200.4, lastNewKeyMs: 19_750.6 };
    expect(status(at(20_000, 28_648, 28_648 * 30, grown), 1984)).toEqual({
      'cases/s': 1432,
      'calls/s': 42972,
      recentCasesPerSecond: 2314,
      recentCallsPerSecond: 69420,
      coverage: 5699,
      branches: 118,
      corpus: 1984,
      findings: 0,
      failing: 0,
      elapsedMs: 20_000,
      lastNewBranchMs: 4_200,
      lastNewKeyMs: 19_751,
      rssMb: 277,
    });
    // Before any case grew them: absent, not 0 (which would say "at the start").
    const first = campaignStatus({ mode: 'json', rss })(at(1_000, 40), 0);
    expect(first).not.toHaveProperty('lastNewBranchMs');
    expect(first).not.toHaveProperty('lastNewKeyMs');
  });

  it("on a terminal the bar shows the time against --time, so the status doesn't repeat it", () => {
    const fields = campaignStatus({ mode: 'bar', timeMs: 30_000, rss })(at(3_000, 300), 0);
    expect(fields).not.toHaveProperty('elapsed');
    expect(fields).toHaveProperty('rss', '277M');
  });
});
