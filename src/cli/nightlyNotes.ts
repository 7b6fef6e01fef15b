// What nightly says on standard error before its first phase: the seed, what was left out
// and why, and the start line.
import { plural } from '../core/plural.js';
import { alternatesLines, type Alternate } from '../store/collect.js';
import { buildRevision } from './buildRevision.js';
import { historyNote, otherTargetsNote, upgradeNote, type HistoryFile } from './nightlyHistory.js';
import { emptyReplayDirWarning, originalsOnlyNote, unminimizedNote } from './nightlyPlan.js';
import { disableWarnings } from './options.js';
import { rssLimitNote } from '../replay/rssLimit.js';

export interface StartNotes {
  readonly seed: string;
  readonly disabled: readonly string[] | undefined;
  readonly traces: {
    readonly empty: readonly string[];
    readonly alternates: readonly Alternate[];
    readonly unminimized: readonly string[];
    readonly originalsOnly: readonly string[];
  };
  readonly out: string;
  readonly history: HistoryFile | undefined;
  readonly target: string;
  readonly shard: string;
  readonly workers: string;
  readonly files: number;
  /** Traces calling a --disable'd function, not replayed. */
  readonly lacking: { readonly bundled: ReadonlySet<string>; readonly repros: ReadonlySet<string> };
  /** --rss-limit-mb, said not enforced where it cannot be. */
  readonly rssLimitMb: number;
}

export function startNotes(err: (text: string) => void, n: StartNotes): void {
  err(`vpdma nightly: seed=${n.seed}\n`);
  const givenUp = disableWarnings(n.disabled === undefined ? undefined : [...n.disabled]);
  if (givenUp !== '') err(givenUp);
  for (const dir of n.traces.empty) err(emptyReplayDirWarning(dir));
  for (const line of alternatesLines(n.traces.alternates))
    err(`vpdma nightly: --replay: ${line}\n`);
  if (n.traces.unminimized.length > 0) err(unminimizedNote(n.out, n.traces.unminimized.length));
  const killed = originalsOnlyNote(n.out, n.traces.originalsOnly, n.target);
  if (killed !== '') err(killed);
  for (const note of [
    historyNote('nightly', n.history),
    upgradeNote('nightly', n.history),
    otherTargetsNote('nightly', n.history, n.target),
  ])
    if (note !== '') err(note);
  const unlimited = rssLimitNote('nightly', n.target, n.rssLimitMb);
  if (unlimited !== '') err(unlimited);
  err(
    `vpdma nightly: target=${n.target} shard=${n.shard} workers=${n.workers} traces=${n.files} build=${buildRevision()} out=${n.out}\n`,
  );
  const { bundled, repros } = n.lacking;
  if (bundled.size > 0 || repros.size > 0)
    err(
      `vpdma nightly: not replayed, calling a --disable'd function: ${[
        ...(bundled.size > 0 ? [plural(bundled.size, 'bundled trace')] : []),
        ...(repros.size > 0
          ? [`${repros.size} earlier ${repros.size === 1 ? "finding's repro" : "findings' repros"}`]
          : []),
      ].join(', ')}\n`,
    );
}
