// shrinkTrace minimizes only the calls up to the failing one (the rest is never linked or
// keyed), and a caller that read no further (its `traceCalls` more than it holds: the
// MinimizeOptions.inputCut) gets what the whole trace gave: the same repro, attempts, passes
// and candidates asked, in the same order.
import { describe, expect, it } from 'vitest';
import { minimizeDeep } from '../fuzz/shorten.js';
import { traceKey } from '../minimize/materialize.js';
import { minimize, type MinimizeResult, type StillFails } from '../minimize/minimize.js';
import type { Violation } from '../replay/violation.js';
import { printText } from '../trace/text.js';
import type { Trace } from '../trace/trace.js';
import { smallTrace } from '../../test/support/testTraces.js';
import { shrinkTrace } from './shrinkTrace.js';

/** Fails while a @write comes before a MapDmaMemory; records the candidates asked about. */
function asked(): StillFails & { seen: string[] } {
  const seen: string[] = [];
  const f = (cands: readonly Trace[]): Promise<boolean[]> => {
    for (const c of cands) seen.push(traceKey(c));
    return Promise.resolve(
      cands.map((c) => {
        const fns = c.calls.map((x) => x.fn);
        const w = fns.indexOf('@write');
        return w >= 0 && fns.indexOf('VideoPortMapDmaMemory', w) > w;
      }),
    );
  };
  return Object.assign(f, { seen });
}

/** shrinkTrace as it was: the whole trace minimized, its start known to fail. */
async function whole(trace: Trace, v: Violation, fails: StillFails): Promise<MinimizeResult> {
  const rounds: MinimizeResult[] = [];
  const deep = await minimizeDeep(
    trace,
    v.callIndex,
    fails,
    async (t, f, failingIndex, attemptsMax) => {
      const m = await minimize(t, f, {
        attemptsMax,
        ...(failingIndex === undefined ? {} : { failingIndex }),
        batchSize: 2,
      });
      rounds.push(m);
      return m;
    },
    1000,
  );
  const [m] = rounds;
  expect(rounds).toHaveLength(1);
  return { ...(m as MinimizeResult), trace: deep.trace };
}

const shape = (r: MinimizeResult): unknown => ({
  text: printText(r.trace),
  attempts: r.attempts,
  accepted: r.accepted,
  evaluated: r.evaluated,
  passes: r.passes,
});

describe.each([false, true])(
  'a trace with calls after the failing one (captured: %s)',
  (captured) => {
    const small = smallTrace(captured);
    // The failing MapDmaMemory (call 4), then the calls again: a tail the cut removes.
    const trace: Trace = { header: small.header, calls: [...small.calls, ...small.calls] };
    const v = {
      kind: 'inert-return-mismatch',
      fn: 'VideoPortMapDmaMemory',
      callIndex: 4,
    } as Violation;
    const prefix: Trace = { header: trace.header, calls: trace.calls.slice(0, 5) };
    const o = { attemptsMax: 1000, batchSize: 2 };

    it('minimizes to what the whole trace gave, asking about the same candidates', async () => {
      const before = asked();
      const expected = shape(await whole(trace, v, before));
      const cut = asked();
      expect(shape(await shrinkTrace(trace, v, cut, o))).toEqual(expected);
      expect(cut.seen).toEqual(before.seen);
      const read = asked();
      expect(
        shape(await shrinkTrace(prefix, v, read, { ...o, traceCalls: trace.calls.length })),
      ).toEqual(expected);
      expect(read.seen).toEqual(before.seen);
    });

    it('counts the cut as an attempt only when told the trace was cut', async () => {
      const known = await shrinkTrace(prefix, v, asked(), o);
      const told = await shrinkTrace(prefix, v, asked(), { ...o, traceCalls: trace.calls.length });
      // The cut tried: it is the prefix itself when nothing recorded is dropped (generated style).
      expect(told.passes[0]).toMatchObject({ pass: 'cut', attempts: 1, accepted: 1 });
      if (!captured) expect(known.attempts).toBe(told.attempts - 1);
      expect(printText(known.trace)).toBe(printText(told.trace));
      // Told the trace holds just these calls: no cut, as when told nothing.
      const whole = await shrinkTrace(prefix, v, asked(), {
        ...o,
        traceCalls: prefix.calls.length,
      });
      expect(whole.passes[0]).toEqual(known.passes[0]);
      expect(whole.attempts).toBe(known.attempts);
    });
  },
);
