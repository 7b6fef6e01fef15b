// Test support: buildFuzzReport's facts about a run, as the in-process campaign tests fill them
// ('test' for every version and revision, a run not interrupted, no warnings, no wall time).
import type { ReportMeta } from '../../src/fuzz/fuzzReport.js';

type Fixed =
  'vpdmaVersion' | 'modelRevision' | 'buildRevision' | 'interrupted' | 'warnings' | 'wallMs';

export function testReportMeta(
  m: Omit<ReportMeta, Fixed | 'profile' | 'shard'> & Partial<ReportMeta>,
): ReportMeta {
  return {
    vpdmaVersion: 'test',
    modelRevision: 'test',
    buildRevision: 'test',
    profile: 'docs',
    shard: '1/1',
    interrupted: false,
    warnings: [],
    wallMs: 0,
    ...m,
  };
}
