// The call at which an earlier finding failed in its own repro, read from the finding.json
// beside it: what tells a repro that fails another way tonight, at or past that call (the bug
// is fixed, the new failure is another bucket's) from one failing first before it (the old bug
// is masked, its bucket stays open): report/historyShows.ts reproNoLongerShows.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Regressions } from './regressionResults.js';

/** callIndex of the finding.json in `dir`, if it is `signature`'s; else undefined. */
export async function reproCall(dir: string, signature: string): Promise<number | undefined> {
  const json = await readFile(join(dir, 'finding.json'), 'utf8')
    .then((t) => JSON.parse(t) as unknown)
    .catch(() => undefined);
  if (typeof json !== 'object' || json === null) return undefined;
  const f = json as Record<string, unknown>;
  const at = f['callIndex'];
  return f['signature'] === signature && Number.isSafeInteger(at) && (at as number) >= 0
    ? (at as number)
    : undefined;
}

/**
 * `r` with changedAt filled in: for each repro that failed another way, the call its finding
 * failed at, from the finding.json beside it, else (a merge whose shards ran elsewhere) the one
 * in `out`'s findings/; a repro with neither stays as before: open.
 */
export async function withReproCalls(r: Regressions, out?: string): Promise<Regressions> {
  for (const [signature, c] of r.changed) {
    const at =
      (await reproCall(dirname(c.trace), signature)) ??
      (out === undefined
        ? undefined
        : await reproCall(join(out, 'findings', ...signature.split('/')), signature));
    if (at !== undefined) r.changedAt.set(signature, at);
  }
  return r;
}
