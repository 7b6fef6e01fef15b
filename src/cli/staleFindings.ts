// A reused --out keeps the finding directories of earlier runs: the report lists only this
// run's, so the others are named once on standard error rather than left to be mistaken.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from './context.js';

/** `kind/fn/hash` of every finding directory in OUT/findings that `mine` does not hold, sorted. */
export async function staleFindings(out: string, mine: ReadonlySet<string>): Promise<string[]> {
  const list = async (dir: string): Promise<string[]> =>
    readdir(dir, { withFileTypes: true }).then(
      (es) => es.filter((e) => e.isDirectory()).map((e) => e.name),
      () => [],
    );
  const root = join(out, 'findings');
  const found: string[] = [];
  for (const kind of await list(root))
    for (const fn of await list(join(root, kind)))
      for (const hash of await list(join(root, kind, fn))) found.push(`${kind}/${fn}/${hash}`);
  return found.filter((s) => !mine.has(s)).sort();
}

/** The warning for `command` (merge, fuzz) about another run's findings left in OUT. */
export async function warnStaleFindings(
  io: CliIo,
  command: string,
  out: string,
  mine: ReadonlySet<string>,
): Promise<void> {
  const stale = await staleFindings(out, mine);
  if (stale.length === 0) return;
  const named = `${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}`;
  io.err(
    `vpdma ${command}: ${out}/findings holds ${stale.length} finding(s) this ${command} did not write (${named}): an earlier run's; use an empty directory to leave them out\n`,
  );
}
