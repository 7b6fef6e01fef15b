// The human summary after a replay: counts by outcome and kind, then the first violations.
import {
  DAMAGE_NOTE,
  type ReplayReport,
  type ReportViolation,
  type TraceEntry,
} from '../report/replayReport.js';
import { oneLine } from '../core/oneLine.js';
import { PROFILES } from '../model/device.js';
import { plural } from '../core/plural.js';
import { ruleText } from '../replay/ruleSource.js';
import { NOT_STARTED } from '../replay/violation.js';
import { VIOLATIONS_LISTED_MAX } from '../replay/violationList.js';
import { compact } from './progress.js';
import { knownFromText } from '../report/knownViolations.js';
import { NOT_TRIED } from './startWatch.js';

const shownMax = 20;
const reasonsShownMax = 3;

/** `seed`: false leaves `seed=` out (replay was given none: it draws nothing at random). */
export function formatReplaySummary(r: ReplayReport, o: { seed?: boolean } = {}): string {
  const s = r.summary;
  // Counted as invalid in --json, but said apart: such a trace was read, the target not started.
  const unstarted = r.traces.filter((t) => t.outcome === 'setup-failed');
  const tried = s.traces - unstarted.length;
  // No blank line first: stdout starts with the summary (the bar, on stderr, clears itself).
  const lines = [
    `traces ${s.traces}: ${s.passed} passed, ${s.failed} with violations, ${s.crashed} crashed, ${s.timedOut} timed out, ${s.invalid - unstarted.length} unreadable${unstarted.length > 0 ? `, ${unstarted.length} not started` : ''}${s.damaged > 0 ? `, ${s.damaged} damaged (replayed up to the damage)` : ''}${(s.interrupted ?? 0) > 0 ? `, ${s.interrupted} interrupted part way (replayed up to the stop)` : ''}`,
    ...detachedLines(r.traces),
    ...recordedSkippedLines(r.traces, r.profile, '--json'),
    ...notStartedLines(unstarted),
    ...skippedLines(r),
    `calls ${compact(s.calls)} in ${(r.timing.wallMs / 1000).toFixed(2)} s (${compact(r.timing.callsPerSecond)} calls/s, ${plural(r.timing.workers, 'worker')}); target ${oneLine(r.target)}, oracle profile ${r.profile}${o.seed === false ? '' : `, seed=${r.seed}`}`,
  ];
  const kinds = Object.entries(s.byKind);
  if (kinds.length > 0) {
    lines.push('', 'violations by kind:');
    for (const [k, n] of kinds.sort((a, b) => b[1] - a[1]))
      lines.push(`  ${String(n).padStart(6)}  ${k}`);
    // One target that never starts is one line, not one per trace.
    const first = r.violations[0];
    if (
      first !== undefined &&
      r.violations.length === tried &&
      tried > 1 &&
      r.violations.every((v) => v.message === first.message && v.message.startsWith(NOT_STARTED))
    ) {
      const every = tried < s.traces ? `every trace tried (${tried})` : 'every trace';
      lines.push('', `${every}: ${first.kind}: ${oneLine(first.message)}`);
      return `${lines.join('\n')}\n`;
    }
    const known = knownLine(r);
    if (known !== undefined) lines.push('', known);
    // The known ones set aside: the list shows what is left to look at.
    const shown = r.violations.filter((v) => v.known !== true);
    const left = s.violations - (s.known ?? 0);
    if (left > 0)
      lines.push('', known === undefined ? 'first violations:' : 'first violations not known:');
    for (const v of shown.slice(0, shownMax)) {
      lines.push(`  ${violationPlace(v)}: ${v.kind}: ${oneLine(v.message)}`);
      const cited = ruleText(v);
      if (cited !== undefined) lines.push(`    (${cited})`);
    }
    if (left > shownMax) lines.push(`  ... and ${left - shownMax} more${more(r)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** --known's line: how many violations were set aside, from where, and how many are left. */
function knownLine(r: ReplayReport): string | undefined {
  if (r.knownFrom === undefined) return undefined;
  const s = r.summary;
  const known = s.known ?? 0;
  return `violations ${s.violations}: ${known} known (from ${oneLine(knownFromText(r.knownFrom))}) not counted, ${s.violations - known} not known`;
}

/**
 * The traces the oracle stopped being compared with before their last call (detachedAt): one
 * that detached at its last call skipped nothing.
 */
function detachedLines(traces: readonly TraceEntry[]): string[] {
  const early = traces.filter((t) => t.detachedAt !== undefined && t.detachedAt < t.calls - 1);
  if (early.length === 0) return [];
  return [
    `${plural(early.length, 'trace')} stopped being compared with the oracle early (misuse in the trace, a divergence, or a call depending on a scatter/gather list the target made differently): see detachedAt and detachedBy in --json`,
  ];
}

/**
 * The traces whose recorded values were not compared because the run's --profile is not their
 * header's (TraceEntry.recordedSkipped), once: why none of them shows a recorded-mismatch.
 * `where`: where the per-trace field is (`--json`, `report.json`).
 */
export function recordedSkippedLines(
  traces: readonly TraceEntry[],
  profile: string,
  where: string,
): string[] {
  const n = traces.filter((t) => t.recordedSkipped !== undefined).length;
  if (n === 0) return [];
  const others = PROFILES.filter((p) => p !== profile);
  const header = others.length === 1 ? `profile ${others[0] ?? ''}` : 'another profile';
  return [
    `${plural(n, 'trace')} recorded under ${header}, replayed under ${oneLine(profile)}: their recorded values were not compared, as they are the other profile's answers (recordedSkipped in ${where})`,
  ];
}

/** Why traces were not started (setup-failed), once per reason: the first three reasons. */
function notStartedLines(unstarted: readonly TraceEntry[]): string[] {
  const by = new Map<string, number>();
  for (const t of unstarted) by.set(t.error ?? '', (by.get(t.error ?? '') ?? 0) + 1);
  const lines = [...by].slice(0, reasonsShownMax).map(([why, n]) => {
    const said = why.startsWith(NOT_TRIED) ? why.slice(NOT_TRIED.length) : why;
    return `${plural(n, 'trace')} not started: ${oneLine(said)}`;
  });
  if (by.size > reasonsShownMax)
    lines.push(`  ... and ${by.size - reasonsShownMax} more reasons (see --json)`);
  return lines;
}

/** The traces --disable left out, the first 20 by name with the function each calls. */
function skippedLines(r: ReplayReport): string[] {
  const skipped = r.skipped ?? [];
  if (skipped.length === 0) return [];
  const lines = [
    `${plural(skipped.length, 'trace')} skipped, not replayed or counted above (--disable):`,
    ...skipped.slice(0, shownMax).map((t) => `  ${oneLine(t.trace)}: ${t.reason}`),
  ];
  if (skipped.length > shownMax)
    lines.push(`  ... and ${skipped.length - shownMax} more (see --json's skipped)`);
  return lines;
}

/**
 * "repro.txt:4 (call 1)" where the file has lines, else "repro.vpt:call 1": how `vpdma replay`
 * and the nightly summary name a violation's place.
 */
export function violationPlace(v: Pick<ReportViolation, 'trace' | 'callIndex' | 'line'>): string {
  const trace = oneLine(v.trace);
  return v.line === undefined
    ? `${trace}:call ${v.callIndex}`
    : `${trace}:${v.line} (call ${v.callIndex})`;
}

/**
 * One line per unreadable or damaged trace, naming the place, for standard error (the exit
 * code 2 contract), the first 20 of them; '' when every trace was read whole.
 */
export function formatInputProblems(r: ReplayReport): string {
  // A trace not started is not bad input: the summary says why, once per reason.
  const bad = r.traces.filter(
    (e) => e.outcome !== 'setup-failed' && (e.error !== undefined || e.damage !== undefined),
  );
  const lines = bad
    .slice(0, shownMax)
    .map((t) =>
      oneLine(t.damage === undefined ? (t.error ?? '') + before(t) : `${t.damage}: ${DAMAGE_NOTE}`),
    );
  if (bad.length > shownMax)
    lines.push(`... and ${bad.length - shownMax} more unreadable or damaged (see --json)`);
  return lines.length === 0 ? '' : `${lines.map((l) => `vpdma replay: ${l}`).join('\n')}\n`;
}

/** After bad input part way: what the calls before it showed (in the counts above too). */
function before(t: TraceEntry): string {
  if (t.outcome !== 'invalid' || t.calls === 0) return '';
  return `; ${plural(t.calls, 'call')} replayed before it, ${plural(t.violations, 'violation')} found there`;
}

/** Where the rest are: all in --json, or there beyond a trace's first ones only by kind. */
function more(r: ReplayReport): string {
  if (r.violations.length === r.summary.violations) return ' (see --json)';
  const unlisted = r.summary.violations - r.violations.length;
  return ` (--json lists all but ${unlisted}: past ${VIOLATIONS_LISTED_MAX} in a trace, the first of each kind and function; the rest are counted by kind)`;
}
