// Property: after any sequence of runs, each bucket says exactly what the runs say.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyHistory, updateHistory, type History, type Sighting } from './history.js';
import { historyJson, parseHistory } from './historyFormat.js';

interface Run {
  readonly target: string;
  readonly complete: boolean;
  readonly seen: readonly string[];
  /** Signatures whose regression repro the run replayed and saw pass. */
  readonly passing: readonly string[];
  /** [signature, trace]: a replayed trace that failed first with that signature. */
  readonly shown: readonly (readonly [string, string])[];
  /** Traces the run replayed and saw pass. */
  readonly tracesPassing: readonly string[];
  /** Its repros and traces replayed with all memory compared (else sampled: fixes nothing). */
  readonly fullyChecked: boolean;
}

const SIGNATURES = ['s:a', 's:b', 's:c', 's:d'];
const TRACES = ['t/1', 't/2', 't/3'];
const runArb = fc.record({
  target: fc.constantFrom('model', 'process:./shim'),
  complete: fc.boolean(),
  seen: fc.array(fc.constantFrom(...SIGNATURES), { maxLength: 5 }),
  passing: fc.subarray(SIGNATURES),
  shown: fc.array(fc.tuple(fc.constantFrom(...SIGNATURES), fc.constantFrom(...TRACES)), {
    maxLength: 3,
  }),
  tracesPassing: fc.subarray(TRACES),
  fullyChecked: fc.boolean(),
});

/** The bucket of (signature, target) as the definition says, from the run log. */
function expected(runs: readonly Run[], sig: string, target: string): object | undefined {
  const ids = runs.map((_, i) => `run-${String(i).padStart(3, '0')}`);
  const mine = runs.map((r, i) => ({ ...r, id: ids[i] ?? '' })).filter((r) => r.target === target);
  const shows = (r: Run): string[] => r.shown.filter(([s]) => s === sig).map(([, t]) => t);
  const seenIn = mine.filter((r) => r.seen.includes(sig) || shows(r).length > 0);
  const last = seenIn.at(-1);
  if (last === undefined) return undefined;
  // The traces that failed with it in the runs before `id`.
  const tracesBefore = (id: string): string[] => [
    ...new Set(mine.filter((r) => r.id < id).flatMap(shows)),
  ];
  // Everything that failed with it passes: each trace, and its repro (needed without traces),
  // replayed with all memory compared (a memory-corrupted bucket's rule: historyFixed.ts).
  const fixes = (r: (typeof mine)[number]): boolean => {
    const traces = tracesBefore(r.id);
    return (
      r.complete &&
      r.fullyChecked &&
      traces.every((t) => r.tracesPassing.includes(t)) &&
      (r.passing.includes(sig) || traces.length > 0)
    );
  };
  const fixedBy = mine.find((r) => r.id > last.id && fixes(r));
  // Seen last after a fix since the sighting before: that last run saw it regress.
  const before = seenIn.at(-2);
  const regressed =
    before !== undefined && mine.some((r) => r.id > before.id && r.id < last.id && fixes(r));
  const traces = [...new Set(mine.flatMap(shows))].sort();
  return {
    signature: sig,
    target,
    kind: 'memory-corrupted',
    fn: 'F',
    firstSeen: seenIn[0]?.id,
    lastSeen: last.id,
    timesSeen: seenIn.length,
    ...(traces.length === 0 ? {} : { traces }),
    ...(regressed ? { regressedIn: last.id } : {}),
    ...(fixedBy === undefined ? {} : { fixedSince: fixedBy.id }),
  };
}

describe('updateHistory over run sequences', () => {
  it('records first/last seen, times seen, traces and fixedSince as the run log implies', () => {
    fc.assert(
      fc.property(fc.array(runArb, { maxLength: 12 }), (runs) => {
        let h: History = emptyHistory();
        runs.forEach((r, i) => {
          const findings = r.seen.map((signature) => ({
            signature,
            kind: 'memory-corrupted',
            fn: 'F',
          }));
          const shown = new Map<string, Sighting>();
          for (const [s, t] of r.shown) {
            const traces = [...(shown.get(s)?.traces ?? []), t];
            shown.set(s, { kind: 'memory-corrupted', fn: 'F', traces });
          }
          const run = {
            runId: `run-${String(i).padStart(3, '0')}`,
            target: r.target,
            complete: r.complete,
            passing: new Set(r.passing),
            shown,
            tracesPassing: new Set(r.tracesPassing),
            ...(r.fullyChecked
              ? { reprosFullyChecked: new Set(SIGNATURES), tracesFullyChecked: new Set(TRACES) }
              : {}),
          };
          const once = updateHistory(h, findings, run);
          // The same run applied twice (a re-run merge job) changes nothing more, and gives the
          // same verdicts (a regression's fixedSince is gone by then: RegressedByReplay).
          const twice = updateHistory(once.history, findings, run);
          expect([twice.history, twice.statuses, twice.fixed]).toEqual([
            once.history,
            once.statuses,
            once.fixed,
          ]);
          const verdicts = (u: typeof once): [string, string][] =>
            [...u.replayed].map(([s, x]) => [s, x.status]);
          expect(verdicts(twice)).toEqual(verdicts(once));
          h = once.history;
        });
        const want = SIGNATURES.flatMap((s) =>
          ['model', 'process:./shim'].map((t) => expected(runs, s, t)),
        ).filter((b) => b !== undefined);
        expect(h.buckets).toEqual(want);
        expect(parseHistory(historyJson(h))).toEqual({ ok: true, value: h });
      }),
    );
  });
});
