// A finding's cases after a merge of shards: the same list, in the same (ascending) order, as
// the unsharded run gives, even when its cases come from two groups in different shards.
import { describe, expect, it } from 'vitest';
import type { FuzzReport } from './fuzzReport.js';
import { mergeShards } from './merge.js';

const SIG = 'return-mismatch/GetCommonBuffer/c4404c18';

/** A shard's report, reduced to what mergeShards reads. */
function shard(groups: [string, number[]][], findingCase: number): FuzzReport {
  return {
    cases: 10,
    calls: 100,
    newCoverage: [],
    corpus: { keptFiles: [] },
    groups: groups.map(([fn, cases]) => ({
      kind: 'return-mismatch',
      fn,
      hits: cases.length,
      minimized: cases.map((caseIndex) => ({ caseIndex, signature: SIG })),
    })),
    findings: [{ signature: SIG, caseIndex: findingCase, cases: [] }],
  } as unknown as FuzzReport;
}

describe('mergeShards', () => {
  it("lists a finding's cases ascending, whichever shard and group they came from", () => {
    // The unsharded run: group GetCommonBuffer [77, 180], group AllocatePool [109, 332].
    const shards = [
      shard([['VideoPortAllocatePool', [109, 332]]], 109),
      shard([['VideoPortGetCommonBuffer', [77, 180]]], 77),
    ];
    const merged = mergeShards(shards, 2);
    expect(merged.findings.map((f) => [f.signature, f.caseIndex, f.cases])).toEqual([
      [SIG, 77, [77, 109, 180, 332]],
    ]);
  });
});
