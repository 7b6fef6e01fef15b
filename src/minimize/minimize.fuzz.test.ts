// Properties of the minimizer on random valid traces with synthetic predicates: the result
// still fails, is 1-minimal (no single call can be removed, in any removal variant), has no
// simplification left, and is the same for every batch size. 1-minimality holds under
// non-monotone predicates too, where one pass of single-call removals is not enough.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../trace/trace.js';
import { printText } from '../trace/text.js';
import { traceArbitrary } from '../trace/traceArbitrary.js';
import { materialize, traceKey } from './materialize.js';
import { minimize, type MinimizeResult, type StillFails } from './minimize.js';
import { DEFAULT_VARIANTS, removalsOf, simplifications } from './passes.js';
import { link } from './references.js';

type Test = (t: Trace) => boolean;
const batched =
  (test: Test): StillFails =>
  (cands) =>
    Promise.resolve(cands.map(test));

/** Calls of fn `a`, then later of fn `b`. */
const inOrder =
  (a: string, b: string): Test =>
  (t) => {
    const fns = t.calls.map((c) => c.fn);
    const i = fns.indexOf(a);
    return i >= 0 && fns.indexOf(b, i + 1) > i;
  };

/** At least `k` calls whose fn is in `fns`. */
const atLeast =
  (fns: ReadonlySet<string>, k: number): Test =>
  (t) =>
    t.calls.filter((c) => fns.has(c.fn)).length >= k;

/** A random trace and a predicate it satisfies, built from its own calls. */
const caseArb = fc
  .record({
    trace: traceArbitrary({ callsMax: 14 }),
    i: fc.nat(),
    j: fc.nat(),
    k: fc.nat(),
    kind: fc.constantFrom('order', 'count'),
  })
  .filter((c) => c.trace.calls.length >= 3)
  .map(({ trace, i, j, k, kind }) => {
    const n = trace.calls.length;
    const a = i % (n - 1);
    const b = a + 1 + (j % (n - a - 1));
    const fns = trace.calls.map((c) => c.fn);
    const test =
      kind === 'order'
        ? inOrder(fns[a] as string, fns[b] as string)
        : atLeast(new Set([fns[a] as string, fns[b] as string, fns[k % n] as string]), 3);
    return { trace, test, kind };
  })
  .filter((c) => c.test(c.trace));

const has = (t: Trace, fn: string): boolean => t.calls.some((c) => c.fn === fn);

/**
 * Non-monotone predicates, where a call can go only once another has gone: a call of `x`,
 * and then 'implies': a call of `z` whenever there is one of `y`; 'chain': over the other
 * fns in order of first call, a call of each whenever there is one of the fn before it.
 */
const nonMonotoneArb = fc
  .record({
    trace: traceArbitrary({ callsMax: 14 }),
    i: fc.nat(),
    j: fc.nat(),
    k: fc.nat(),
    kind: fc.constantFrom('implies', 'chain'),
  })
  .filter((c) => new Set(c.trace.calls.map((call) => call.fn)).size >= 3)
  .map(({ trace, i, j, k, kind }) => {
    const fns = [...new Set(trace.calls.map((c) => c.fn))];
    const x = fns[i % fns.length] as string;
    const others = fns.filter((f) => f !== x);
    const y = others[j % others.length] as string;
    const z = others.filter((f) => f !== y)[k % (others.length - 1)] as string;
    const chain = kind === 'implies' ? [y, z] : others;
    const test: Test = (t) =>
      has(t, x) && chain.every((f, n) => n === 0 || !has(t, chain[n - 1] as string) || has(t, f));
    // x and chain too, so a counterexample shows the predicate.
    return { trace, x, chain, test };
  });

/** One top-down pass of single-call removals, as ddmin's last chunk size does it once. */
function onePass(trace: Trace, test: Test): Trace {
  let l = link(trace);
  for (let i = l.calls.length - 1; i >= 0; i--) {
    const next = removalsOf(l, new Set([i]), DEFAULT_VARIANTS)
      .map((cand) => materialize(l, cand, 'oracle'))
      .find((t) => t !== undefined && test(t));
    if (next !== undefined) l = link(next);
  }
  return l.trace;
}

function oneMinimal(r: { readonly trace: Trace }, test: Test): boolean {
  const l = link(r.trace);
  return l.calls.every((_c, i) =>
    removalsOf(l, new Set([i]), DEFAULT_VARIANTS).every((cand) => {
      const t = materialize(l, cand, 'oracle');
      return t === undefined || !test(t);
    }),
  );
}

/** Every simplification left is invalid or not a change: the arguments are at a fixpoint. */
function simplified(r: MinimizeResult): boolean {
  const l = link(r.trace);
  const key = traceKey(r.trace);
  for (const p of simplifications(l, { call: 0, slot: 0 })) {
    const t = materialize(l, p.cand, 'oracle');
    if (t !== undefined && traceKey(t) !== key) return false;
  }
  return true;
}

describe('minimize on random traces', () => {
  it('the result still fails, is 1-minimal and fully simplified', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ trace, test, kind }) => {
        const r = await minimize(trace, batched(test), { attemptsMax: 100_000 });
        expect(r.exhausted).toBe(false);
        expect(test(r.trace)).toBe(true);
        // Only the predicate's own calls can be needed: A then B is two calls, the count three.
        expect(r.trace.calls.length).toBe(kind === 'order' ? 2 : 3);
        expect(oneMinimal(r, test)).toBe(true);
        expect(simplified(r)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('the result is 1-minimal under non-monotone predicates too', async () => {
    let onePassNotEnough = 0;
    await fc.assert(
      fc.asyncProperty(nonMonotoneArb, async ({ trace, test }) => {
        if (!oneMinimal({ trace: onePass(trace, test) }, test)) onePassNotEnough++;
        const r = await minimize(trace, batched(test), { attemptsMax: 100_000 });
        expect(r.exhausted).toBe(false);
        expect(test(r.trace)).toBe(true);
        expect(oneMinimal(r, test)).toBe(true);
      }),
    );
    // Many cases need more than one pass of single-call removals to become 1-minimal.
    expect(onePassNotEnough).toBeGreaterThan(20);
  });

  it('gives identical results for batch sizes 1, 3 and 16', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ trace, test }) => {
        const runs = await Promise.all(
          [1, 3, 16].map((batchSize) =>
            minimize(trace, batched(test), { attemptsMax: 100_000, batchSize }),
          ),
        );
        const seen = runs.map((r) => [printText(r.trace), r.attempts, r.accepted, r.passesRun]);
        expect(seen[1]).toEqual(seen[0]);
        expect(seen[2]).toEqual(seen[0]);
        expect(runs.map((r) => r.passes)).toEqual([
          runs[0]?.passes,
          runs[0]?.passes,
          runs[0]?.passes,
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it('a budget cut short still returns a failing trace, the same for every batch size', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.integer({ min: 1, max: 30 }), async (c, attemptsMax) => {
        const runs = await Promise.all(
          [1, 7].map((batchSize) => minimize(c.trace, batched(c.test), { attemptsMax, batchSize })),
        );
        for (const r of runs) {
          expect(c.test(r.trace)).toBe(true);
          expect(r.attempts).toBeLessThanOrEqual(attemptsMax);
        }
        expect(printText(runs[1]!.trace)).toBe(printText(runs[0]!.trace));
        expect(runs[1]?.exhausted).toBe(runs[0]?.exhausted);
      }),
      { numRuns: 40 },
    );
  });
});
