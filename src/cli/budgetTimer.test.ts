// budgetTimer: a budget longer than setTimeout's 24.8 days neither fires at once nor warns.
import { describe, expect, it } from 'vitest';
import { budgetTimer, TIMER_DELAY_MS_MAX } from './budgetTimer.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('budgetTimer', () => {
  it('does not fire early for a budget over the timer limit, and gives no overflow warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    let fired = 0;
    try {
      // 600h, and the bare number of seconds someone might pass to mean "no limit".
      const cancels = [600 * 3_600_000, 9_999_999_000, TIMER_DELAY_MS_MAX + 1].map((ms) =>
        budgetTimer(ms, () => fired++),
      );
      await sleep(50);
      for (const cancel of cancels) cancel();
    } finally {
      process.off('warning', onWarning);
    }
    expect(fired).toBe(0);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('waits a long budget out in steps: it fires once, after the whole of it', async () => {
    const started = performance.now();
    let firedAt: number[] = [];
    budgetTimer(120, () => (firedAt = [...firedAt, performance.now() - started]), 25);
    await sleep(60);
    expect(firedAt).toEqual([]);
    await sleep(250);
    expect(firedAt).toHaveLength(1);
    expect(firedAt[0]).toBeGreaterThanOrEqual(115);
  });

  it('fires a short budget as given, and not once cancelled', async () => {
    let fired = 0;
    budgetTimer(5, () => fired++);
    const cancel = budgetTimer(5, () => fired++);
    cancel();
    await sleep(60);
    expect(fired).toBe(1);
  });
});
