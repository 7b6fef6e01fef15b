// Which failing corpus traces a night minimizes, and which shard does: one trace per kind and
// function of the first violation (the shortest, the first replayed among equals), never a
// repro, and each signature by exactly one shard, whatever the others saw.
import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../replay/protocol.js';
import { NOT_STARTED, type Violation } from '../replay/violation.js';
import { corpusOwner, planCorpusMinimization } from './corpusMinimizePlan.js';
import { signatureOfViolation } from '../fuzz/findings.js';

const violation = (kind: string, fn: string, message = 'm'): Violation =>
  ({ kind, fn, callIndex: 0, message }) as Violation;

/** A trace that failed with `v` after `calls` calls, which its replay counted (traceCalls). */
const failing = (id: number, label: string, calls: number, v: Violation): ItemResult => ({
  id,
  label,
  result: { outcome: 'fail', calls, violations: [v] },
  traceCalls: calls + id,
});

const MAP = violation('map-dma-wrote-out-param', 'VideoPortMapDmaMemory');
const USED = violation('inert-return-mismatch', 'VideoPortGetBytesUsed');
const ONE = { index: 0, count: 1 };

describe('planCorpusMinimization', () => {
  it('takes the shortest trace of each signature, the first replayed among equals, in replay order', () => {
    const results = [
      failing(0, 'a.jsonl', 30, MAP),
      failing(1, 'b.jsonl', 9, MAP),
      failing(2, 'c.jsonl', 9, MAP),
      failing(3, 'd.txt', 5, USED),
      { id: 4, label: 'e.jsonl', result: { outcome: 'pass', calls: 3, violations: [] } },
      failing(5, 'f.txt', 4, USED),
    ] as ItemResult[];
    const plan = planCorpusMinimization(results, new Set(), ONE);
    // Each carries its trace's count, so the night does not read the file again to count.
    expect(plan.map((t) => [t.signature, t.trace, t.calls, t.traceCalls])).toEqual([
      ['map-dma-wrote-out-param/VideoPortMapDmaMemory', 'b.jsonl', 9, 10],
      ['inert-return-mismatch/VideoPortGetBytesUsed', 'f.txt', 4, 9],
    ]);
    expect(plan[0]?.violation).toBe(MAP);
  });

  it('leaves out repros (meta minimized, an earlier finding’s), and traces the target never started for', () => {
    const results = [
      failing(0, 'x.min.txt', 1, USED),
      failing(1, 'out/findings/inert-return-mismatch/GetBytesUsed/b8a02000/repro.jsonl', 1, USED),
      failing(
        2,
        'y.jsonl',
        2,
        violation('target-crashed', 'VideoPortMapDmaMemory', `${NOT_STARTED}: no such file`),
      ),
      failing(3, 'z.jsonl', 7, USED),
    ];
    const plan = planCorpusMinimization(results, new Set(['x.min.txt']), ONE);
    expect(plan.map((t) => t.trace)).toEqual(['z.jsonl']);
  });

  it('plans a trace by its first violation not --known, and one with only known ones not at all', () => {
    const known = new Set([signatureOfViolation(USED)]);
    const both = {
      id: 0,
      label: 'both.jsonl',
      result: { outcome: 'fail', calls: 5, violations: [USED, MAP] },
    };
    const results = [both, failing(1, 'only-known.jsonl', 2, USED)] as ItemResult[];
    const plan = planCorpusMinimization(results, new Set(), ONE, known);
    expect(plan.map((t) => [t.trace, t.violation])).toEqual([['both.jsonl', MAP]]);
    // Without the set both fail first as USED: the shorter one stands for them.
    const plain = planCorpusMinimization(results, new Set(), ONE);
    expect(plain.map((t) => [t.trace, t.violation])).toEqual([['only-known.jsonl', USED]]);
  });

  it('gives each signature to one shard of N, from the signature alone', () => {
    const kinds = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const results = kinds.map((k, i) => failing(i, `${k}.jsonl`, 3, violation(k, 'VideoPortFoo')));
    const count = 3;
    const shards = Array.from({ length: count }, (_, index) =>
      planCorpusMinimization(results, new Set(), { index, count }).map((t) => t.trace),
    );
    // Every signature once over the shards, each where corpusOwner says.
    expect(shards.flat().sort()).toEqual(kinds.map((k) => `${k}.jsonl`));
    shards.forEach((mine, index) =>
      mine.forEach((t) => expect(corpusOwner(`${t[0]}/VideoPortFoo`, count)).toBe(index)),
    );
    // A shard that saw only some of the failures still owns the same signatures.
    const some = planCorpusMinimization(results.slice(0, 4), new Set(), { index: 1, count });
    expect(some.map((t) => t.trace)).toEqual(shards[1]?.filter((t) => t < 'e'));
    expect(corpusOwner('anything', 1)).toBe(0);
  });
});
