// Property: after any sequence of runs, each bucket says exactly what the runs say.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyHistory, updateHistory, type History } from './history.js';
import { historyJson, parseHistory } from './historyFormat.js';

interface Run {
  readonly target: string;
  readonly complete: boolean;
  readonly seen: readonly string[];
  /** Signatures whose regression repro the run replayed and saw pass. */
  readonly passing: readonly string[];
}

const SIGNATURES = ['s:a', 's:b', 's:c', 's:d'];
const runArb = fc.record({
  target: fc.constantFrom('model', 'process:./shim'),
  complete: fc.boolean(),
  seen: fc.array(fc.constantFrom(...SIGNATURES), { maxLength: 5 }),
  passing: fc.subarray(SIGNATURES),
});

/** The bucket of (signature, target) as the definition says, from the run log. */
function expected(runs: readonly Run[], sig: string, target: string): object | undefined {
  const ids = runs.map((_, i) => `run-${String(i).padStart(3, '0')}`);
  const mine = runs.map((r, i) => ({ ...r, id: ids[i] ?? '' })).filter((r) => r.target === target);
  const seenIn = mine.filter((r) => r.seen.includes(sig));
  const last = seenIn.at(-1);
  if (last === undefined) return undefined;
  const fixes = (r: (typeof mine)[number]): boolean => r.complete && r.passing.includes(sig);
  const fixedBy = mine.find((r) => r.id > last.id && fixes(r));
  // Seen last after a fix since the sighting before: that last run saw it regress.
  const before = seenIn.at(-2);
  const regressed =
    before !== undefined && mine.some((r) => r.id > before.id && r.id < last.id && fixes(r));
  return {
    signature: sig,
    target,
    kind: 'memory-corrupted',
    fn: 'F',
    firstSeen: seenIn[0]?.id,
    lastSeen: last.id,
    timesSeen: seenIn.length,
    ...(regressed ? { regressedIn: last.id } : {}),
    ...(fixedBy === undefined ? {} : { fixedSince: fixedBy.id }),
  };
}

describe('updateHistory over run sequences', () => {
  it('records first/last seen, times seen and fixedSince as the run log implies', () => {
    fc.assert(
      fc.property(fc.array(runArb, { maxLength: 12 }), (runs) => {
        let h: History = emptyHistory();
        runs.forEach((r, i) => {
          const findings = r.seen.map((signature) => ({
            signature,
            kind: 'memory-corrupted',
            fn: 'F',
          }));
          const runId = `run-${String(i).padStart(3, '0')}`;
          const passing = new Set(r.passing);
          const once = updateHistory(h, findings, { ...r, runId, passing });
          // The same run applied twice (a re-run merge job) changes nothing more.
          expect(updateHistory(once.history, findings, { ...r, runId, passing })).toEqual(once);
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
