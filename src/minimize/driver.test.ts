// The Driver links an accepted candidate again only when it is not a prefix of the same calls:
// relink() must give what link() gives, for any candidate materialize makes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import type { Trace } from '../trace/trace.js';
import { traceArbitrary } from '../trace/traceArbitrary.js';
import { validateCall } from '../trace/validate.js';
import { relink } from './driver.js';
import { materialize, type Candidate, type Resolution } from './materialize.js';
import { link } from './references.js';

const sink = (captured: boolean): Trace => ({
  header: KITCHEN_HEADER,
  calls: kitchenSink(captured),
});

const candidateArb = (n: number): fc.Arbitrary<Candidate> =>
  fc.oneof(
    // A cut: everything from k on.
    fc.nat({ max: n }).map((k) => ({
      removed: new Set(Array.from({ length: n - k }, (_, i) => k + i)),
      orphan: 'literal' as const,
    })),
    fc.record({
      removed: fc
        .uniqueArray(fc.nat({ max: Math.max(0, n - 1) }), { maxLength: n })
        .map((a) => new Set(a)),
      orphan: fc.constantFrom('null' as const, 'literal' as const),
    }),
  );

const caseArb = fc
  .record({
    trace: fc.oneof(
      traceArbitrary({ callsMax: 20 }),
      fc.boolean().map((captured) => sink(captured)),
    ),
    resolution: fc.constantFrom<Resolution>('oracle', 'recorded'),
  })
  .chain(({ trace, resolution }) =>
    candidateArb(trace.calls.length).map((cand) => ({ trace, resolution, cand })),
  );

describe('relink', () => {
  it('gives what link gives, for any candidate, cut or not', () => {
    fc.assert(
      fc.property(caseArb, ({ trace, resolution, cand }) => {
        const linked = link(trace);
        // Twice: the second time the linked trace is materialize's own (its calls reused).
        const once = materialize(linked, cand, resolution);
        if (once === undefined) return;
        const l1 = relink(linked, once);
        expect(l1).toEqual(link(once));
        const again = materialize(l1, cand, resolution);
        if (again === undefined) return;
        expect(relink(l1, again)).toEqual(link(again));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the links of a prefix of the same calls, without linking them again', () => {
    const linked = link(sink(true));
    const n = linked.calls.length;
    const cut: Candidate = {
      removed: new Set([n - 1, n - 2, n - 3]),
      orphan: 'literal',
    };
    const prefix = materialize(linked, cut, 'recorded');
    expect(prefix?.calls.every((c, i) => c === linked.calls[i]?.call)).toBe(true);
    const l = relink(linked, prefix as Trace);
    expect(l.calls.length).toBe(n - 3);
    expect(l.calls[0]).toBe(linked.calls[0]); // the same object: not linked again
    expect(l).toEqual(link(prefix as Trace));
    // A candidate that changed a call is linked again.
    const other = materialize(linked, { removed: new Set([0]), orphan: 'null' }, 'recorded');
    expect(relink(linked, other as Trace).calls[0]).not.toBe(linked.calls[1]);
  });

  it('makes the same calls as validating every call would (a call left as it was is valid)', () => {
    fc.assert(
      fc.property(caseArb, ({ trace, resolution, cand }) => {
        const t = materialize(link(trace), cand, resolution);
        for (const c of t?.calls ?? []) {
          const v = validateCall(c, {});
          expect(v.ok && v.value).toEqual(c);
        }
      }),
      { numRuns: 200 },
    );
  });
});
