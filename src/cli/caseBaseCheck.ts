// `vpdma fuzz --case N --out X` after a run into X: a run keeps its new cases in --corpus
// (default OUT/corpus), so the same command regenerates case N from a grown corpus, another
// case than the run's, and nothing said so (the base count on the --case line was the only
// hint). The run's report.json records the corpus it started from (corpus.baseId): compared.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What X/report.json says of the run's start: its seed and base corpus id, if it has them. */
async function reportStart(out: string): Promise<{ seed: string; baseId: string } | undefined> {
  let r: unknown;
  try {
    r = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
  } catch {
    return undefined; // none, or not a report: nothing to compare with
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const o = r as { seed?: unknown; corpus?: unknown; fuzzDetail?: unknown };
  // fuzz's report has the corpus at the top; nightly's and merge's under fuzzDetail.
  const fuzz = (o.fuzzDetail ?? o) as { corpus?: { baseId?: unknown } } | null;
  const baseId = fuzz?.corpus?.baseId;
  if (typeof o.seed !== 'string' || typeof baseId !== 'string') return undefined;
  return { seed: o.seed, baseId };
}

/**
 * The warning for --case N when OUT/report.json's run had this seed but started from another
 * corpus than the one case N is generated from now; undefined otherwise.
 */
export async function caseBaseWarning(
  out: string,
  seedText: string,
  baseId: string,
  index: number,
): Promise<string | undefined> {
  const run = await reportStart(out);
  if (run === undefined || run.seed !== seedText || run.baseId === baseId) return undefined;
  // A base id starts with its entry count (fuzz/base.ts).
  const entries = (id: string): string => id.split(':')[0] ?? '?';
  return `${join(out, 'report.json')}: that run (seed=${seedText}) started from ${entries(run.baseId)} corpus entries, this case from ${entries(baseId)} (a run keeps its new cases in --corpus, default OUT/corpus), so case ${index} here is not that run's case ${index}: its failing cases are beside their findings as original.txt, or give --corpus a copy of what it started from`;
}
