// What re-running a night's fuzz phase needs, in every output people read: the summary's
// "--runs N ... reproduces them" (runsEquivalent, not the shard's case count), and the budget,
// runsEquivalent, callsMax, timeoutMs, baseId and workerHeapMb in junit.xml, results.sarif and
// report.html.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-rerun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  fuzz: { cases: number };
  fuzzDetail: { runsEquivalent: number; workerHeapMb?: number; corpus: { baseId: string } };
}

describe('a sharded night with non-default --calls-max, --timeout and --worker-heap-mb', () => {
  const out = join(dir, 'night');
  let night: CliRun;
  let report: Report;
  beforeAll(async () => {
    night = await runCli([
      'nightly',
      '--target',
      'mutant:drops-map-registers',
      '--seed',
      '11',
      '--runs',
      '41',
      '--shard',
      '1/2',
      '--calls-max',
      '20',
      '--timeout',
      '2000',
      '--worker-heap-mb',
      '256',
      '--workers',
      '1',
      '--out',
      out,
      '--quiet',
    ]);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  });

  it('prints the --runs that reproduces the fuzz phase, with the options that change its cases', () => {
    expect(report.fuzz.cases).toBe(21);
    expect(report.fuzzDetail.runsEquivalent).toBe(41);
    // A lower heap limit can turn a leaking module: target's case into a target-crashed.
    expect(report.fuzzDetail.workerHeapMb).toBe(256);
    expect(night.out).toContain(
      'fuzz: 21 cases (--runs 41 --shard 1/2 --calls-max 20 --timeout 2000 --worker-heap-mb 256 --corpus-max 10000 reproduces them from the same starting corpus), ',
    );
  });

  it('records them in junit.xml, results.sarif and report.html', () => {
    const baseId = report.fuzzDetail.corpus.baseId;
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    for (const [k, v] of [
      ['budget', '--runs 41'],
      ['runsEquivalent', '41'],
      ['callsMax', '20'],
      ['timeoutMs', '2000'],
      ['baseId', baseId],
      ['workerHeapMb', '256'],
    ])
      expect(junit).toContain(`<property name="${k}" value="${v}"/>`);
    const sarif = JSON.parse(readFileSync(join(out, 'results.sarif'), 'utf8')) as {
      runs: { properties: Record<string, unknown> }[];
    };
    expect(sarif.runs[0]?.properties).toMatchObject({
      budget: '--runs 41',
      runsEquivalent: '41',
      callsMax: '20',
      timeoutMs: '2000',
      baseId,
      workerHeapMb: '256',
    });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(
      '<tr><th scope="row">--runs that reproduces the cases</th><td><code>41</code></td></tr>',
    );
    expect(html).toContain(
      '<th scope="row">Call timeout, ms (--timeout)</th><td><code>2000</code>',
    );
    expect(html).toContain(`<code>${baseId}</code>`);
    expect(html).toContain(
      '<th scope="row">Worker heap limit, MiB (--worker-heap-mb)</th><td><code>256</code>',
    );
  });
});
