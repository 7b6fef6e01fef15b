// Test support: nights folded in turn into one --history file, as `vpdma nightly` folds them
// (src/cli/nightlyHistory.ts), from each night's replayed traces; each night's verdicts.
import { foldFindings, type Folded } from '../../src/cli/nightlyHistory.js';
import { readHistory } from '../../src/cli/historyFile.js';
import { regressionResults, type ReplayedRun } from '../../src/cli/regressionResults.js';
import { withReproCalls } from '../../src/cli/reproCall.js';
import { emptyHistory } from '../../src/report/history.js';

/** Folds `runs` into the history at `path` (findings under `out`), target a module port. */
export async function foldNights(
  runs: readonly ReplayedRun[],
  path: string,
  out: string,
): Promise<Folded[]> {
  const folded: Folded[] = [];
  for (const [i, replay] of runs.entries()) {
    const read = await readHistory(path);
    const history = read.ok ? read.value.history : emptyHistory();
    const file = { path, history, text: read.ok ? read.value.text : '', note: '' };
    const run = { runId: `n${i + 1}`, target: 'module:./videoprt.mjs', complete: true };
    const f = foldFindings([], out, file, run, await withReproCalls(regressionResults([replay])));
    await f.saveHistory();
    folded.push(f);
  }
  return folded;
}
