// junit.xml of `vpdma nightly`: a "corpus" suite with one test case per corpus trace and a
// "findings" suite with one per minimized finding. A finding's case is named after its
// signature's short form, kind and function, so a dashboard tracks it across nights; its
// failure body holds everything needed to act on it: message, status, the replay command and
// the repro in the text format. Its failures are what fails the night under the report's
// --fail-on (an open finding under new is <skipped>, "known"); a finding a replayed trace saw
// regress fails under its name, and one marked fixed passes under it. Crashes and timeouts of
// the target are <error>s, as in replay, and so is a target that could not be set up (in the
// findings suite: nothing was fuzzed).
import { plural } from '../core/plural.js';
import { corpusReplayCommand, shortSignature, type TraceName } from './command.js';
import type { TraceEntry } from './replayReport.js';
import { recoveredText } from './historyRecovered.js';
import { knownFromText, withKnownCase } from './knownViolations.js';
import {
  caseForTrace,
  interruptedCase,
  ruleLines,
  junitSuitesXml,
  type JunitCase,
  type JunitSuite,
} from './junit.js';
import {
  disabledOf,
  incompleteText,
  rerunFacts,
  type Finding,
  type FixedFinding,
  type NightlyRendered,
  type NotReplayed,
  type RegressedByReplay,
  type StillOpen,
} from './nightlySchema.js';

export const CORPUS_SUITE = 'vpdma nightly: corpus';
export const FINDINGS_SUITE = 'vpdma nightly: findings';

/** The test case name of a finding: "<short signature> <kind> <fn>". */
export function findingCaseName(f: Pick<Finding, 'signature' | 'kind' | 'fn'>): string {
  return `${shortSignature(f.signature)} ${f.kind} ${f.fn}`;
}

function statusLine(f: Finding): string {
  const seen = f.timesSeen === undefined ? '' : `, seen in ${f.timesSeen} run(s)`;
  const first = f.firstSeen === undefined ? '' : `, first seen ${f.firstSeen}`;
  return `status: ${f.status}${first}${seen}`;
}

/** The other violations at the failing call (none when it showed one), one line each. */
function alsoAtCall(f: Finding): string[] {
  const rest = (f.violationsAtCall ?? []).slice(1);
  if (rest.length === 0) return [];
  return [
    '',
    `also at call ${f.callIndex}:`,
    ...rest.flatMap((v) => [
      `  ${v.kind}${v.field === undefined ? '' : ` (${v.field})`}: ${v.message}`,
      ...ruleLines(v).map((l) => `    ${l}`),
    ]),
  ];
}

export function findingBody(f: Finding): string {
  // The lead's rule: the finding is named after it (fuzz/findings.ts violationAtCall).
  const lead = f.violationsAtCall?.[0];
  return [
    f.message,
    ...(lead === undefined ? [] : ruleLines(lead)),
    ...alsoAtCall(f),
    '',
    statusLine(f),
    `signature: ${f.signature}`,
    `reproduced: ${f.reproduced}`,
    `repro: ${f.trace} (${plural(f.reproCalls, 'call')}, minimized from ${f.originalCalls}; fails at call ${f.callIndex})`,
    `found by: seed ${f.seed}, case ${f.caseIndex}`,
    '',
    'Reproduce:',
    `  ${f.command}`,
    '',
    'Repro (text format):',
    f.reproText.replace(/\n$/, ''),
  ].join('\n');
}

/**
 * A finding's test case. Under --fail-on new an open finding does not fail the night, so it is
 * no <failure> either (a CI widget would be red on a green night): it is <skipped>, "known",
 * its details in <system-out>. Under any (and none, whose exit code says nothing), every
 * finding is a failure.
 */
export function caseForFinding(
  f: Finding,
  failOn?: NightlyRendered['failOn'],
  knownFrom?: readonly string[],
): JunitCase {
  const base = { classname: 'findings', name: findingCaseName(f) };
  const more = (f.violationsAtCall?.length ?? 1) - 1;
  const message = `${f.kind} at call ${f.callIndex} (${f.fn}) [${f.status}]${more > 0 ? ` (and ${more} more at this call)` : ''}`;
  const body = findingBody(f);
  // --known: no failure under any --fail-on, as replay's known violations are none.
  if (f.known === true) {
    const from = knownFromText(knownFrom ?? []);
    const skipped = `known (from ${from}), not counted: ${f.signature}`;
    return { ...base, failures: [], skipped, systemOut: body };
  }
  if (failOn === 'new' && f.status === 'open') {
    const since = f.firstSeen === undefined ? '' : `, open since ${f.firstSeen}`;
    const skipped = `known: ${message}${since}; --fail-on new does not fail on it`;
    return { ...base, failures: [], skipped, systemOut: body };
  }
  if (f.kind === 'target-crashed' || f.kind === 'target-timeout')
    return { ...base, failures: [], error: { message, type: f.kind, body } };
  return { ...base, failures: [{ message, type: f.kind, body }] };
}

