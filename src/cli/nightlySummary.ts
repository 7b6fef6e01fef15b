// The human summary of a nightly report, printed by `vpdma nightly` and by `vpdma merge` for
// the merged one: the corpus replay, the fuzzing, each finding with its history status and
// message, what was fixed and which earlier repros still fail.
import { join } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';
import { alsoAtCallLines } from '../fuzz/fuzzReport.js';
import { reachedLines } from '../fuzz/reached.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';

/** `incomplete`: what to say of a report marked interrupted (merge: shards missing). */
export function nightlySummary(
  r: NightlyReportWithDetail,
  out: string,
  incomplete = 'interrupted: the reports cover what finished; the next run resumes from the corpus',
): string {
  const c = r.corpus.summary;
  const byStatus = (s: string): number => r.findings.filter((f) => f.status === s).length;
  const lines = [
    '',
    `corpus: ${c.traces} traces, ${c.passed} passed, ${c.failed} with violations, ${c.crashed + c.timedOut} crashed or hung, ${c.invalid} unreadable${c.damaged > 0 ? `, ${c.damaged} damaged (replayed up to the damage)` : ''}`,
    `fuzz: ${plural(r.fuzz.cases, 'case')}, ${plural(r.fuzz.calls, 'call')}, coverage ${r.fuzz.coverage}, corpus ${r.fuzz.corpusSize} (+${r.fuzz.newCorpusEntries})`,
    ...(r.fuzz.reached === undefined ? [] : reachedLines(r.fuzz.reached, r.fuzz.unreached ?? [])),
    `findings: ${r.findings.length} (${byStatus('new')} new, ${byStatus('open')} open, ${byStatus('regressed')} regressed), ${r.fixed.length} fixed`,
    // Under each finding, its message (and the others at its failing call), as fuzz's summary.
    ...r.findings.flatMap((f) => [
      `  [${f.status}] ${f.kind} in ${f.fn}: ${plural(f.reproCalls, 'call')}, reproduced ${f.reproduced}: ${f.command}`,
      `    ${oneLine(f.message)}`,
      ...alsoAtCallLines(f, '    '),
    ]),
    ...r.stillFailing.map(
      (s) => `  [still failing] ${s}: its regression repro from an earlier run failed again`,
    ),
    ...(r.fuzzDetail.minimizeStoppedBy === 'time'
      ? [
          `minimization stopped: --minimize-time ${r.fuzzDetail.budget.minimizeTime ?? ''} spent; the findings left are reported not minimized`,
        ]
      : []),
    ...(r.fuzzDetail.disabled === undefined
      ? []
      : [`never called (--disable): ${r.fuzzDetail.disabled.join(', ')}`]),
    `reports: ${join(out, 'report.html')} (and report.json, junit.xml, results.sarif); seed=${r.seed}${r.buildRevision === undefined ? '' : ` build=${r.buildRevision}`}`,
    ...(r.interrupted ? [incomplete] : []),
  ];
  return `${lines.join('\n')}\n`;
}
