// The watch calls (MapDmaMemory and a sibling): run at each new DMA shape (inside producer
// chains too), never twice at one shape, never on an idle DMA state, and without changing
// what the program builds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rngFor } from '../core/rng.js';
import { INERT_FNS } from '../model/calls.js';
import { resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import type { TraceCall } from '../model/values.js';
import { emptyHeader } from '../trace/trace.js';
import { programArb } from './arbitraries.js';
import { materialize } from './caseGen.js';
import { dmaShape } from './coverage.js';
import { HW_DEVICE_EXTENSION } from '../core/constants.js';
import { BASE, lit, type AbsCall, type Program } from './program.js';
import { watchCalls } from './watch.js';
import { swarmFor } from './weights.js';

const MDM = 'VideoPortMapDmaMemory';
const header = emptyHeader();

/** The calls built from `program` with `watch`, each with the DMA shape it ran at. */
function built(program: Program, watch: Program, callsMax = 64): [TraceCall, number][] {
  const model = new Model({ device: resolveDevice(header.device), profile: 'docs' });
  const calls = materialize({ header, program, watch }, callsMax).calls;
  return calls.map((c) => {
    const shape = dmaShape(model.state);
    model.step(c.fn, c.args);
    return [c, shape];
  });
}

const watch = (seed: number): Program =>
  watchCalls({ rng: rngFor(seed, 0), swarm: swarmFor(seed, 0), callsMax: 64, donors: [] });

describe('the watch call', () => {
  it('is a VideoPortMapDmaMemory whose board address is a live mapping when there is one', () => {
    const [w] = watch(1);
    expect(w?.fn).toBe(MDM);
    expect(w?.coherent).toBe(false);
    expect(w?.args['boardAddress']?.s).toBe('mapped');
    const view: AbsCall = {
      fn: 'VideoPortGetDeviceBase',
      args: {
        hwDeviceExtension: lit(HW_DEVICE_EXTENSION),
        ioAddress: { s: 'bus', space: 'memory', pick: 1, place: BASE },
        numberOfUchars: lit(0x1000),
        inIoSpace: lit(0),
      },
      coherent: true,
    };
    const model = new Model({ device: resolveDevice(header.device), profile: 'docs' });
    const calls = built([view, view], watch(1));
    for (const [c] of calls) model.step(c.fn, c.args);
    const bus = [...model.state.views.values()][0]?.bus;
    const board = calls.find(([c]) => c.fn === MDM)?.[0].args['boardAddress'];
    expect(typeof board === 'bigint' && bus !== undefined && board >= bus).toBe(true);
    expect(typeof board === 'bigint' && bus !== undefined && board < bus + 0x1000n).toBe(true);
  });

  it('runs inside a producer chain: while the transfer is pending, and once delivered', () => {
    // One coherent CompleteDma: the builder produces adapter, pool, MDL, StartDma and
    // HwVidExecuteDma back to back before it, where no inserted call could land.
    const complete: AbsCall = {
      fn: 'VideoPortCompleteDma',
      args: {
        hwDeviceExtension: lit(HW_DEVICE_EXTENSION),
        vpDmaAdapter: { s: 'live', res: 'adapter', pick: 0, place: BASE },
        vpScatterGather: { s: 'live', res: 'sgList', pick: 0, place: BASE },
        writeToDevice: lit(true),
      },
      coherent: true,
    };
    const without = built([complete], []).map(([c]) => c.fn);
    expect(without).not.toContain(MDM);
    expect(without).toContain('VideoPortStartDma');
    const calls = built([complete], watch(2));
    const shapes = calls.filter(([c]) => c.fn === MDM).map(([, shape]) => shape);
    expect(shapes.some((s) => (s & 8) !== 0)).toBe(true); // a transfer pending
    expect(shapes.some((s) => (s & 16) !== 0)).toBe(true); // a transfer delivered
    expect(calls.at(-1)?.[0].fn).toBe('VideoPortCompleteDma'); // none after the program ends
  });

  it('adds only its own calls, each at DMA shapes no call of its function met, never when idle', () => {
    const sw = swarmFor(7, 3);
    fc.assert(
      fc.property(programArb(sw, 40), fc.nat(), (program, seed) => {
        // Tagged by a device extension no drawn call has, so the test can tell the watch's
        // calls apart (every obsolete call ignores it).
        const tagged = watch(seed).map((w) => ({
          ...w,
          args: { ...w.args, hwDeviceExtension: lit(TAG) },
        }));
        const plain = built(program, [], 1000).map(([c]) => c);
        const calls = built(program, tagged, 1000);
        const mine = (c: TraceCall): boolean => c.args['hwDeviceExtension'] === TAG;
        // What the program builds is unchanged: take the watch's calls out and it is all there.
        expect(calls.filter(([c]) => !mine(c)).map(([c]) => c)).toEqual(plain);
        const met = new Map<string, Set<number>>();
        for (const [c, shape] of calls) {
          const byFn = met.get(c.fn) ?? new Set<number>();
          if (mine(c)) {
            expect(shape).not.toBe(0);
            expect(byFn.has(shape)).toBe(false);
          }
          if (INERT_FNS.has(c.fn)) met.set(c.fn, byFn.add(shape));
        }
        // Without obsolete calls in the program, the sibling runs wherever MapDmaMemory's does.
        const bare = program.filter((c) => !INERT_FNS.has(c.fn));
        const fns = built(bare, tagged, 1000)
          .filter(([c]) => mine(c))
          .map(([c]) => c.fn);
        expect(fns.filter((fn) => fn !== MDM).length).toBe(fns.filter((fn) => fn === MDM).length);
      }),
      { numRuns: 100 },
    );
  });

  it('holds MapDmaMemory first, then a sibling that varies case by case', () => {
    const siblings = new Set<string>();
    for (let index = 0; index < 200; index++) {
      const w = watchCalls({
        rng: rngFor(1, index),
        swarm: swarmFor(1, 0),
        callsMax: 64,
        donors: [],
      });
      expect(w.map((c) => c.fn === MDM)).toEqual([true, false]);
      expect(INERT_FNS.has(w[1]?.fn ?? '')).toBe(true);
      expect(w.every((c) => !c.coherent)).toBe(true);
      siblings.add(w[1]?.fn ?? '');
    }
    expect(siblings.size).toBe(INERT_FNS.size - 1);
  });
});

const TAG = 0x7777n;