/**
 * An earlier finding, fixed before, that a replayed trace showed again: a failure under the
 * finding's own test case name, so a dashboard tracking it sees it fail again.
 */
export function caseForRegressedByReplay(x: RegressedByReplay): JunitCase {
  const since = x.fixedSince === undefined ? '' : ` (fixed since ${x.fixedSince})`;
  return {
    classname: 'findings',
    name: findingCaseName(x),
    failures: [
      {
        message: `${x.kind} (${x.fn}) [regressed]: ${x.trace} failed with it again${since}`,
        type: x.kind,
        body: `signature: ${x.signature}\nstatus: regressed, first seen ${x.firstSeen}\nseen again by: ${x.trace}`,
      },
    ],
  };
}

/** A finding this run marked fixed: a passing test case under its name, its dates in system-out. */
export function caseForFixed(x: FixedFinding): JunitCase {
  return {
    classname: 'findings',
    name: findingCaseName(x),
    failures: [],
    systemOut: `fixed: ${x.signature} (first seen ${x.firstSeen}, last seen ${x.lastSeen}, fixed since ${x.fixedSince})`,
  };
}

/**
 * A bucket still open that nothing showed this run: <skipped> under the finding's name, with
 * why, so the test case a dashboard tracks does not vanish until the bucket is fixed.
 */
export function caseForStillOpen(x: StillOpen): JunitCase {
  return {
    classname: 'findings',
    name: findingCaseName(x),
    failures: [],
    skipped: `open: ${x.why}`,
    systemOut: `open: ${x.signature} (first seen ${x.firstSeen}, last seen ${x.lastSeen})`,
  };
}

function properties(r: NightlyRendered): [string, string][] {
  const props: [string, string][] = [
    ['seed', r.seed],
    ['target', r.target],
    ['profile', r.profile],
    ['vpdmaVersion', r.vpdmaVersion],
    ['modelRevision', r.modelRevision],
    ['startedAt', r.startedAt],
    ['interrupted', String(r.interrupted)],
  ];
  if (r.buildRevision !== undefined) props.push(['buildRevision', r.buildRevision]);
  if (r.shard !== undefined) props.push(['shard', r.shard]);
  if (r.shards !== undefined) props.push(['shards', r.shards.join(' ')]);
  if (r.shardsMissing !== undefined) props.push(['shardsMissing', r.shardsMissing.join(' ')]);
  if (r.historyRecovered !== undefined)
    props.push(['historyRecovered', recoveredText(r.historyRecovered)]);
  // As --disable takes them, so the value can be given back to it.
  const disabled = disabledOf(r);
  if (disabled.length > 0) props.push(['disabled', disabled.join(',')]);
  props.push(...rerunFacts(r));
  return props;
}

/** A nightly report with what junit.xml reads of the fuzz phase's (NightlyRendered). */
export type NightlyJunitReport = NightlyRendered;

/**
 * A target that could not be set up, as an error case of its own: with nothing fuzzed (and,
 * for a module that cannot be loaded, nothing replayed), a dashboard must not read the night
 * as a green one.
 */
export function setupCase(message: string): JunitCase {
  return {
    classname: 'vpdma',
    name: 'target setup',
    failures: [],
    error: { message, type: 'setup-failed' },
  };
}

/**
 * A trace --budget-replay left unreplayed, named as a replayed one would be: <skipped/>, but an
 * earlier finding's repro is an <error> (the night did not check it, so it must not look green).
 */
export function notReplayedCase(t: NotReplayed, budget?: string): JunitCase {
  const base = caseForTrace({ trace: t.trace, outcome: 'pass', calls: 0, violations: 0 }, []);
  const why = `not replayed: --budget-replay${budget === undefined ? '' : ` ${budget}`} reached first`;
  return t.regression === true
    ? { ...base, error: { message: `earlier finding's repro ${why}`, type: 'not-replayed' } }
    : { ...base, skipped: why };
}

/**
 * A corpus trace's test case with --history's verdict on it (TraceEntry.status), as a finding's:
 * under --fail-on new a known one (open) does not fail the night, so it is no <failure> either
 * but <skipped>, "known: SIGNATURE", its failures in <system-out> (not a damaged one: that
 * fails any night, exit 2). Else the status follows the message of its first violation, its
 * first <failure> (or the <error> of a crash, when that came first).
 */
