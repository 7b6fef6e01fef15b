// The fuzz run's text summary and its parts that nightly's summary shares: where the cases
// ran, the other violations at a finding's call, and the options that run the cases again.
import { plural } from '../core/plural.js';
import { oneLine } from '../core/oneLine.js';
import { RSS_LIMIT_MB } from '../replay/rssLimit.js';
import { ruleText } from '../replay/ruleSource.js';
import { setUpFailed } from '../replay/violation.js';
import { corpusNote } from './corpusNote.js';
import { FUZZ_DEFAULTS } from './fuzzDefaults.js';
import { likelyOneBug, likelyOneBugLines } from './likelyOneBug.js';
import { BASE_ONLY, reachedLines } from './reached.js';
import { parseShard, shardCases } from './shard.js';
import type { FindingBase, FuzzReport } from './fuzzReport.js';

/** Where the cases ran: the workers that started, or the main thread when none did. */
export function threads(t: Pick<FuzzReport['timing'], 'workers' | 'workersStarted'>): string {
  const n = t.workersStarted ?? t.workers;
  return n === 0 ? 'in the main thread (no worker started)' : plural(n, 'worker');
}

/** Extra violations at a finding's failing call listed in a text summary before "and N more". */
export const ALSO_AT_CALL_SHOWN = 5;

/**
 * The lines under a finding's message in a text summary: where its rule comes from, when it
 * compares with the oracle (replay/ruleSource.ts), then the other violations at its failing
 * call (none when it showed one), each on one line.
 */
export function alsoAtCallLines(
  f: Pick<FindingBase, 'callIndex' | 'violationsAtCall'>,
  indent: string,
): string[] {
  const lead = f.violationsAtCall?.[0];
  const cited = lead === undefined ? undefined : ruleText(lead);
  const rest = (f.violationsAtCall ?? []).slice(1);
  const lines = rest
    .slice(0, ALSO_AT_CALL_SHOWN)
    .map((v) => `${indent}also at call ${f.callIndex}: ${v.kind}: ${oneLine(v.message)}`);
  if (rest.length > ALSO_AT_CALL_SHOWN)
    lines.push(
      `${indent}and ${rest.length - ALSO_AT_CALL_SHOWN} more at call ${f.callIndex} (violationsAtCall in finding.json)`,
    );
  return cited === undefined ? lines : [`${indent}(${cited})`, ...lines];
}

/**
 * The options that run a report's cases again, with its seed and target: `--runs N` (the
 * user's --runs when it runs the same cases, as it does when the run was not cut short, else
 * runsEquivalent; not the case count: a shard's cases are every N-th), then `--shard`,
 * `--calls-max`, `--timeout`, `--disable`, `--worker-heap-mb` and `--rss-limit-mb` when they
 * are not their defaults, and `--corpus-max` when given (it decides which entries of the starting corpus
 * the base holds).
 */
export function rerunOptions(
  r: Pick<
    FuzzReport,
    | 'runsEquivalent'
    | 'shard'
    | 'callsMax'
    | 'timeoutMs'
    | 'disabled'
    | 'workerHeapMb'
    | 'rssLimitMb'
    | 'corpusMax'
    | 'rounds'
  > & { readonly budget?: FuzzReport['budget'] },
): string {
  return [
    `--runs ${sameCasesRuns(r)}`,
    ...(r.rounds === undefined ? [] : [`--rounds ${r.rounds}`]),
    ...(r.shard === '1/1' ? [] : [`--shard ${r.shard}`]),
    ...(r.callsMax === FUZZ_DEFAULTS.callsMax ? [] : [`--calls-max ${r.callsMax}`]),
    ...(r.timeoutMs === undefined || r.timeoutMs === FUZZ_DEFAULTS.timeoutMs
      ? []
      : [`--timeout ${r.timeoutMs}`]),
    ...(r.disabled === undefined || r.disabled.length === 0
      ? []
      : [`--disable ${r.disabled.join(',')}`]),
    ...(r.workerHeapMb === undefined ? [] : [`--worker-heap-mb ${r.workerHeapMb}`]),
    ...(r.rssLimitMb === undefined || r.rssLimitMb === RSS_LIMIT_MB
      ? []
      : [`--rss-limit-mb ${r.rssLimitMb}`]),
    ...(r.corpusMax === undefined ? [] : [`--corpus-max ${r.corpusMax}`]),
  ].join(' ');
}

/**
 * `--runs 300 --shard 1/2` runs cases 0, 2, ..., 298, and so does `--runs 299`: the 300 the
 * user typed is given back, not 299, which surprised.
 */
function sameCasesRuns(r: {
  readonly runsEquivalent: number;
  readonly shard: string;
  readonly budget?: FuzzReport['budget'];
}): number {
  const given = r.budget?.runs;
  if (given === undefined || given < r.runsEquivalent) return r.runsEquivalent;
  const shard = parseShard(r.shard);
  if (typeof shard === 'string') return r.runsEquivalent;
  return shardCases(shard, given) === shardCases(shard, r.runsEquivalent)
    ? given
    : r.runsEquivalent;
}

