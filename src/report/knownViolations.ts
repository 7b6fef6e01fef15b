// Violations set aside as known (`replay --known`, a baseline): still listed, marked `known`,
// and not counted by the exit code. The key is the violation's signature (kind, function and
// the part of the answer that differs), which does not depend on the target, the trace or the
// values: a known `return-mismatch/GetCommonBuffer/f586ddc4` sets aside every wrong return
// value of GetCommonBuffer, whatever it is.
import { callPlace, type JunitCase } from './junit.js';
import type { Finding, ReproChanged } from './nightlySchema.js';
import type { ReplayReport, ReportViolation, TraceEntry } from './replayReport.js';

export interface KnownSignatures {
  /** The --known arguments, as given (the report's `knownFrom`, the summary's "from"). */
  readonly from: readonly string[];
  readonly signatures: ReadonlySet<string>;
}

/** The violations, each whose signature is known marked `known: true`. */
export function markKnown(
  violations: readonly ReportViolation[],
  known: KnownSignatures | undefined,
): ReportViolation[] {
  if (known === undefined) return [...violations];
  return violations.map((v) =>
    v.signature !== undefined && known.signatures.has(v.signature) ? { ...v, known: true } : v,
  );
}

/**
 * A night's findings, and what earlier findings' repros fail with now, each whose signature is
 * known marked `known: true` (`nightly --known`): listed, not counted by --fail-on.
 */
export function knownFindings(
  p: { readonly findings: readonly Finding[]; readonly reprosChanged?: readonly ReproChanged[] },
  known: KnownSignatures | undefined,
): { findings: Finding[]; reprosChanged: ReproChanged[] } {
  const has = (s: string): boolean => known?.signatures.has(s) === true;
  return {
    findings: p.findings.map((f) => (has(f.signature) ? { ...f, known: true } : f)),
    reprosChanged: (p.reprosChanged ?? []).map((c) =>
      has(c.now.signature) ? { ...c, now: { ...c.now, known: true } } : c,
    ),
  };
}

/** A trace's violations past the listing cap (`unlisted`): no signature, so never known. */
export const hasUnlisted = (t: Pick<TraceEntry, 'unlisted'>): boolean =>
  Object.values(t.unlisted ?? {}).some((n) => n > 0);

/**
 * Whether every violation of the report is known: none left to count. A violation past a
 * trace's listing cap (`unlisted`, counted by kind only) has no signature to look up, so it
 * counts as not known.
 */
export function everyViolationKnown(r: Pick<ReplayReport, 'violations' | 'traces'>): boolean {
  return !r.traces.some(hasUnlisted) && r.violations.every((v) => v.known === true);
}

/** "reactos-divergences, base.json": where the known signatures came from. */
export const knownFromText = (from: readonly string[]): string => from.join(', ');

/**
 * A trace's JUnit case without its known violations (`counted` is the report's violations not
 * known): every one known, and nothing else wrong, it is <skipped> with the reason; known ones
 * beside others are listed in <system-out>.
 */
export function withKnownCase(
  c: JunitCase,
  e: TraceEntry,
  r: Pick<ReplayReport, 'violations' | 'knownFrom'>,
): JunitCase {
  const mine = r.violations.filter((v) => v.trace === e.trace && v.known === true);
  if (mine.length === 0 || r.knownFrom === undefined) return c;
  const from = knownFromText(r.knownFrom);
  const signatures = [...new Set(mine.map((v) => v.signature ?? ''))];
  // Placed as a failure is: by line too where the file has lines.
  const lines = mine.map((v) => `  ${callPlace(v)} (${v.fn}): ${v.signature ?? v.kind}`);
  const said = `known (from ${from}), not counted: ${mine.length === 1 ? '1 violation' : `${mine.length} violations`}`;
  const systemOut = [`${said}:`, ...lines].join('\n');
  if (c.failures.length === 0 && c.error === undefined && c.skipped === undefined)
    return { ...c, skipped: `${said}: ${signatures.join(', ')}`, systemOut };
  return {
    ...c,
    systemOut: c.systemOut === undefined ? systemOut : `${c.systemOut}\n${systemOut}`,
  };
}
