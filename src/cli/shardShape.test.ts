// merge's check of a shard's report.json: a damaged field is the user's error, named; an error
// of merge's own code on a well-formed report is not dressed up as one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportShapeError } from '../core/reportShapeError.js';
import { UserError } from './context.js';
import { runCli } from '../../test/support/runCli.js';
import { asReportProblem, readShard } from './shardReport.js';
import { checkShardShape } from './shardShape.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-shard-shape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let report: Record<string, unknown> = {};

beforeAll(async () => {
  const out = join(dir, 'night');
  const args = ['--seed', '7', '--runs', '20', '--workers', '1', '--quiet', '--out', out];
  const run = await runCli(['nightly', '--target', 'mutant:bytes-used-remembered', ...args]);
  expect(run.code, run.err).toBe(1);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
});

/** The report with `field` (a dotted path) set to `value`. */
function damaged(field: string, value: unknown): unknown {
  const r = structuredClone(report);
  const path = field.split('.');
  const last = path.pop() ?? '';
  const parent = path.reduce((o, k) => o[k] as Record<string, unknown>, r);
  parent[last] = value;
  return r;
}

function shapeError(r: unknown): string | undefined {
  try {
    checkShardShape(r);
    return undefined;
  } catch (e) {
    if (!ReportShapeError.is(e)) throw e;
    return e.message;
  }
}

describe('checkShardShape', () => {
  it("passes a nightly run's own report, findings and all", async () => {
    const fuzzDetail = report['fuzzDetail'] as { findings: unknown[] };
    expect(fuzzDetail.findings.length).toBeGreaterThan(0);
    expect(shapeError(report)).toBeUndefined();
    await expect(readShard(join(dir, 'night'))).resolves.toMatchObject({ dir: join(dir, 'night') });
  });

  it('names the first field merge could not compute with', () => {
    const cases: [string, unknown, string][] = [
      ['timing', null, 'timing is null, not an object'],
      ['corpus.traces', 'x', 'corpus.traces is a string, not a list'],
      ['corpus.violations', [null], 'corpus.violations[0] is null, not an object'],
      ['fuzzDetail.shard', null, 'fuzzDetail.shard is null, not a string'],
      ['fuzzDetail.newCoverage', [[1]], 'fuzzDetail.newCoverage[0] is not a pair of numbers'],
      ['fuzzDetail.unconfirmed', undefined, 'fuzzDetail.unconfirmed is missing, not a list'],
      [
        'fuzzDetail.findings.0.caseIndex',
        '3',
        'fuzzDetail.findings[0].caseIndex is a string, not a number',
      ],
      [
        'fuzzDetail.groups.0.minimized',
        {},
        'fuzzDetail.groups[0].minimized is an object, not a list',
      ],
      ['fuzzDetail.reached', null, 'fuzzDetail.reached is null, not an object'],
      ['fuzzDetail.timing.fuzzMs', 'x', 'fuzzDetail.timing.fuzzMs is a string, not a number'],
      ['corpus.warnings', [3], 'corpus.warnings[0] is a number, not a string'],
      ['fuzzDetail.unchecked', [], 'fuzzDetail.unchecked is a list, not an object'],
      [
        'fuzzDetail.unchecked',
        { stray: { first: 'call 1 named 0x1+0x1', caseIndex: '4', count: 1 } },
        'fuzzDetail.unchecked.stray.caseIndex is a string, not a number',
      ],
    ];
    for (const [field, value, message] of cases)
      expect(shapeError(damaged(field, value)), field).toBe(message);
  });
});

describe('asReportProblem', () => {
  it('turns a shape error into the user error naming the file', () => {
    const shape = (): never => {
      throw new ReportShapeError('corpus is null, not an object');
    };
    expect(() => asReportProblem('s1/report.json', shape)).toThrow(
      's1/report.json: not a well-formed vpdma nightly report: corpus is null, not an object',
    );
  });

  it("lets any other error of merge's code through as it is: a bug, not the user's file", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'hits')");
    let thrown: unknown;
    try {
      asReportProblem('s1/report.json', () => {
        throw bug;
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(bug);
    expect(UserError.is(thrown)).toBe(false);
  });
});
