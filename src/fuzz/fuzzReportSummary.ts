// fuzz report.json's \`summary\`: counts a reader wants first, each also found elsewhere in the report.
import type { ViolationKind } from '../replay/violation.js';
import type { FuzzReport } from './fuzzReport.js';
import { likelyOneBug, type LikelyOneBug } from './likelyOneBug.js';

/** fuzz report.json's `summary`: the counts, each also found elsewhere in the report. */
export interface FuzzSummary {
  /** Cases run (the report's `cases`). */
  readonly cases: number;
  /** Calls made in them (`calls`). */
  readonly calls: number;
  /** Findings: bugs, one per signature (`findings`). */
  readonly findings: number;
  /** Failing cases whose repro did not fail again (`unconfirmed`). */
  readonly unconfirmed: number;
  /** Findings by kind. */
  readonly byKind: Partial<Record<ViolationKind, number>>;
  /** Cases kept in the corpus this run (`corpus.kept`). */
  readonly newCorpusEntries: number;
  /**
   * Findings likely to be one bug (likelyOneBug.ts), groups of two or more; absent from
   * reports written before it was added.
   */
  readonly likelyOneBug?: readonly LikelyOneBug[];
}

/** The summary of a fuzz report, from the fields it counts. */
export function fuzzSummaryOf(
  r: Pick<FuzzReport, 'cases' | 'calls' | 'findings' | 'unconfirmed'> & {
    readonly corpus: Pick<FuzzReport['corpus'], 'kept'>;
  },
): FuzzSummary {
  const byKind: Partial<Record<ViolationKind, number>> = {};
  for (const f of r.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  return {
    cases: r.cases,
    calls: r.calls,
    findings: r.findings.length,
    unconfirmed: r.unconfirmed.length,
    byKind,
    newCorpusEntries: r.corpus.kept,
    likelyOneBug: likelyOneBug(r.findings),
  };
}
