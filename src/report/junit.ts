// JUnit XML, the format every CI dashboard reads (GitLab, Jenkins, GitHub test reporters):
// testsuites > testsuite > testcase, a <failure> for violations, an <error> for traces that
// could not be read, were damaged, stopped part way by an interrupt or whose target crashed (then
// with the violations before it). `vpdma replay` writes one suite; `vpdma nightly` writes a
// corpus suite and a findings suite through the same writer.
//
// The counts follow JUnit's own (Ant's writer, which Jenkins and GitLab read): `failures` and
// `errors` count test cases, each case once, so that tests - failures - errors is the number
// that passed. A case with an <error> (a trace not checked to its end: a crash, a timeout,
// damage) counts as an error even when violations were found before it (its body lists them),
// as the exit code ranks a crash or bad input above violations.
import { DAMAGE_NOTE, type ReportViolation, type TraceEntry } from './replayReport.js';
import { notStarted } from '../replay/violation.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITY: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Drops characters XML 1.0 cannot hold; a lone surrogate becomes U+FFFD. */
function xmlChars(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/g, '')
    .replace(LONE_SURROGATE, '\uFFFD');
}

/** Element content: markup characters as entities (the body of a <failure> stays readable). */
export function xmlText(text: string): string {
  return xmlChars(text).replace(/[<>&]/g, (c) => ENTITY[c] ?? c);
}

/** Safe anywhere: text or a quoted attribute. */
export function xmlEscape(text: string): string {
  return xmlChars(text).replace(/[<>&'"]/g, (c) => ENTITY[c] ?? c);
}

/** An attribute value: tab and line breaks as references, which parsers would fold to spaces. */
export function xmlAttr(text: string): string {
  return xmlEscape(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface JunitFailure {
  readonly message: string;
  readonly type: string;
  readonly body: string;
}

export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly failures: readonly JunitFailure[];
  readonly error?: { readonly message: string; readonly type: string; readonly body?: string };
  /** Not run (nightly: --budget-replay ran out first): written as <skipped message="..."/>. */
  readonly skipped?: string;
  /** Written as <system-out> (nightly: a known finding's details, a fixed one's dates). */
  readonly systemOut?: string;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
  /** Written as <properties> (seed, target, ...): Jenkins shows them, others ignore them. */
  readonly properties?: readonly (readonly [string, string])[];
  /**
   * The suite's wall time in ms, written as `time` in seconds. Only where the report promises
   * no identical bytes across runs: `vpdma replay --junit` is the same for any --workers, and
   * has none (junitXml).
   */
  readonly timeMs?: number;
}

export interface CaseOptions {
  /** The command that reproduces the trace's violations, appended to each body. */
  readonly command?: string;
}

const isCrash = (v: ReportViolation): boolean =>
  v.kind === 'target-crashed' || v.kind === 'target-timeout';

/** "call 11", or "line 13 (call 11)" where the trace file has lines (ReportViolation.line). */
export function callPlace(v: Pick<ReportViolation, 'callIndex' | 'line'>): string {
  return v.line === undefined ? `call ${v.callIndex}` : `line ${v.line} (call ${v.callIndex})`;
}

/** A crash or timeout in a call of the trace: not one of a target that never started. */
const crashedInCall = (v: ReportViolation): boolean => !notStarted(v) && v.fn !== '(start)';

/** The lines citing a violation's rule and stricter check (replay/ruleSource.ts), if any. */
export function ruleLines(v: Pick<ReportViolation, 'rule' | 'stricter'>): string[] {
  return [
    ...(v.rule === undefined ? [] : [`rule: ${v.rule}`]),
    ...(v.stricter === undefined ? [] : [`stricter than the documentation: see ${v.stricter}`]),
  ];
}

/**
 * The message, then field/expected/actual when known, the rule it breaks and the stricter
 * check it is (ruleLines), then the command that reproduces it.
 */
export function violationBody(v: ReportViolation, command?: string): string {
  const lines = [v.message];
  if (v.field !== undefined) lines.push(`field: ${v.field}`);
  if (v.expected !== undefined) lines.push(`expected: ${v.expected}`);
  if (v.actual !== undefined) lines.push(`actual: ${v.actual}`);
  lines.push(...ruleLines(v));
  if (command !== undefined) lines.push('', `Reproduce: ${command}`);
  return lines.join('\n');
}

/**
 * A trace's name or directory as a test's identity: a character XML cannot hold shown as `\xNN`
 * (xmlChars would drop it, and `a\x01.jsonl` and `a.jsonl` would be one test to a dashboard).
 */
function visible(word: string): string {
  return word.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16);
    return hex.length > 2 ? `\\u${hex}` : `\\x${hex.padStart(2, '0')}`;
  });
}

