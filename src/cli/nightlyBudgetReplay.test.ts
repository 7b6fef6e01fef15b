// A night whose --budget-replay ran out: the traces it did not replay are named in every report,
// and an earlier finding's repro among them fails the night under --fail-on any.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-budget-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  corpus: {
    summary: { traces: number; notReplayed?: number };
    budgetReplay?: string;
    notReplayed?: { trace: string; regression?: true }[];
  };
  fuzzDetail: { warnings: string[] };
}

/** A night into `out` with an earlier finding's repro in OUT/findings, replay capped at 1 ms. */
async function night(out: string, failOn: string) {
  const repro = join(out, 'findings', 'some-kind', '0123abcd', 'repro.jsonl');
  mkdirSync(join(repro, '..'), { recursive: true });
  copyFileSync('corpus/common-buffer-ring.jsonl', repro);
  const run = await runCli([
    'nightly',
    '--target',
    'mutant:bytes-used-remembered',
    '--seed',
    '42',
    '--runs',
    '1',
    '--workers',
    '1',
    '--budget-replay',
    '1ms',
    '--fail-on',
    failOn,
    '--out',
    out,
    '--quiet',
  ]);
  return { run, repro };
}

describe('nightly --budget-replay', () => {
  it('names the traces not replayed in every report; a skipped repro fails --fail-on any', async () => {
    const out = join(dir, 'any');
    const { run, repro } = await night(out, 'any');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    const skipped = report.corpus.notReplayed ?? [];
    expect(skipped.length).toBeGreaterThan(0);
    expect(report.corpus.budgetReplay).toBe('1ms');
    expect(report.corpus.summary.notReplayed).toBe(skipped.length);
    // Regressions replay first: the earlier finding's repro is among those left.
    expect(skipped[0]).toEqual({ trace: repro, regression: true });
    expect(report.fuzzDetail.warnings).toContain(
      `--budget-replay 1ms reached: ${skipped.length} corpus traces not replayed, 1 of them earlier findings' repros (not checked)`,
    );
    // Not checked, so not green: exit 1 under --fail-on any, and an <error> in junit.xml.
    expect(run.code).toBe(1);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(
      `name="repro.jsonl">\n      <error message="earlier finding&apos;s repro not replayed: --budget-replay 1ms reached first" type="not-replayed"/>`,
    );
    const others = skipped.filter((t) => t.regression !== true).length;
    if (others > 0) {
      expect(junit).toContain(
        '<skipped message="not replayed: --budget-replay 1ms reached first"/>',
      );
      expect(junit).toContain(` skipped="${others}"`);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`Not replayed (${skipped.length})`);
    expect(html).toContain("an earlier finding's repro, not checked");
    expect(run.out).toContain(
      `corpus: ${skipped.length} traces not replayed (--budget-replay 1ms ran out first)`,
    );
    expect(run.out).toContain(`  ${repro} (an earlier finding's repro)`);
  });

  it('does not fail --fail-on new for it (no finding is new)', async () => {
    const { run } = await night(join(dir, 'new'), 'new');
    expect(run.out).toContain('traces not replayed (--budget-replay 1ms ran out first)');
    expect(run.code).toBe(0);
  });

  it('takes a budget longer than a timer can wait (600h) as given: every trace is replayed', async () => {
    const out = join(dir, 'long');
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    const run = await runCli([
      ...['nightly', '--seed', '42', '--runs', '1', '--workers', '1', '--quiet'],
      ...['--budget-replay', '600h', '--out', out],
    ]).finally(() => process.off('warning', onWarning));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.corpus.budgetReplay).toBe('600h');
    expect(report.corpus.summary.traces).toBeGreaterThan(0);
    expect(report.corpus.notReplayed).toBeUndefined();
    expect(run.out).not.toContain('not replayed');
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    expect(run.code).toBe(0);
  });
});
