// A module target whose close() threw, rejected or hung after a trace or case: one warning line
// on stderr naming the target, once per phase (the first failure's reason and how often). The
// results, reports and exit code stay what they are: the trace was over.
import { oneLine } from '../core/oneLine.js';
import type { CloseErrors } from '../fuzz/campaign.js';
import type { ItemResult } from '../replay/protocol.js';

/** The close() failures among replay results, the first in trace order. */
export function closeErrorsOf(results: readonly ItemResult[]): CloseErrors | undefined {
  const failed = results.filter((r) => r.closeError !== undefined);
  const first = failed[0]?.closeError;
  return first === undefined ? undefined : { first, count: failed.length };
}

/** The warning line, or '' when close() never failed. */
export function closeWarning(
  target: string,
  errors: CloseErrors | undefined,
  unit: 'trace' | 'case',
): string {
  if (errors === undefined) return '';
  const after = `after ${errors.count} ${unit}${errors.count === 1 ? '' : 's'}`;
  return `vpdma: warning: target ${oneLine(target)}: ${oneLine(errors.first)} (${after}; ignored: results and exit code unchanged)\n`;
}
