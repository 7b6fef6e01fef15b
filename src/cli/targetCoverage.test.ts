// --no-target-coverage and the reports of a target with its own coverage: a module target's
// coverage() and the C example's coverage build, through the command line, in worker threads.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-target-coverage-'));
const moduleTarget = 'module:test/fixtures/coverage-target.mjs';
const cTarget = 'process:examples/c-target/vpdma-c-target-cov';

interface Report {
  targetEdges?: number;
  newTargetEdges?: [number, number][];
  coverage: number;
  corpus: { kept: number; keptFiles: { caseIndex: number }[] };
  fuzz?: { targetEdges?: number };
}
const report = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

describe('target coverage on the command line', () => {
  it.each([
    ['a module target', moduleTarget],
    ['a process target', cTarget],
  ])('fuzz: %s reports its edges; --no-target-coverage never asks', async (_what, target) => {
    const base = ['fuzz', '--target', target, '--runs', '60', '--workers', '2', '--quiet'];
    const on = join(dir, `on-${target.length}`);
    const r = await run([...base, '--out', on]);
    expect(r.code).toBe(0);
    const withEdges = report(on);
    expect(withEdges.targetEdges).toBeGreaterThan(5);
    expect(withEdges.newTargetEdges?.map((e) => e[0])).toHaveLength(withEdges.targetEdges ?? 0);
    expect(r.out).toContain(`keys, ${withEdges.targetEdges} target edges; corpus`);

    const off = join(dir, `off-${target.length}`);
    const r2 = await run([...base, '--no-target-coverage', '--out', off]);
    expect(r2.code).toBe(0);
    const without = report(off);
    expect(without.targetEdges).toBeUndefined();
    expect(without.newTargetEdges).toBeUndefined();
    expect(r2.out).not.toContain('target edge');
    expect(without.coverage).toBe(withEdges.coverage);
    const kept = new Set(withEdges.corpus.keptFiles.map((k) => k.caseIndex));
    expect(without.corpus.keptFiles.every((k) => kept.has(k.caseIndex))).toBe(true);
  });

  it('nightly: the fuzz phase reports its edges in report.json and the summary', async () => {
    const base = ['nightly', '--target', moduleTarget, '--runs', '40', '--workers', '1', '--quiet'];
    const on = join(dir, 'nightly-on');
    const r = await run([...base, '--out', on]);
    expect(r.code).toBe(0);
    const edges = report(on).fuzz?.targetEdges ?? 0;
    expect(edges).toBeGreaterThan(5);
    expect(r.err + r.out).toContain(`, ${edges} target edges, corpus`);
    const off = join(dir, 'nightly-off');
    const r2 = await run([...base, '--no-target-coverage', '--out', off]);
    expect(r2.code).toBe(0);
    expect(report(off).fuzz).not.toHaveProperty('targetEdges');
  });
});
