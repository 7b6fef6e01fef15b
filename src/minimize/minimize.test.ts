import { describe, expect, it } from 'vitest';
import type { Trace } from '../trace/trace.js';
import { printText } from '../trace/text.js';
import { traceKey } from './materialize.js';
import { minimize, type StillFails } from './minimize.js';
import { smallTrace } from '../../test/support/testTraces.js';

/** A predicate over the function sequence, counting what it is asked. */
function byFns(test: (fns: string[]) => boolean): StillFails & { seen: string[]; batches: number } {
  const seen: string[] = [];
  const f = Object.assign(
    (cands: readonly Trace[]) => {
      f.batches++;
      for (const c of cands) seen.push(traceKey(c));
      return Promise.resolve(cands.map((c) => test(c.calls.map((x) => x.fn))));
    },
    { seen, batches: 0 },
  );
  return f;
}

const writeThenMap = (fns: string[]): boolean => {
  const w = fns.indexOf('@write');
  return w >= 0 && fns.indexOf('VideoPortMapDmaMemory', w) > w;
};

describe('minimize', () => {
  it('shrinks to the calls the predicate needs, with simplified arguments', async () => {
    const r = await minimize(smallTrace(true), byFns(writeThenMap), { attemptsMax: 1000 });
    expect(printText(r.trace)).toMatchInlineSnapshot(`
      "#! vpdma-trace v1 profile=docs
      @write(va=0x0, data=x"")
      VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0x0)
      "
    `);
    expect(r).toMatchObject({ exhausted: false, aborted: false });
    expect(r.passes.map((p) => p.pass)).toContain('simplify');
  });

  it('never asks about a trace twice, nor about the starting one', async () => {
    const start = smallTrace();
    const p = byFns(writeThenMap);
    const r = await minimize(start, p, { attemptsMax: 1000, batchSize: 4 });
    expect(new Set(p.seen).size).toBe(p.seen.length);
    expect(p.seen).not.toContain(traceKey(start));
    expect(r.evaluated).toBe(p.seen.length);
    expect(r.evaluated).toBeGreaterThanOrEqual(r.attempts);
  });

  it('gives the same result, attempts and passes for every batch size', async () => {
    const runs = await Promise.all(
      [1, 2, 3, 16, 100].map((batchSize) =>
        minimize(smallTrace(true), byFns(writeThenMap), { attemptsMax: 1000, batchSize }),
      ),
    );
    const strip = (r: (typeof runs)[number]): unknown => ({
      ...r,
      trace: printText(r.trace),
      evaluated: 0,
    });
    for (const r of runs) expect(strip(r)).toEqual(strip(runs[0] as (typeof runs)[number]));
    expect(runs[0]?.evaluated).toBe(runs[0]?.attempts);
  });

  it('stops at attemptsMax with a trace that still fails, and says so', async () => {
    for (const attemptsMax of [1, 2, 5]) {
      const p = byFns(writeThenMap);
      const r = await minimize(smallTrace(), p, { attemptsMax, batchSize: 3 });
      expect(r.attempts).toBe(attemptsMax);
      expect(r.exhausted).toBe(true);
      expect(writeThenMap(r.trace.calls.map((c) => c.fn))).toBe(true);
    }
  });

  it('stops when aborted, returning the best trace so far', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p: StillFails = (cands) => {
      if (++calls === 3) ac.abort();
      return Promise.resolve(cands.map((c) => writeThenMap(c.calls.map((x) => x.fn))));
    };
    const r = await minimize(smallTrace(), p, { attemptsMax: 1000, signal: ac.signal });
    expect(r.aborted).toBe(true);
    expect(r.attempts).toBe(3);
  });

  it('uses the failing index: cut after it, then its resource chain', async () => {
    const p = byFns((fns) => fns.includes('@write'));
    const r = await minimize(smallTrace(), p, { attemptsMax: 1000, failingIndex: 3 });
    expect(r.passes.slice(0, 2)).toEqual([
      { pass: 'cut', attempts: 1, accepted: 1, callsAfter: 4 },
      { pass: 'chain', attempts: 1, accepted: 1, callsAfter: 3 },
    ]);
    expect(r.trace.calls.map((c) => c.fn)).toEqual(['@write']);
  });

  it('keeps recorded ret/out in recorded mode', async () => {
    const start = smallTrace(true);
    const p = byFns((fns) => fns.includes('VideoPortGetDmaAdapter'));
    const r = await minimize(start, p, { attemptsMax: 1000, resolution: 'recorded' });
    expect(r.trace.calls).toHaveLength(1);
    expect(r.trace.calls[0]?.ret).toBe(start.calls[1]?.ret);
  });

  it("keeps each kept call's meta as it was, in either resolution", async () => {
    const start = smallTrace(true);
    // A capture's meta on every call: which thread made it, and when.
    const captured: Trace = {
      ...start,
      calls: start.calls.map((c, i) => ({ ...c, meta: { tid: 4 + i, ts: 1000 * i } })),
    };
    for (const resolution of ['oracle', 'recorded'] as const) {
      const r = await minimize(captured, byFns(writeThenMap), { attemptsMax: 1000, resolution });
      expect(r.trace.calls.map((c) => [c.fn, c.meta])).toEqual([
        ['@write', { tid: 7, ts: 3000 }],
        ['VideoPortMapDmaMemory', { tid: 8, ts: 4000 }],
      ]);
    }
    expect(printText(captured).split('\n')[4]).toMatch(/^@write\(.*\) meta \{"tid":7,"ts":3000\}$/);
  });

  it('returns the input unchanged when nothing smaller fails', async () => {
    const start = smallTrace();
    const p = byFns(() => false);
    const r = await minimize(start, p, { attemptsMax: 1000 });
    expect(r.trace).toBe(start);
    expect(r).toMatchObject({ accepted: 0, exhausted: false, attempts: p.seen.length });
  });
});
