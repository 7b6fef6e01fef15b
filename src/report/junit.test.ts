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
  it('counts a damaged trace with violations once, as an error, and lists them in it', () => {
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
    // One result element per case (Ant's schema; dashboards show only the first).
    expect(xml.match(/<failure /g)).toBeNull();
    expect(xml.match(/<error [^>]*type="damaged"/g)).toHaveLength(1);
    expect(xml).toMatch(/Violations before it:[^<]*return-mismatch[^<]*memory-mismatch/);
  });

  it('puts every violation of a case in one <failure>, named by the first', () => {
    const entry: TraceEntry = { trace: 'f.jsonl', outcome: 'fail', calls: 7, violations: 3 };
    const vs = [
      violation('f.jsonl', 'return-mismatch', 1),
      violation('f.jsonl', 'memory-mismatch', 4),
      violation('f.jsonl', 'out-param-mismatch', 5),
    ];
    const xml = junitXml('vpdma replay', [caseForTrace(entry, vs)]);
    expect(totals(xml)).toEqual([
      'tests="1" failures="1" errors="0"',
      'tests="1" failures="1" errors="0"',
    ]);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(/<failure message="return-mismatch at call 1 \(F\) \(and 2 more\)"/);
    expect(xml).toMatch(/return-mismatch[^<]*memory-mismatch[^<]*out-param-mismatch/);
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

describe('a trace named with characters XML cannot hold', () => {
  it('names its case with them as \\xNN, so it is not the case of the name without them', () => {
    const pass = (trace: string): TraceEntry => ({
      trace,
      outcome: 'pass',
      calls: 1,
      violations: 0,
    });
    const names = ['ctl/ctl\u0001x.jsonl', 'ctl/ctlx.jsonl', 'd\u001fir/a\uFFFE.jsonl'].map((t) =>
      caseForTrace(pass(t), []),
    );
    expect(names.map((c) => [c.classname, c.name])).toEqual([
      ['ctl', 'ctl\\x01x.jsonl'],
      ['ctl', 'ctlx.jsonl'],
      ['d\\x1fir', 'a\\ufffe.jsonl'],
    ]);
    // Written as such; newline and tab are kept (as references), as before.
    const xml = junitXml('vpdma replay', [...names, caseForTrace(pass('n\nl\t.jsonl'), [])]);
    expect(xml).toContain('name="ctl\\x01x.jsonl"');
    expect(xml).toContain('name="n&#10;l&#9;.jsonl"');
  });
});

describe('JUnit errors', () => {
  const crashed = (v: Partial<ReportViolation>): string | undefined => {
    const entry: TraceEntry = { trace: 't.jsonl', outcome: 'crash', calls: 3, violations: 1 };
    const crash = { ...violation('t.jsonl', 'target-crashed', 2), message: 'boom', ...v };
    return caseForTrace(entry, [crash]).error?.message;
  };

  it('places a crash in a call as a failure is placed: by line where the file has lines', () => {
    expect(crashed({ line: 4 })).toBe('target-crashed at line 4 (call 2) (F): boom');
    expect(crashed({})).toBe('target-crashed at call 2 (F): boom');
    expect(crashed({ kind: 'target-timeout', line: 4 })).toBe(
      'target-timeout at line 4 (call 2) (F): boom',
    );
  });

  it('gives no place to a target that died before its first call, or never started', () => {
    const before = 'the worker thread died before the first call (x)';
    expect(crashed({ fn: '(start)', callIndex: 0, message: before })).toBe(before);
    const never = 'the target could not start: no such file';
    expect(crashed({ callIndex: 0, message: never })).toBe(never);
  });

  it("names an earlier finding's repro by its findings/ path, whatever --out is called", () => {
    const names = ['out', 'nightly-out', '/builds/7/out'].map((dir) => {
      const trace = `${dir}/findings/inert-return-mismatch/GetBytesUsed/b8a02000/repro.jsonl`;
      const c = caseForTrace({ trace, outcome: 'pass', calls: 1, violations: 0 }, []);
      return `${c.classname} ${c.name}`;
    });
    expect(new Set(names)).toEqual(
      new Set(['findings.inert-return-mismatch.GetBytesUsed.b8a02000 repro.jsonl']),
    );
    // A directory of the user's that happens to be called findings keeps its whole path.
    const own = caseForTrace(
      { trace: 'qa/findings/x.jsonl', outcome: 'pass', calls: 1, violations: 0 },
      [],
    );
    expect(own.classname).toBe('qa.findings');
  });
});
