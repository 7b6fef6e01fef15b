// The fuzz summary says, on each finding's line, how many failing cases its kind and function
// had (report.json's groups[].hits): a bug hit 75,000 times read like one hit once.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import type { FuzzReport } from './fuzzReport.js';

describe('the fuzz summary, failing cases per finding', () => {
  it('gives the group’s hits on the finding’s line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vpdma-hits-')), 'o');
    const target = 'mutant:mapdma-writes-length';
    const r = await runCli([
      'fuzz',
      '--target',
      target,
      '--seed',
      '5',
      '--runs',
      '60',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as FuzzReport;
    const [f] = report.findings;
    const g = report.groups.find((x) => x.kind === f?.kind && x.fn === f.fn);
    if (f === undefined || g === undefined) throw new Error('no finding');
    // Found more than once in 60 cases, so the count is no stand-in for the one finding.
    expect(g.hits).toBeGreaterThan(1);
    expect(r.out).toContain(`  ${f.signature}: ${f.kind} in ${f.fn}, minimized to `);
    expect(r.out).toContain(
      `, case ${f.caseIndex}, ${g.hits} failing cases of that kind and function\n`,
    );
  });
});
