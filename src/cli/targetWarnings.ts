// What a run's target left unchecked, said once per run (docs/checks.md, "What a target
// without state() or with a stray touched() loses"): stderr lines, and the report's
// `warnings`. Neither changes a verdict or the exit code.
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';

/** The per-trace (per-case) notes ReplayResult carries. */
export interface TargetNotes {
  readonly noState?: true;
  readonly strayTouched?: string;
}

export const NO_STATE_WARNING =
  'target has no state(): adapter/transfer/event changes during obsolete calls are not checked';

/**
 * What a run's traces or cases lost, summed (`stray`: the first one's, and how many; of a
 * fuzz run, that lowest case's index too, which the warning names for `vpdma fuzz --case`).
 */
export interface TargetLoss {
  readonly noState: boolean;
  readonly stray?: { readonly first: string; readonly count: number; readonly caseIndex?: number };
}

/** The loss of a run's traces or cases, from each one's notes, in order. */
export function lossOf(notes: readonly (TargetNotes | undefined)[]): TargetLoss {
  const stray = notes.filter((n) => n?.strayTouched !== undefined);
  const first = stray[0]?.strayTouched;
  return {
    noState: notes.some((n) => n?.noState === true),
    ...(first === undefined ? {} : { stray: { first, count: stray.length } }),
  };
}

/** The warnings for a run's loss, in a fixed order; none when nothing was lost. */
export function targetWarnings(loss: TargetLoss, unit: 'trace' | 'case'): string[] {
  const out: string[] = [];
  if (loss.noState) out.push(NO_STATE_WARNING);
  const s = loss.stray;
  if (s !== undefined) {
    // The lowest case, by index: the same for any --workers and shards (merge takes the lowest).
    const at =
      unit === 'case' && s.caseIndex !== undefined
        ? [`case ${s.caseIndex}'s `, `; \`vpdma fuzz --case ${s.caseIndex}\` writes that case`]
        : ['', ''];
    out.push(
      `touched() named memory the target never returned, outside user memory (${at[0]}${s.first}, in ${plural(s.count, unit)}${at[1]}): its writes there cannot be checked, and a write it leaves out goes unseen until a sample or the final sweep; --paranoid compares all live memory instead`,
    );
  }
  return out;
}

/** The stderr lines for `warnings`, naming the target. */
export function warningLines(target: string, warnings: readonly string[]): string {
  return warnings.map((w) => `vpdma: warning: target ${oneLine(target)}: ${w}\n`).join('');
}
