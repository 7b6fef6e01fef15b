// `--explain`'s line about the oracle's objects under a call that created, ended or changed
// one: what it did to which, then how many of each kind are live, from two censuses of the
// model's state (model/census.ts).
import { plural } from '../core/plural.js';
import { censusChange, censusCounts, type Census, type CensusObject } from '../model/census.js';

/** Objects named in each part of the line before it says how many more there are. */
const NAMED_MAX = 4;

/**
 * "created view 0xffffc00000000000; live: 1 adapter (2 of 64 map registers in use), 1 view";
 * undefined when the call created, ended and changed no object.
 */
export function objectsLine(before: Census, after: Census): string | undefined {
  const { created, ended, changed } = censusChange(before, after);
  if (created.length + ended.length + changed.length === 0) return undefined;
  const parts = [...named('created', created), ...named('freed', ended), ...named('now', changed)];
  return `${parts.join('; ')}; live: ${liveText(after)}`;
}

/** "created view 0x1, MDL 0x2", "now delivered transfer 0x3"; nothing for none. */
function named(verb: string, objects: readonly CensusObject[]): string[] {
  if (objects.length === 0) return [];
  const shown = objects.slice(0, NAMED_MAX).map((o) => `${o.kind} 0x${o.id.toString(16)}`);
  const more = objects.length - shown.length;
  return [`${verb} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`];
}

/** "1 adapter (2 of 64 map registers in use), 3 MDLs", or "none". */
function liveText(c: Census): string {
  const counts = censusCounts(c).map(([kind, n]) =>
    kind === 'adapter'
      ? `${plural(n, kind)} (${c.mapRegistersUsed} of ${plural(c.mapRegisters, 'map register')} in use)`
      : plural(n, kind),
  );
  return counts.length === 0 ? 'none' : counts.join(', ');
}
