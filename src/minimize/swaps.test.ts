import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { printText } from '../trace/text.js';
import { emptyHeader, type Trace } from '../trace/trace.js';
import { minimize, type StillFails } from './minimize.js';
import { DEFAULT_VARIANTS } from './passes.js';
import { link } from './references.js';
import { neighbours, swaps, swapsMax } from './swaps.js';

/**
 * CreateEvent(eventFlag), an unrelated pool, SetEvent when `set`, WaitForSingleObject: the
 * hang-on-signaled-wait canary's shape.
 */
function events(eventFlag: number, set: boolean, captured = false): Trace {
  const r = new Recorder({}, captured);
  const e = r.call('VideoPortCreateEvent', { eventFlag, unused: 0n }).out?.['ppEvent'];
  const pool = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x100, tag: 1 });
  r.call('VideoPortFreePool', { ptr: pool });
  if (set) r.call('VideoPortSetEvent', { pEvent: e as bigint });
  r.call('VideoPortWaitForSingleObject', { object: e as bigint, timeout: -10000n });
  return { header: emptyHeader(), calls: r.calls };
}

/** A wait on an event signaled by then: created signaled (eventFlag bit 1), or set before it. */
function signaledWait(t: Trace): boolean {
  const c = t.calls.findIndex((x) => x.fn === 'VideoPortCreateEvent');
  const w = t.calls.findIndex((x) => x.fn === 'VideoPortWaitForSingleObject');
  const wait = t.calls[w];
  const create = t.calls[c];
  if (c < 0 || w < c || wait === undefined || create === undefined) return false;
  const event = wait.args['object'];
  if (event === 0n) return false;
  const set = t.calls
    .slice(c + 1, w)
    .some((x) => x.fn === 'VideoPortSetEvent' && x.args['pEvent'] === event);
  return (Number(create.args['eventFlag']) & 2) !== 0 || set;
}

const stillFails: StillFails = (cands) => Promise.resolve(cands.map(signaledWait));
const fns = (t: Trace): string[] => t.calls.map((c) => c.fn.replace('VideoPort', ''));

describe('swaps', () => {
  it('the predicate: fails for {C(0),S,W} and {C(2),W}, not for {C(0),W}', () => {
    expect(signaledWait(events(0, true))).toBe(true);
    expect(signaledWait(events(2, false))).toBe(true);
    expect(signaledWait(events(0, false))).toBe(false);
  });

  it('trades SetEvent for eventFlag=2: 2 calls, where removal and simplification stop at 3', async () => {
    const r = await minimize(events(0, true), stillFails, { attemptsMax: 1000 });
    expect(fns(r.trace)).toEqual(['CreateEvent', 'WaitForSingleObject']);
    expect(r.trace.calls[0]?.args['eventFlag']).toBe(2);
    expect(r.passes.filter((p) => p.pass === 'swap' && p.accepted > 0)).toHaveLength(1);
    expect(r).toMatchObject({ exhausted: false, aborted: false });
    expect(printText(r.trace)).toMatchInlineSnapshot(`
      "#! vpdma-trace v1 profile=docs
      VideoPortCreateEvent(hwDeviceExtension=0xffffe00000001000, eventFlag=2, unused=0x0)
      VideoPortWaitForSingleObject(hwDeviceExtension=0xffffe00000001000, object=0xffffe00010000000)
      "
    `);
  });

  it('gives the same result, attempts and passes for every batch size', async () => {
    const runs = await Promise.all(
      [1, 2, 5, 64].map((batchSize) =>
        minimize(events(0, true), stillFails, { attemptsMax: 1000, batchSize }),
      ),
    );
    const strip = (r: (typeof runs)[number]): unknown => ({
      ...r,
      trace: printText(r.trace),
      evaluated: 0,
    });
    for (const r of runs) expect(strip(r)).toEqual(strip(runs[0] as (typeof runs)[number]));
  });

  it("changes only earlier calls on the removed call's objects, and only enum-like arguments", () => {
    const linked = link(events(0, true));
    // SetEvent (3): CreateEvent made its event; the pool's calls touch no object of it.
    expect(neighbours(linked, 3)).toEqual([0]);
    // WaitForSingleObject (4): CreateEvent, and SetEvent, the event's other consumer.
    expect(neighbours(linked, 4)).toEqual([0, 3]);
    const edits = [...swaps(linked, 0, DEFAULT_VARIANTS)].map(({ cand }) => {
      const v = cand.edit?.value;
      const value = typeof v === 'object' ? 'struct' : String(v);
      return `-${[...cand.removed].join()} ${cand.edit?.call}:${cand.edit?.path}=${value}`;
    });
    expect(edits).toMatchInlineSnapshot(`
      [
        "-2 1:poolType=1",
        "-2 1:poolType=4",
        "-2 1:poolType=5",
        "-2 1:numberOfBytes=4096",
        "-2 1:numberOfBytes=0",
        "-2 1:numberOfBytes=65536",
        "-2 1:tag=1634550870",
        "-3 0:eventFlag=1",
        "-3 0:eventFlag=2",
        "-3 0:eventFlag=3",
        "-4 0:eventFlag=1",
        "-4 0:eventFlag=2",
        "-4 0:eventFlag=3",
      ]
    `);
  });

  it('leaves a call with its recorded ret/out as it is', () => {
    expect([...swaps(link(events(0, true, true)), 0, DEFAULT_VARIANTS)]).toEqual([]);
  });

  it('proposes at most swapsMax candidates each time it starts', () => {
    // Every wait's neighbours are the event and the waits before it: quadratic without a cap.
    const r = new Recorder({}, false);
    const e = r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n }).out?.['ppEvent'];
    for (let i = 0; i < 60; i++)
      r.call('VideoPortWaitForSingleObject', { object: e as bigint, timeout: -10000n });
    const linked = link({ header: emptyHeader(), calls: r.calls });
    expect([...swaps(linked, 0, DEFAULT_VARIANTS)]).toHaveLength(swapsMax);
    expect([...swaps(linked, 59, DEFAULT_VARIANTS)].length).toBeLessThan(swapsMax);
  });
});
