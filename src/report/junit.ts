// JUnit XML, the format every CI dashboard reads: one test case per trace, a <failure> per
// violation, an <error> for traces that could not be read or whose target crashed.
import type { ReportViolation, TraceEntry } from './replayReport.js';

export function xmlEscape(text: string): string {
  return text
    .replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly failures: readonly { message: string; type: string; body: string }[];
  readonly error?: { message: string; type: string };
}

export function caseForTrace(e: TraceEntry, violations: readonly ReportViolation[]): JunitCase {
  const slash = e.trace.lastIndexOf('/');
  const classname = slash < 0 ? 'traces' : e.trace.slice(0, slash).replace(/\//g, '.');
  const name = slash < 0 ? e.trace : e.trace.slice(slash + 1);
  const failures = violations
    .filter(
      (v) => v.trace === e.trace && v.kind !== 'target-crashed' && v.kind !== 'target-timeout',
    )
    .map((v) => ({
      message: `${v.kind} at call ${v.callIndex} (${v.fn})`,
      type: v.kind,
      body: v.message,
    }));
  const crash = violations.find(
    (v) => v.trace === e.trace && (v.kind === 'target-crashed' || v.kind === 'target-timeout'),
  );
  if (e.error !== undefined)
    return { classname, name, failures, error: { message: e.error, type: e.outcome } };
  if (crash !== undefined)
    return { classname, name, failures, error: { message: crash.message, type: crash.kind } };
  return { classname, name, failures };
}

export function junitXml(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.reduce((n, c) => n + (c.failures.length > 0 ? 1 : 0), 0);
  const errors = cases.filter((c) => c.error !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vpdma" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
  ];
  for (const c of cases) {
    lines.push(`    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}">`);
    for (const f of c.failures) {
      lines.push(
        `      <failure message="${xmlEscape(f.message)}" type="${xmlEscape(f.type)}">${xmlEscape(f.body)}</failure>`,
      );
    }
    if (c.error !== undefined)
      lines.push(
        `      <error message="${xmlEscape(c.error.message)}" type="${xmlEscape(c.error.type)}"/>`,
      );
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
