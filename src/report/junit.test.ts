// JUnit counts: each test case once, so that tests - failures - errors is what passed.
import { describe, expect, it } from 'vitest';
import { caseForTrace, junitXml } from './junit.js';
import type { ReportViolation, TraceEntry } from './replayReport.js';

const violation = (trace: string, kind: ReportViolation['kind'], i: number): ReportViolation => ({
  kind,
  fn: 'F',
  callIndex: i,
  message: `${kind} ${i}`,
  trace,
});

const totals = (xml: string): string[] =>
  [...xml.matchAll(/<testsuites? name="[^"]*" (tests="\d+" failures="\d+" errors="\d+")>/g)].map(
    (m) => m[1] ?? '',
  );

describe('JUnit counts', () => {
  it('counts a damaged trace with violations once, as an error, and keeps its failures', () => {
    const entry: TraceEntry = {
      trace: 'cut.jsonl',
      outcome: 'fail',
      calls: 7,
      violations: 2,
      damage: 'cut.jsonl:9: the line stops before its end',
    };
    const vs = [
      violation('cut.jsonl', 'return-mismatch', 1),
      violation('cut.jsonl', 'memory-mismatch', 4),
    ];
    const xml = junitXml('vpdma replay', [caseForTrace(entry, vs)]);
    expect(totals(xml)).toEqual([
      'tests="1" failures="0" errors="1"',
      'tests="1" failures="0" errors="1"',
    ]);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml.match(/<error [^>]*type="damaged"/g)).toHaveLength(1);
  });

  it('counts a crash after violations as an error; every case once in all', () => {
    const entries: TraceEntry[] = [
      { trace: 'pass.jsonl', outcome: 'pass', calls: 3, violations: 0 },
      { trace: 'fail.jsonl', outcome: 'fail', calls: 3, violations: 1 },
      { trace: 'crash.jsonl', outcome: 'crash', calls: 3, violations: 2 },
      { trace: 'bad.jsonl', outcome: 'invalid', calls: 0, violations: 0, error: 'bad.jsonl:1: x' },
    ];
    const vs = [
      violation('fail.jsonl', 'return-mismatch', 0),
      violation('crash.jsonl', 'return-mismatch', 0),
      violation('crash.jsonl', 'target-crashed', 2),
    ];
    const xml = junitXml(
      'vpdma replay',
      entries.map((e) => caseForTrace(e, vs)),
    );
    expect(totals(xml)).toEqual([
      'tests="4" failures="1" errors="2"',
      'tests="4" failures="1" errors="2"',
    ]);
  });
});
