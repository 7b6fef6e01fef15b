// The `vpdma replay` command that reproduces a trace, quoted for a POSIX shell: one builder for
// a fuzz finding's (fuzz/outputs.ts) and a nightly corpus trace's (report/command.ts).
import { shellWord } from './shellWord.js';

/** A path as a command's argument: one that starts with '-' would read as an option. */
export function pathArgument(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}

export interface ReplayCommandOptions {
  readonly target: string;
  readonly profile?: string | undefined;
  /** The run's --timeout: replay's own default could turn a hang into another outcome. */
  readonly timeoutMs?: number | undefined;
  /** Tell the replay call by call. */
  readonly explain?: boolean | undefined;
  /** The run's --rss-limit-mb, when not replay's default: a leak is a crash under it. */
  readonly rssLimitMb?: number | undefined;
  /** The run's --worker-heap-mb, when given: a module target's leak is a crash only under it. */
  readonly workerHeapMb?: number | undefined;
}

/**
 * `vpdma replay TRACE --target T [--profile P] [--timeout MS] [--rss-limit-mb N]
 * [--worker-heap-mb N] [--explain]`.
 */
export function replayCommandLine(trace: string, o: ReplayCommandOptions): string {
  const words = ['vpdma', 'replay', pathArgument(trace), '--target', o.target];
  if (o.profile !== undefined) words.push('--profile', o.profile);
  if (o.timeoutMs !== undefined) words.push('--timeout', String(o.timeoutMs));
  if (o.rssLimitMb !== undefined) words.push('--rss-limit-mb', String(o.rssLimitMb));
  if (o.workerHeapMb !== undefined) words.push('--worker-heap-mb', String(o.workerHeapMb));
  if (o.explain === true) words.push('--explain');
  return words.map(shellWord).join(' ');
}