/** The hint after a case count: which options run the same cases again ('' when none ran). */
export function rerunHint(r: FuzzReport): string {
  return r.runsEquivalent > 0 && r.setupError === undefined
    ? ` (${rerunOptions(r)} reproduces them from the same starting corpus)`
    : '';
}

/** The human summary printed after a run. */
export function formatFuzzSummary(r: FuzzReport): string {
  const t = r.timing;
  // With no call made, every figure of coverage is the base corpus's: said, or left out.
  const made = r.calls > 0;
  // No blank line first: stdout starts with the summary (the bar, on stderr, clears itself).
  const lines = [
    `cases ${r.cases}${rerunHint(r)}, calls ${r.calls}, in ${(t.fuzzMs / 1000).toFixed(1)} s: ${t.casesPerSecond} cases/s, ${t.callsPerSecond} calls/s, ${threads(t)}`,
    // A directory or target named with a line break or an escape stays on its line, harmless.
    `coverage ${r.branches === undefined ? '' : `${plural(r.branches, 'branch', undefined, 'branches')}, `}${plural(r.coverage, 'key')}${made ? '' : BASE_ONLY}${r.targetEdges === undefined ? '' : `, ${plural(r.targetEdges, 'target edge')}`}; corpus ${r.corpus.base} base + ${r.corpus.kept} kept${r.corpus.dir === undefined ? '' : ` in ${oneLine(r.corpus.dir)}`}`,
    ...[corpusNote(r)].filter((l) => l !== undefined),
    `target ${oneLine(r.target)}, oracle profile ${r.profile}, shard ${r.shard}, seed=${r.seed}`,
    ...(r.disabled === undefined ? [] : [`never called (--disable): ${r.disabled.join(', ')}`]),
    ...(r.reached === undefined || !made ? [] : reachedLines(r.reached, r.unreached ?? [])),
  ];
  // Nothing was tested then: "no findings" would read as a clean target.
  if (r.setupError !== undefined) lines.push('', setUpFailed(oneLine(r.setupError)));
  else if (r.findings.length === 0) lines.push('', 'no findings');
  else lines.push('', `${r.findings.length} finding(s):`);
  for (const f of r.findings) {
    const [shown, runs] = f.reproduced.split('/');
    const how = f.minimized
      ? `minimized to ${plural(f.reproCalls, 'call')}`
      : f.notMinimized === 'known'
        ? `not minimized (${plural(f.reproCalls, 'call')}; known: --known holds its signature)`
        : shown !== runs && runs !== '1'
          ? `not minimized (${plural(f.reproCalls, 'call')}; flaky: not every run fails)`
          : f.minimizedReproduced !== undefined
            ? `not minimized (${plural(f.reproCalls, 'call')}; flaky: the minimized repro failed ${f.minimizedReproduced})`
            : `not minimized (${plural(f.reproCalls, 'call')})`;
    lines.push(
      `  ${f.signature}: ${f.kind} in ${f.fn}, ${how}, reproduced ${f.reproduced}, case ${f.caseIndex}${hitsText(r, f)}`,
      `    ${oneLine(f.message)}`,
      ...alsoAtCallLines(f, '    '),
      `    ${f.command}`,
    );
  }
  // Grouped only in the summary: each stays its own finding (docs/fuzzing.md "Findings").
  const grouped = likelyOneBugLines(likelyOneBug(r.findings));
  if (grouped.length > 0) lines.push('', ...grouped);
  if (r.minimizeStoppedBy === 'time')
    lines.push(
      '',
      `minimization stopped: its time budget${r.budget.minimizeTime === undefined ? '' : ` (--minimize-time ${r.budget.minimizeTime})`} was spent; the findings left are reported not minimized`,
    );
  if (r.interrupted)
    lines.push('', 'interrupted: results cover the cases completed before the signal');
  if (r.harnessError !== undefined)
    lines.push(
      '',
      `vpdma failed part way (${faultKind(r.harnessError)}): results cover what it gathered before`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * How many failing cases the finding's group (its kind and function) had: one finding or
 * 75,000 failing cases tell a triage apart (syzkaller's crash count). In report.json as
 * `groups[].hits`; '' when the report has no group for it.
 */
function hitsText(r: FuzzReport, f: FuzzReport['findings'][number]): string {
  const hits = r.groups.find((g) => g.kind === f.kind && g.fn === f.fn)?.hits;
  return hits === undefined ? '' : `, ${plural(hits, 'failing case')} of that kind and function`;
}

/**
 * What cut the run short, as the summary says it: a bug, or what the machine refused (a full
 * disk: harnessError is then main()'s one line for it, cli/faultText.ts).
 */
export function faultKind(harnessError: string): string {
  // A merged report's names its shard first ("shard 2/3: internal error ...").
  return /^(?:shard \S+: )?internal error/.test(harnessError) ? 'a bug' : harnessError;
}
