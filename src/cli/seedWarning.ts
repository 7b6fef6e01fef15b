// The default seed is fixed (DESIGN.md: one seed, printed and recorded, so a run is
// reproducible), so runs without one draw the same choices every time. A --time run on a
// corpus earlier runs left (a night's job reusing its --out) then spends its time on the
// campaign before it again, silently; one line says so.
import { plural } from '../core/plural.js';

export function defaultSeedWarning(o: {
  /** --seed or VPDMA_SEED was given (options.ts seedGiven). */
  readonly given: boolean;
  readonly seedText: string;
  readonly timeMs: number | undefined;
  /** Entries of the --corpus directory read at the start (the bundled corpus not counted). */
  readonly entries: number;
}): string | undefined {
  if (o.given || o.timeMs === undefined || o.entries === 0) return undefined;
  return `--time on a corpus earlier runs left (${plural(o.entries, 'entry', undefined, 'entries')}) with the default seed ${o.seedText}: every run without --seed draws the same choices, so this one repeats much of the last; give each run its own seed (--seed or VPDMA_SEED, e.g. the date)`;
}
