// Combining the reports of shards 1/N..N/N of one campaign (same seed, runs and base corpus)
// into what the unsharded run would have reported. A case is kept when it was the first to
// reach some coverage key (a model key or a target edge), and a group's minimized cases are its lowest-indexed failures:
// both are minima over case indices, so taking the minimum across shards gives exactly the
// unsharded selection, and the unsharded run's findings are those minimized cases'
// signatures (each shard minimized its own lowest cases, which include the global lowest).
import type { FuzzReport, ReportFinding } from './fuzzReport.js';

export interface MergedShards {
  readonly cases: number;
  readonly calls: number;
  /** Kept cases (ascending) and their corpus files. */
  readonly kept: readonly number[];
  readonly keptFiles: readonly string[];
  /** The unsharded run's signatures, sorted. */
  readonly signatures: readonly string[];
  readonly findings: readonly ReportFinding[];
  /** Groups as "kind fn": failing cases. */
  readonly hits: Readonly<Record<string, number>>;
}

export function mergeShards(reports: readonly FuzzReport[], perGroup: number): MergedShards {
  const first = new Map<number, number>();
  const firstEdge = new Map<number, number>();
  const files = new Map<number, string>();
  for (const r of reports) {
    for (const [key, index] of r.newCoverage) {
      const have = first.get(key);
      if (have === undefined || index < have) first.set(key, index);
    }
    // The target's own edges, a namespace of their own: a case first to reach one is kept too.
    for (const [edge, index] of r.newTargetEdges ?? []) {
      const have = firstEdge.get(edge);
      if (have === undefined || index < have) firstEdge.set(edge, index);
    }
    for (const k of r.corpus.keptFiles) files.set(k.caseIndex, k.file);
  }
  const kept = [...new Set([...first.values(), ...firstEdge.values()])].sort((a, b) => a - b);
  const groups = new Map<
    string,
    { hits: number; minimized: { caseIndex: number; signature: string }[] }
  >();
  for (const r of reports) {
    for (const g of r.groups) {
      const key = `${g.kind} ${g.fn}`;
      const m = groups.get(key) ?? { hits: 0, minimized: [] };
      m.hits += g.hits;
      m.minimized.push(...g.minimized);
      groups.set(key, m);
    }
  }
  // A signature's cases: the unsharded selection's cases that minimized to it (ascending, as
  // processFindings lists them, once all groups are in).
  const casesOf = new Map<string, number[]>();
  const hits: Record<string, number> = {};
  for (const [key, g] of groups) {
    hits[key] = g.hits;
    g.minimized.sort((a, b) => a.caseIndex - b.caseIndex);
    for (const m of g.minimized.slice(0, perGroup))
      casesOf.set(m.signature, [...(casesOf.get(m.signature) ?? []), m.caseIndex]);
  }
  const signatures = new Set(casesOf.keys());
  const findings = new Map<string, ReportFinding>();
  for (const r of reports)
    for (const f of r.findings) {
      const have = findings.get(f.signature);
      const cases = casesOf.get(f.signature);
      if (cases !== undefined && (have === undefined || f.caseIndex < have.caseIndex))
        findings.set(f.signature, { ...f, cases: [...cases].sort((a, b) => a - b) });
    }
  return {
    cases: reports.reduce((n, r) => n + r.cases, 0),
    calls: reports.reduce((n, r) => n + r.calls, 0),
    kept,
    keptFiles: kept.map((i) => files.get(i) ?? `?case-${i}`),
    signatures: [...signatures].sort(),
    findings: [...findings.values()],
    hits,
  };
}
