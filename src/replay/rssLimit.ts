// --rss-limit-mb: a process: target's child that outgrows it is killed, and the call in flight
// is a target-crashed (libFuzzer's -rss_limit_mb), so a leaking target is a finding instead of
// a machine the OOM killer picks a victim on.
import { readFileSync } from 'node:fs';

/**
 * The default, libFuzzer's: far above any VideoPort implementation's needs (the C example
 * stays under 10 MiB), low enough that a few workers' children cannot exhaust a nightly
 * machine. 0 turns the limit off.
 */
export const RSS_LIMIT_MB = 2048;

/**
 * How often a child's resident memory is read: a /proc read costs about 20 µs, so 10 a second
 * cost nothing next to the calls (scripts/bench/cTarget.ts, BENCHMARKS.md); libFuzzer samples
 * once a second.
 */
export const rssSampleMs = 100;

/** The VmRSS line of a /proc/PID/status text, in KiB; undefined when it has none. */
export function vmRssKib(status: string): number | undefined {
  const m = /^VmRSS:\s*(\d+)\s*kB$/m.exec(status);
  return m === null ? undefined : Number(m[1]);
}

/** A process's resident memory in KiB; undefined when unreadable (exited, or no /proc). */
export function rssKib(pid: number): number | undefined {
  try {
    return vmRssKib(readFileSync(`/proc/${pid}/status`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** Whether this platform lets vpdma read a process's resident memory (Linux's /proc). */
export function rssReadable(): boolean {
  return rssKib(process.pid) !== undefined;
}

/** The line saying --rss-limit-mb cannot be enforced here ('' when it can, or is moot). */
export function rssLimitNote(
  command: string,
  target: string,
  limitMb: number,
  readable: () => boolean = rssReadable,
): string {
  if (limitMb === 0 || !target.startsWith('process:') || readable()) return '';
  return `vpdma ${command}: --rss-limit-mb is not enforced on this platform (no /proc/PID/status to read a process's resident memory from)\n`;
}

/** The fault for a sample of `kib` under a limit of `limitMb` (0: none), else undefined. */
export function rssExceeded(kib: number | undefined, limitMb: number): string | undefined {
  if (kib === undefined || limitMb <= 0 || kib <= limitMb * 1024) return undefined;
  return `exceeded --rss-limit-mb ${limitMb} (rss ${Math.ceil(kib / 1024)} MiB)`;
}

/**
 * Samples `pid` every rssSampleMs while it lives; `over` is called once with the fault when it
 * exceeds `limitMb`. Returns the function that stops sampling (undefined when nothing samples:
 * no limit, or no /proc to read).
 */
export function watchRss(
  pid: number,
  limitMb: number,
  over: (fault: string) => void,
  read: (pid: number) => number | undefined = rssKib,
): (() => void) | undefined {
  if (limitMb <= 0) return undefined;
  const timer = setInterval(() => {
    const fault = rssExceeded(read(pid), limitMb);
    if (fault === undefined) return;
    clearInterval(timer);
    over(fault);
  }, rssSampleMs);
  // Never what keeps a process alive: the child's pipes and the pending request do that.
  timer.unref();
  return () => clearInterval(timer);
}

/** A report's rssLimitMb: recorded for a process: target, the only kind the limit applies to. */
export function rssLimitRecord(s: { readonly target: string; readonly rssLimitMb?: number }): {
  rssLimitMb?: number;
} {
  const on = s.rssLimitMb !== undefined && s.target.startsWith('process:');
  return on ? { rssLimitMb: s.rssLimitMb } : {};
}

/** The same, only when not the default: for what a rerun must repeat (a repro's meta). */
export function rssLimitChanged(s: { readonly target: string; readonly rssLimitMb?: number }): {
  rssLimitMb?: number;
} {
  return s.rssLimitMb === RSS_LIMIT_MB ? {} : rssLimitRecord(s);
}
