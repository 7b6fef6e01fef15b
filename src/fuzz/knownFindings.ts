// Findings an earlier night left whose repro still fails (FuzzRunOptions.known): the cases
// that fail with their signature (known before minimizing: signatures name what failed, not
// the calls a repro kept) are not minimized again, and the finding is reported with the repro
// it has, whose files stay as they are.
import { firstViolation, signatureOfViolation, type FailureGroup } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';

export interface SetAside {
  /** The groups with the cases left to minimize (a group with none left is dropped). */
  readonly groups: FailureGroup[];
  /** By known signature, the cases set aside for it, ascending. */
  readonly kept: Map<string, number[]>;
}

export function setAsideKnown(
  groups: readonly FailureGroup[],
  known: ReadonlyMap<string, ReportFinding> | undefined,
): SetAside {
  const kept = new Map<string, number[]>();
  if (known === undefined || known.size === 0) return { groups: [...groups], kept };
  const left: FailureGroup[] = [];
  for (const g of groups) {
    const cases = g.cases.filter((r) => {
      const v = firstViolation(r);
      const signature = v === undefined ? undefined : signatureOfViolation(v);
      if (signature === undefined || !known.has(signature)) return true;
      keep(kept, signature, [r.index]);
      return false;
    });
    if (cases.length > 0) left.push({ ...g, cases });
  }
  return { groups: left, kept };
}

/** Adds `cases` to the cases kept for `signature`. */
export function keep(
  kept: Map<string, number[]>,
  signature: string,
  cases: readonly number[],
): void {
  kept.set(
    signature,
    [...(kept.get(signature) ?? []), ...cases].sort((a, b) => a - b),
  );
}

/** The known findings with this run's cases, by signature. */
export function keptFindings(
  kept: ReadonlyMap<string, readonly number[]>,
  known: ReadonlyMap<string, ReportFinding>,
): ReportFinding[] {
  return [...kept]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([signature, cases]) => {
      const f = known.get(signature);
      return f === undefined ? [] : [{ ...f, cases: [...new Set(cases)], kept: true as const }];
    });
}
