// The human summary after `vpdma minimize`: sizes, cost, the file written, and the command
// that reproduces the violation (STYLE lesson 15).
import { plural } from '../core/plural.js';
import { oneLine } from '../core/oneLine.js';
import { shellWord } from '../core/shellWord.js';
import type { MinimizeResult } from '../minimize/minimize.js';
import type { Violation } from '../replay/violation.js';

export interface MinimizeSummary {
  readonly before: number;
  readonly result: MinimizeResult;
  readonly ms: number;
  readonly attemptsMax: number;
  readonly out: string;
  readonly target: string;
  /** --timeout: a hang repro replays as one only under the same timeout. */
  readonly timeoutMs: number;
  /** --rss-limit-mb when not the default: a leak repro crashes only under the same limit. */
  readonly rssLimitMb?: number;
  /** --worker-heap-mb when given: a module target's leak repro crashes only under it. */
  readonly workerHeapMb?: number;
  /** The repro's own violation when replayed once more (undefined: it did not fail again). */
  readonly again: Violation | undefined;
}

export function formatMinimizeSummary(s: MinimizeSummary): string {
  const r = s.result;
  const lines = [
    `minimized ${s.before} -> ${plural(r.trace.calls.length, 'call')}: ${plural(r.attempts, 'attempt')} ` +
      `(${r.accepted} accepted, ${plural(r.evaluated, 'replay')}) in ${(s.ms / 1000).toFixed(2)} s`,
  ];
  if (r.exhausted)
    lines.push(
      `the attempt budget (--attempts-max ${s.attemptsMax}) ran out: the repro fails, but may not be 1-minimal`,
    );
  if (r.aborted) lines.push('interrupted: this is the shortest repro found so far');
  lines.push(`wrote ${oneLine(s.out)}`);
  if (s.again === undefined)
    lines.push('warning: the repro did not fail again when replayed once more (a flaky target?)');
  else lines.push(`repro: ${s.again.kind} in ${s.again.fn} at call ${s.again.callIndex}`);
  lines.push(
    `reproduce: vpdma replay ${shellWord(s.out)} --target ${shellWord(s.target)} --timeout ${s.timeoutMs}` +
      (s.rssLimitMb === undefined ? '' : ` --rss-limit-mb ${s.rssLimitMb}`) +
      (s.workerHeapMb === undefined ? '' : ` --worker-heap-mb ${s.workerHeapMb}`),
  );
  return `${lines.join('\n')}\n`;
}