export function caseForTrace(
  e: TraceEntry,
  violations: readonly ReportViolation[],
  options: CaseOptions = {},
): JunitCase {
  const slash = e.trace.lastIndexOf('/');
  const name = visible(slash < 0 ? e.trace : e.trace.slice(slash + 1));
  // The directory as dotted words: `../captures/` is "captures", `./` and none "traces". Of an
  // absolute path only its last directory ("corpus" for the bundled corpus, wherever vpdma is
  // installed), and of an earlier finding's repro (`findings/KIND/FN/HASH/repro.*`, absolute or
  // not) from `findings` on: a test's identity must change neither with the machine's
  // directory layout nor with the --out directory's name.
  const all = e.trace
    .slice(0, Math.max(slash, 0))
    .split('/')
    .filter((w) => w !== '' && w !== '.' && w !== '..');
  const findings = all.lastIndexOf('findings');
  const repro =
    /^repro\.(?:jsonl|txt|vpt)$/.test(name) && findings >= 0 && findings === all.length - 4;
  const words =
    repro || (e.trace.startsWith('/') && findings >= 0)
      ? all.slice(findings)
      : e.trace.startsWith('/')
        ? all.slice(-1)
        : all;
  const classname = words.length === 0 ? 'traces' : visible(words.join('.'));
  const mine = violations.filter((v) => v.trace === e.trace);
  const crash = mine.find(isCrash);
  const cmd = options.command;
  const plain = mine.filter((v) => !isCrash(v));
  // The command once, after the last violation, unless the <error>'s own body gives it.
  const cmdAt = crash === undefined && e.error === undefined ? plain.length - 1 : -1;
  const failures = plain.map((v, i) => {
    // Placed as the summary places it: by line too where the file has lines.
    const message = `${v.kind} at ${callPlace(v)} (${v.fn})`;
    const body = violationBody(v, i === cmdAt ? cmd : undefined);
    // Several in one body (caseLines): each under its place, else they read as one repeated.
    return { message, type: v.kind, body: plain.length > 1 ? `${message}:\n${body}` : body };
  });
  if (e.error !== undefined) {
    const body = cmd === undefined ? {} : { body: `${e.error}\n\nReproduce: ${cmd}` };
    return { classname, name, failures, error: { message: e.error, type: e.outcome, ...body } };
  }
  const damage = e.damage === undefined ? undefined : `${e.damage}: ${DAMAGE_NOTE}`;
  if (crash !== undefined) {
    // One <error> per test case: a crash comes first, and the damage after it is said too.
    // Placed as a failure is, when it happened in a call (not before the first one).
    const placed = crashedInCall(crash)
      ? `${crash.kind} at ${callPlace(crash)} (${crash.fn}): ${crash.message}`
      : crash.message;
    const message = damage === undefined ? placed : `${placed} (and ${damage})`;
    const body = cmd === undefined ? {} : { body: violationBody(crash, cmd) };
    return { classname, name, failures, error: { message, type: crash.kind, ...body } };
  }
  if (damage !== undefined)
    return { classname, name, failures, error: { message: damage, type: 'damaged' } };
  if (e.interrupted === true) {
    const message = `interrupted after ${e.calls} calls: the rest of the trace was not replayed`;
    return { classname, name, failures, error: { message, type: 'interrupted' } };
  }
  return { classname, name, failures };
}

/** A stopped run as an error case of its own: a dashboard must not read it as a green one. */
export function interruptedCase(message: string): JunitCase {
  return {
    classname: 'vpdma',
    name: 'interrupted',
    failures: [],
    error: { message, type: 'interrupted' },
  };
}

function counts(cases: readonly JunitCase[]): string {
  const errors = cases.filter((c) => c.error !== undefined).length;
  const failures = cases.filter((c) => c.error === undefined && c.failures.length > 0).length;
  const skipped = cases.filter((c) => c.skipped !== undefined && c.error === undefined).length;
  // `skipped` only when some are: the reports of runs that skip nothing keep their bytes.
  return `tests="${cases.length}" failures="${failures}" errors="${errors}"${skipped > 0 ? ` skipped="${skipped}"` : ''}`;
}

/**
 * One <failure> or one <error> per test case, as Ant's schema has it (Jenkins and GitLab show
 * only a case's first): the first violation names it, and the body lists every one.
 */
function caseLines(c: JunitCase): string[] {
  const lines = [`    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}">`];
  const bodies = c.failures.map((f) => f.body);
  const first = c.failures[0];
  if (c.error !== undefined) {
    const attrs = `message="${xmlAttr(c.error.message)}" type="${xmlAttr(c.error.type)}"`;
    const before = bodies.length === 0 ? [] : [`Violations before it:\n\n${bodies.join('\n\n')}`];
    const body = [...(c.error.body === undefined ? [] : [c.error.body]), ...before].join('\n\n');
    lines.push(
      body === '' ? `      <error ${attrs}/>` : `      <error ${attrs}>${xmlText(body)}</error>`,
    );
  } else if (first !== undefined) {
    const more = c.failures.length > 1 ? ` (and ${c.failures.length - 1} more)` : '';
    lines.push(
      `      <failure message="${xmlAttr(first.message + more)}" type="${xmlAttr(first.type)}">${xmlText(bodies.join('\n\n'))}</failure>`,
    );
  } else if (c.skipped !== undefined) {
    lines.push(`      <skipped message="${xmlAttr(c.skipped)}"/>`);
  }
  if (c.systemOut !== undefined)
    lines.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

/** ` time="S"`: ms as seconds, to the millisecond, as JUnit has it; '' without a time. */
function timeAttr(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  return ` time="${(Math.max(ms, 0) / 1000).toFixed(3)}"`;
}

/**
 * Several suites in one document; `name` labels the <testsuites> root, `timeMs` (the whole
 * run's wall time) its `time`.
 */
export function junitSuitesXml(
  name: string,
  suites: readonly JunitSuite[],
  timeMs?: number,
): string {
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(name)}" ${counts(all)}${timeAttr(timeMs)}>`,
  ];
  for (const s of suites) {
    lines.push(`  <testsuite name="${xmlAttr(s.name)}" ${counts(s.cases)}${timeAttr(s.timeMs)}>`);
    if (s.properties !== undefined && s.properties.length > 0) {
      lines.push('    <properties>');
      for (const [k, v] of s.properties)
        lines.push(`      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) lines.push(...caseLines(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * One suite (`vpdma replay --junit`), without times: its bytes are the same for any --workers
 * (a promise its tests keep), and how long a trace took is not.
 */
export function junitXml(suite: string, cases: readonly JunitCase[]): string {
  return junitSuitesXml('vpdma', [{ name: suite, cases }]);
}
