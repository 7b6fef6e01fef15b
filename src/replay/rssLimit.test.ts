import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  RSS_LIMIT_MB,
  rssExceeded,
  rssKib,
  rssLimitChanged,
  rssLimitNote,
  rssLimitRecord,
  rssSampleMs,
  vmRssKib,
  watchRss,
} from './rssLimit.js';

const STATUS = 'Name:\tvpdma-c-target\nVmPeak:\t  120000 kB\nVmRSS:\t   72704 kB\nThreads:\t1\n';

describe('reading a process resident memory', () => {
  it('takes VmRSS from a /proc/PID/status text, not VmPeak', () => {
    expect(vmRssKib(STATUS)).toBe(72704);
    expect(vmRssKib('Name:\tzombie\nState:\tZ (zombie)\n')).toBeUndefined();
  });

  it("reads this process's own where /proc exists, and nothing for a pid that is gone", () => {
    const own = rssKib(process.pid);
    if (existsSync('/proc/self/status')) expect(own).toBeGreaterThan(1024);
    else expect(own).toBeUndefined();
    expect(rssKib(0x7ffffff0)).toBeUndefined();
  });
});

describe('deciding', () => {
  it('is over only strictly above the limit, and names the limit and the RSS seen in MiB', () => {
    expect(rssExceeded(64 * 1024, 64)).toBeUndefined();
    expect(rssExceeded(64 * 1024 + 1, 64)).toBe('exceeded --rss-limit-mb 64 (rss 65 MiB)');
    expect(rssExceeded(72704, 64)).toBe('exceeded --rss-limit-mb 64 (rss 71 MiB)');
    expect(rssExceeded(1 << 30, 0)).toBeUndefined(); // 0: no limit
    expect(rssExceeded(undefined, 64)).toBeUndefined(); // unreadable: never a kill
  });

  it('is recorded for process: targets only, and for a rerun only when not the default', () => {
    const p = 'process:./t';
    expect(rssLimitRecord({ target: p, rssLimitMb: RSS_LIMIT_MB })).toEqual({ rssLimitMb: 2048 });
    expect(rssLimitRecord({ target: p, rssLimitMb: 0 })).toEqual({ rssLimitMb: 0 });
    expect(rssLimitRecord({ target: 'model', rssLimitMb: 64 })).toEqual({});
    expect(rssLimitRecord({ target: p })).toEqual({});
    expect(rssLimitChanged({ target: p, rssLimitMb: RSS_LIMIT_MB })).toEqual({});
    expect(rssLimitChanged({ target: p, rssLimitMb: 64 })).toEqual({ rssLimitMb: 64 });
  });
});

describe('a platform without /proc', () => {
  it('is said once, for a process: target with a limit only', () => {
    const no = (): boolean => false;
    expect(rssLimitNote('fuzz', 'process:./t', 64, no)).toBe(
      "vpdma fuzz: --rss-limit-mb is not enforced on this platform (no /proc/PID/status to read a process's resident memory from)\n",
    );
    expect(rssLimitNote('fuzz', 'process:./t', 0, no)).toBe('');
    expect(rssLimitNote('fuzz', 'model', 64, no)).toBe('');
    expect(rssLimitNote('fuzz', 'process:./t', 64, () => true)).toBe('');
  });
});

describe('sampling', () => {
  afterEach(() => void vi.useRealTimers());

  it('samples every rssSampleMs, reports the first sample over once, then stops', () => {
    vi.useFakeTimers();
    const samples = [10_000, 60_000, 70_000, 80_000];
    const read = vi.fn(() => samples.shift());
    const over = vi.fn();
    const stop = watchRss(42, 64, over, read);
    expect(stop).toBeDefined();
    vi.advanceTimersByTime(rssSampleMs * 2);
    expect(over).not.toHaveBeenCalled();
    vi.advanceTimersByTime(rssSampleMs * 10);
    expect(over.mock.calls).toEqual([['exceeded --rss-limit-mb 64 (rss 69 MiB)']]);
    expect(read).toHaveBeenCalledTimes(3);
    expect(read).toHaveBeenCalledWith(42);
  });

  it('stops when told, and never starts without a limit', () => {
    vi.useFakeTimers();
    const read = vi.fn(() => 1 << 30);
    const over = vi.fn();
    watchRss(42, 64, over, read)?.();
    expect(watchRss(42, 0, over, read)).toBeUndefined();
    vi.advanceTimersByTime(rssSampleMs * 10);
    expect(read).not.toHaveBeenCalled();
    expect(over).not.toHaveBeenCalled();
  });
});
