// Small helpers shared by the nightly renderers: the short form of a finding's signature, the
// shell command that replays a corpus trace the way the run did, and the one that minimizes it.
import { basename } from 'node:path';
import { pathArgument, replayCommandLine } from '../core/replayCommand.js';
import { isProfile } from '../model/device.js';
import { rssLimitChanged } from '../replay/rssLimit.js';
import { shellWord } from '../core/shellWord.js';
import type { NightlyReport } from './nightlySchema.js';

const SHORT_LENGTH = 12;

/**
 * The prefix of a bundled corpus trace's stable name, `corpus:NAME` (src/cli/historyTraceName.ts),
 * which replay, show, minimize and convert take as a trace (src/cli/bundledTrace.ts).
 */
export const BUNDLED_TRACE = 'corpus:';

/**
 * A replayed trace's stable name, the same wherever vpdma is installed (the history's:
 * `corpus:NAME` for a bundled corpus trace); the path as replayed when it has none.
 */
export type TraceName = (trace: string) => string;

/**
 * The short form of a signature, for test names and headings: the part after the last ':' or
 * '/' (the hash of "kind/Function/hash", src/fuzz/findings.ts, or of "sha256:…"), cut to 12 characters.
 */
export function shortSignature(signature: string): string {
  const cut = Math.max(signature.lastIndexOf(':'), signature.lastIndexOf('/'));
  const tail = signature.slice(cut + 1);
  return (tail === '' ? signature : tail).slice(0, SHORT_LENGTH);
}

/**
 * What a corpus trace's command repeats of the night beside its --timeout: the target, the
 * --profile and the --rss-limit-mb (fuzzDetail.rssLimitMb), passed on only when not the default,
 * and the --worker-heap-mb (fuzzDetail.workerHeapMb) when given.
 */
export type CommandRun = Pick<NightlyReport, 'target' | 'profile'> & {
  readonly rssLimitMb?: number | undefined;
  readonly workerHeapMb?: number | undefined;
};

/** The --rss-limit-mb a command passes on: a process: target's, when not the default. */
function rssLimitOf(run: CommandRun): { rssLimitMb?: number } {
  return run.rssLimitMb === undefined
    ? {}
    : rssLimitChanged({ target: run.target, rssLimitMb: run.rssLimitMb });
}

/**
 * `vpdma replay TRACE --target T [--profile P] [--timeout MS] [--rss-limit-mb N]
 * [--worker-heap-mb N] [--explain]`, quoted for a POSIX shell.
 */
export function corpusReplayCommand(
  report: CommandRun,
  trace: string,
  /** The night's --timeout: replay's own default (5000 ms) could turn a hang into another outcome. */
  timeoutMs?: number,
  /** Tell the replay call by call: the next step for a trace that is a repro already. */
  explain = false,
): string {
  const profile = isProfile(report.profile) ? report.profile : undefined;
  return replayCommandLine(trace, {
    target: report.target,
    profile,
    timeoutMs,
    explain,
    ...rssLimitOf(report),
    workerHeapMb: report.workerHeapMb,
  });
}

/**
 * `vpdma minimize TRACE --kind K --fn F --out NAME.min.txt --target T [--profile P]
 * [--timeout MS] [--rss-limit-mb N] [--worker-heap-mb N]`, quoted for a POSIX shell: what shrinks a failing corpus trace to a repro of
 * that violation. The repro goes to the directory it runs in: minimize's default, beside the
 * trace, would put a new trace into the corpus directory the next night replays. TRACE may be
 * a bundled trace's `corpus:NAME`.
 */
export function corpusMinimizeCommand(
  report: CommandRun,
  v: { readonly trace: string; readonly kind: string; readonly fn: string },
  timeoutMs?: number,
): string {
  const file = v.trace.startsWith(BUNDLED_TRACE) ? v.trace.slice(BUNDLED_TRACE.length) : v.trace;
  const name = basename(file).replace(/\.(?:jsonl|vpt|txt)(?:\.gz)?$/i, '');
  const out = `${pathArgument(name)}.min.txt`;
  const trace = pathArgument(v.trace);
  const words = ['vpdma', 'minimize', trace, '--kind', v.kind, '--fn', v.fn, '--out', out];
  words.push('--target', report.target);
  if (isProfile(report.profile)) words.push('--profile', report.profile);
  if (timeoutMs !== undefined) words.push('--timeout', String(timeoutMs));
  const { rssLimitMb } = rssLimitOf(report);
  if (rssLimitMb !== undefined) words.push('--rss-limit-mb', String(rssLimitMb));
  if (report.workerHeapMb !== undefined)
    words.push('--worker-heap-mb', String(report.workerHeapMb));
  return words.map(shellWord).join(' ');
}
