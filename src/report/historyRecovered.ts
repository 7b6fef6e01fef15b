// What --history-recover did (report.json's historyRecovered), in one line: stderr at the
// start, the summary, report.html's notice, junit.xml's and report.sarif's run properties.
import { plural } from '../core/plural.js';
import type { HistoryRecovered } from './nightlySchema.js';

export function recoveredText(r: HistoryRecovered): string {
  const from =
    r.from === 'empty'
      ? `an empty history (${r.prevUnusable ?? 'no earlier version'})`
      : `the previous version, ${r.from}${r.prevWritten === undefined ? '' : ` (written ${r.prevWritten})`}`;
  const deleted = r.olderDeleted ?? [];
  const pruned =
    deleted.length === 0
      ? ''
      : ` (${plural(deleted.length, 'older damaged copy', undefined, 'older damaged copies')} deleted: ${deleted.join(', ')})`;
  return `--history ${r.file} was damaged (${r.reason}): started from ${from}; the damaged file is kept as ${r.keptAs}${pruned}`;
}