export function caseForCorpusTrace(
  t: TraceEntry,
  r: Pick<NightlyRendered, 'corpus' | 'failOn' | 'target' | 'profile' | 'fuzzDetail' | 'knownFrom'>,
  /** The trace as its Reproduce line names it (a bundled one's `corpus:NAME`). */
  commandName: TraceName = (x) => x,
): JunitCase {
  // With the night's --timeout and --rss-limit-mb, as the summary gives them: replay's defaults
  // could turn a hang or a leak into another outcome.
  const run = {
    target: r.target,
    profile: r.profile,
    rssLimitMb: r.fuzzDetail?.rssLimitMb,
    workerHeapMb: r.fuzzDetail?.workerHeapMb,
  };
  const command = corpusReplayCommand(run, commandName(t.trace), r.fuzzDetail?.timeoutMs);
  // --known: its known violations are no failures (a trace with nothing else is <skipped>).
  const counted = r.corpus.violations.filter((v) => v.known !== true);
  const c = withKnownCase(caseForTrace(t, counted, { command }), t, {
    violations: r.corpus.violations,
    ...(r.knownFrom === undefined ? {} : { knownFrom: r.knownFrom }),
  });
  if (t.status === undefined || t.signature === undefined) return c;
  if (r.failOn === 'new' && t.status === 'open' && t.damage === undefined) {
    const out = [
      // A body of several starts with its place already (caseForTrace).
      ...c.failures.map((f) => (c.failures.length > 1 ? f.body : `${f.message}\n${f.body}`)),
      ...(c.error === undefined ? [] : [`${c.error.message}\n${c.error.body ?? ''}`]),
    ];
    return {
      classname: c.classname,
      name: c.name,
      failures: [],
      skipped: `known: ${t.signature}; --fail-on new does not fail on it`,
      systemOut: [
        `status: open, signature: ${t.signature}`,
        ...out,
        ...(c.systemOut === undefined ? [] : [c.systemOut]),
      ].join('\n\n'),
    };
  }
  const tag = (message: string): string => `${message} [${t.status}]`;
  const [first, ...rest] = c.failures;
  if (first !== undefined)
    return { ...c, failures: [{ ...first, message: tag(first.message) }, ...rest] };
  return c.error === undefined ? c : { ...c, error: { ...c.error, message: tag(c.error.message) } };
}

/** The first case of each (classname, name): CI dashboards merge or reject a repeated id. */
export function oncePerName(cases: readonly JunitCase[]): JunitCase[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const id = `${c.classname}\u0000${c.name}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function nightlyJunitSuites(r: NightlyJunitReport, commandName?: TraceName): JunitSuite[] {
  const props = properties(r);
  const corpus = r.corpus.traces.map((t) => caseForCorpusTrace(t, r, commandName));
  corpus.push(
    ...(r.corpus.notReplayed ?? []).map((t) => notReplayedCase(t, r.corpus.budgetReplay)),
  );
  // A merge missing shards is no interrupted run: its own case names them (shards-missing).
  if ((r.shardsMissing ?? []).length > 0)
    corpus.push({
      classname: 'vpdma',
      name: 'shards missing',
      failures: [],
      error: {
        message: incompleteText(r),
        type: 'shards-missing',
        // The originals a killed shard left, copied into findings/ (none of them a finding).
        ...((r.killedShardOriginals ?? []).length === 0
          ? {}
          : {
              body: (r.killedShardOriginals ?? [])
                .map(
                  (o) =>
                    `original from killed shard ${o.shard}: ${o.files.join(', ')}${o.repro === undefined ? '' : `; minimized repro: ${o.repro}`}`,
                )
                .join('\n'),
            }),
      },
    });
  else if (r.interrupted) corpus.push(interruptedCase(incompleteText(r)));
  // One test case per name: a finding's own says what a replay's regression or a fix would.
  const findings = oncePerName([
    ...r.findings.map((f) => caseForFinding(f, r.failOn, r.knownFrom)),
    ...(r.regressedByReplay ?? []).map(caseForRegressedByReplay),
    ...r.fixed.map(caseForFixed),
    ...(r.stillOpen ?? []).map(caseForStillOpen),
  ]);
  const setup = r.fuzzDetail?.setupError;
  if (setup !== undefined) findings.push(setupCase(`the target could not be set up: ${setup}`));
  // vpdma itself failed part way: a night that did not finish must not read as a green one.
  if (r.harnessError !== undefined)
    findings.push({
      classname: 'vpdma',
      name: 'harness',
      failures: [],
      error: { message: r.harnessError, type: 'harness-error' },
    });
  // Times from the report's own `timing`, the part that differs between runs anyway (as
  // `startedAt` does): the corpus replay's, fuzzing and minimizing's, and the whole night's.
  const t = r.timing;
  return [
    { name: CORPUS_SUITE, properties: props, cases: corpus, timeMs: t.replayMs },
    { name: FINDINGS_SUITE, properties: props, cases: findings, timeMs: t.fuzzMs + t.minimizeMs },
  ];
}

/**
 * The whole junit.xml; the same report gives the same bytes. `commandName` names a corpus trace
 * in its Reproduce line (the CLI's commandTraceName: a bundled trace's `corpus:NAME`, which works
 * wherever vpdma is installed).
 */
export function nightlyJunitXml(r: NightlyJunitReport, commandName?: TraceName): string {
  return junitSuitesXml('vpdma nightly', nightlyJunitSuites(r, commandName), r.timing.wallMs);
}
