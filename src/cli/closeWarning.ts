// A module target whose close() threw, rejected or hung after a trace or case: one warning line
// on stderr naming the target, once per phase (the first failure's reason and how often). The
// results, reports and exit code stay what they are: the trace was over. The library's
// fuzzTarget gives the same words as a value, in its result's `warnings`.
import { oneLine } from '../core/oneLine.js';
import type { CloseErrors } from '../fuzz/campaign.js';
import type { ItemResult } from '../replay/protocol.js';
import { targetWarnings } from './targetWarnings.js';

/** The close() failures among replay results, the first in trace order. */
export function closeErrorsOf(results: readonly ItemResult[]): CloseErrors | undefined {
  const failed = results.filter((r) => r.closeError !== undefined);
  const first = failed[0]?.closeError;
  return first === undefined ? undefined : { first, count: failed.length };
}

/**
 * What the first failing close() did and how often one failed, e.g. "close() threw Error: x
 * (after 3 cases; ignored: results unchanged)"; undefined when close() never failed.
 */
export function closeFailure(
  errors: CloseErrors | undefined,
  unit: 'trace' | 'case',
  unchanged = 'results',
): string | undefined {
  if (errors === undefined) return undefined;
  const after = `after ${errors.count} ${unit}${errors.count === 1 ? '' : 's'}`;
  return `${oneLine(errors.first)} (${after}; ignored: ${unchanged} unchanged)`;
}

/** The warning line, or '' when close() never failed. */
export function closeWarning(
  target: string,
  errors: CloseErrors | undefined,
  unit: 'trace' | 'case',
): string {
  const failure = closeFailure(errors, unit, 'results and exit code');
  if (failure === undefined) return '';
  return `vpdma: warning: target ${oneLine(target)}: ${failure}\n`;
}

/** What a campaign's (or a fuzz report's `unchecked`) target left unchecked. */
type Unchecked = {
  readonly noState?: true;
  readonly stray?: { first: string; count: number; caseIndex?: number };
};

/**
 * A fuzz campaign's targetWarnings (targetWarnings.ts), as `warn` takes them: "warning:
 * target T: ...", each printed after "vpdma: " and kept in the report's warnings.
 */
export function campaignWarnings(c: Unchecked, target: string): string[] {
  return uncheckedWarnings(c).map((w) => `warning: target ${oneLine(target)}: ${w}`);
}

/** The same words without the target, as the library's fuzzTarget returns them. */
export function uncheckedWarnings(c: Unchecked): string[] {
  const loss = {
    noState: c.noState === true,
    ...(c.stray === undefined ? {} : { stray: c.stray }),
  };
  return targetWarnings(loss, 'case');
}
