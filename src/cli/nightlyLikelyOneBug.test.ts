// The nightly (and merge) summary groups findings likely one bug, as fuzz's summary does: a
// dropped map-register count is a finding in every obsolete call that follows it, and a night
// listed ten of them with nothing to say they were one.
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { nightlySummary } from './nightlySummary.js';

const corpus = { base: 21, kept: 0, keptFiles: [] };

describe('the nightly summary, findings likely one bug', () => {
  it('says a line per group after the findings, and none for findings that are not one', () => {
    const r = nightlyFixture();
    const [first] = r.findings;
    if (first === undefined) throw new Error('fixture');
    const dropped = (fn: string): (typeof r.findings)[number] => {
      const message = `VideoPort${fn} changed the target's live adapters: {handle=0xffffe00010000000, mapRegisters=64, mapRegistersUsed=1} became {handle=0xffffe00010000000, mapRegisters=64, mapRegistersUsed=0}`;
      return {
        ...first,
        kind: 'transfer-state-changed',
        fn: `VideoPort${fn}`,
        signature: `transfer-state-changed/${fn}/b8a02000`,
        message,
        violationsAtCall: [{ kind: 'transfer-state-changed', field: 'state.adapters', message }],
      };
    };
    const summary = (findings: typeof r.findings): string[] =>
      nightlySummary(
        {
          ...r,
          findings,
          fuzzDetail: { budget: {}, corpus },
        } as unknown as NightlyReportWithDetail,
        'out',
      ).split('\n');
    const lines = summary([dropped('MapDmaMemory'), ...r.findings, dropped('GetDmaContext')]);
    const grouped = lines.filter((l) => l.includes('likely one bug'));
    expect(grouped).toEqual([
      '2 findings, likely one bug: transfer-state-changed, state.adapters: mapRegistersUsed changed (in MapDmaMemory, GetDmaContext)',
    ]);
    // After the last finding's lines, before the reports line.
    const at = lines.indexOf(grouped[0] ?? '');
    const lastFinding = lines.findIndex((l) =>
      l.startsWith('  [new] transfer-state-changed in VideoPortGetDmaContext'),
    );
    expect(at).toBeGreaterThan(lastFinding);
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('reports: ')));
    // The fixture's own findings are no state change: no line.
    expect(summary(r.findings).filter((l) => l.includes('likely one bug'))).toEqual([]);
  });
});
