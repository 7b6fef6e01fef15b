// Every kind of object a table argument consumes, and some table call creates, has a producer
// here (producers.ts) whose call the table says creates it. Without one the fuzzer silently
// reaches less: a coherent call needing such an object would find none and be skipped.
import { describe, expect, it } from 'vitest';
import { CALLS, describe as describeCall } from '../model/calls.js';
import type { CallDesc, Produces, ResourceKind } from '../model/callTypes.js';
import { RESOURCE_SPACE } from '../model/callTypes.js';
import { producerFor } from './producers.js';

function producedKinds(c: CallDesc): ResourceKind[] {
  const all: (Produces | undefined)[] = [
    c.ret?.produces,
    ...c.out.flatMap((o) => [o.produces, ...Object.values(o.fieldProduces ?? {})]),
  ];
  return all.filter((p) => p !== undefined).map((p) => p.res);
}

/** The kinds a consumer of `kind` accepts: any CPU range, for `cpu`. */
function satisfying(kind: ResourceKind): ResourceKind[] {
  if (kind !== 'cpu') return [kind];
  return (Object.keys(RESOURCE_SPACE) as ResourceKind[]).filter((k) => RESOURCE_SPACE[k] === 'cpu');
}

const consumed = [
  ...new Set(
    CALLS.flatMap((c) => c.args.flatMap((a) => (a.role.kind === 'consumes' ? [a.role.res] : []))),
  ),
];

describe('producerFor', () => {
  it('makes every consumed kind some table call creates, by a call the table says creates it', () => {
    const made = consumed.filter((k) =>
      CALLS.some((c) => producedKinds(c).some((p) => satisfying(k).includes(p))),
    );
    expect(made.length).toBeGreaterThan(8);
    const wrong: string[] = [];
    for (const kind of made)
      for (let pick = 0; pick < 12; pick++) {
        const p = producerFor(kind, pick);
        const desc = p === undefined ? undefined : describeCall(p.fn);
        const makes = desc === undefined ? [] : producedKinds(desc);
        if (!makes.some((m) => satisfying(kind).includes(m)))
          wrong.push(
            `${kind} (pick ${pick}): ${p?.fn ?? 'no producer'} makes ${makes.join(',') || 'nothing'}`,
          );
      }
    expect(wrong).toEqual([]);
  });

  it('leaves out only the consumed kinds no call creates (the legacy PDMA, only ever taken)', () => {
    const unmade = consumed.filter(
      (k) => !CALLS.some((c) => producedKinds(c).some((p) => satisfying(k).includes(p))),
    );
    expect(unmade).toEqual(['pdma']);
  });
});
