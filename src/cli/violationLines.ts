// The line of each violation's call in its trace file, for the places that name it the way
// `vpdma replay` does (`path:LINE (call N)`): `vpdma replay`'s --json and summary, and the
// corpus section of the nightly reports. A .vpt file has no lines; a file that cannot be
// read leaves its violations without one (a location is a help, never a reason to fail).
import type { ReportViolation } from '../report/replayReport.js';
import { callLines } from '../store/callLines.js';

/** Where each of `violations` is, by line: a lookup for them (undefined: no line). */
export async function violationLines(
  violations: readonly ReportViolation[],
): Promise<(v: Pick<ReportViolation, 'trace' | 'callIndex'>) => number | undefined> {
  const byTrace = new Map<string, Set<number>>();
  for (const v of violations) {
    const indices = byTrace.get(v.trace) ?? new Set<number>();
    indices.add(v.callIndex);
    byTrace.set(v.trace, indices);
  }
  const lines = new Map<string, Map<number, number>>();
  for (const [trace, indices] of byTrace) lines.set(trace, await callLines(trace, indices));
  return (v) => lines.get(v.trace)?.get(v.callIndex);
}

/** The violations with the line of their call, where the trace file has lines. */
export async function withLines(violations: ReportViolation[]): Promise<ReportViolation[]> {
  const lineOf = await violationLines(violations);
  return violations.map((v) => {
    const line = lineOf(v);
    return line === undefined ? v : { ...v, line };
  });
}
