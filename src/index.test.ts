// The package's report types and signatureOf, as a user's CI script imports them: the types
// from the package's index (they compile below only if it exports them with these shapes),
// the function from the built package by its name, and both in the published index.d.ts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyReport, FuzzReport, NightlyReport, ReplayReport } from './index.js';
import { signatureOf as sourceSignatureOf } from './index.js';

/** What a CI gate reads: every violation's key, whichever command wrote the report. */
function keysOf(r: AnyReport): string[] {
  const summary: number | undefined =
    r.command === 'replay'
      ? r.summary.failed
      : r.command === 'fuzz'
        ? undefined
        : r.corpus.summary.failed;
  expect(summary === undefined || summary >= 0).toBe(true);
  return r.violations.map((v) => v.signature ?? '');
}

describe("the package's report exports", () => {
  it('type a report read from JSON, discriminated by command', () => {
    const replay = {
      command: 'replay',
      summary: { failed: 1 },
      violations: [{ signature: 'target-timeout/CreateEvent/00000000' }],
    } as unknown as ReplayReport;
    const fuzz = { command: 'fuzz', violations: [] } as unknown as FuzzReport;
    const nightly = {
      command: 'nightly',
      corpus: { summary: { failed: 0 } },
      violations: [],
      fuzzDetail: fuzz,
    } as unknown as NightlyReport;
    expect([replay, fuzz, nightly].flatMap(keysOf)).toEqual([
      'target-timeout/CreateEvent/00000000',
    ]);
  });

  it('signatureOf, from the built package by its name, is the one the reports use', async () => {
    const pkg = (await import('vpdma')) as { signatureOf?: typeof sourceSignatureOf };
    expect(typeof pkg.signatureOf).toBe('function');
    const args = ['out-param-mismatch', 'VideoPortGetCommonBuffer', 'out.pActualLength'] as const;
    expect(pkg.signatureOf?.(...args)).toBe(sourceSignatureOf(...args));
    expect(sourceSignatureOf(...args)).toMatch(
      /^out-param-mismatch\/GetCommonBuffer\/[0-9a-f]{8}$/,
    );
  });

  it('are in the published index.d.ts', () => {
    const dts = readFileSync(resolve(import.meta.dirname, '../dist/index.d.ts'), 'utf8');
    for (const name of ['ReplayReport', 'FuzzReport', 'NightlyReport', 'AnyReport', 'signatureOf'])
      expect(dts, name).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
