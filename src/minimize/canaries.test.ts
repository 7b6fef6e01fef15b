// Every bundled mutant (replay/mutants.ts), minimized against the real replayer through the
// InlineExecutor, from the kitchen-sink trace and from a longer trace padded with unrelated
// calls: the repro still fails the same way and is at most the mutant's minimalCalls long
// (two documented exceptions, where the kitchen sink's own order makes the minimum larger).
import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import type { TraceCall } from '../model/values.js';
import { InlineExecutor } from '../replay/executor.js';
import { kitchenSink, KITCHEN_DEVICE } from '../replay/kitchenSink.js';
import { MUTANTS, type Mutant } from '../replay/mutants.js';
import type { ReplaySettings } from '../replay/protocol.js';
import { pickViolation, replayTraces, stillFailsPredicate } from '../replay/stillFails.js';
import type { Trace } from '../trace/trace.js';
import { minimize } from './minimize.js';

const header = {
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device: KITCHEN_DEVICE,
  meta: {},
} as const;

/**
 * Calls of the shortest repro minimization can reach by deleting calls and simplifying
 * arguments of the kitchen sink, where that is more than the mutant's minimalCalls:
 * - drops-map-registers: the bug fires on the third call after a cache-enabled
 *   AllocateCommonBuffer, and the kitchen sink allocates the buffer after StartDma, so the
 *   adapter, pool, lock, StartDma, the buffer, two calls and the inert call all stay (8). With
 *   the buffer allocated first it takes 5 (below minimalCalls 6: the lock can be of the
 *   common buffer itself, no pool), see "laid out" below.
 * - devicedma-drops-last-byte: the dropped byte is only visible through a view of the
 *   framebuffer, and the kitchen sink's transfer comes from a pool, so a view must be added
 *   to the transfer's chain (8); from a view it takes 7.
 */
export const KITCHEN_MINIMUM: Readonly<Record<string, number>> = {
  'drops-map-registers': 8,
  'devicedma-drops-last-byte': 8,
};

/**
 * Unrelated calls (their own pool, event, view, buffer) after kitchen-sink calls. None between
 * the sink's AllocateCommonBuffer (call 8) and the inert call three calls later: the
 * drops-map-registers trigger counts calls, and noise there would hide it.
 */
export function padded(): Trace {
  // Recorded on the alternate layout, so none of their values can alias the sink's.
  const noise = new Recorder({ device: KITCHEN_DEVICE, layout: 'alternate' }, true);
  const calls: TraceCall[] = [];
  kitchenSink(true).forEach((c, i) => {
    calls.push(c);
    if (i >= 8 && i <= 10) return;
    const from = noise.calls.length;
    noiseBlock(noise, i);
    calls.push(...noise.calls.slice(from));
  });
  return { header, calls };
}

function noiseBlock(r: Recorder, i: number): void {
  switch (i % 4) {
    case 0: {
      const p = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x200, tag: 7 });
      r.call('@write', { va: p + 0x10n, data: Uint8Array.of(0xaa, 0xbb) });
      r.call('VideoPortFreePool', { ptr: p });
      return;
    }
    case 1: {
      const e = r.call('VideoPortCreateEvent', { eventFlag: 1, unused: 0n }).out?.['ppEvent'];
      r.call('VideoPortDeleteEvent', { pEvent: e as bigint });
      return;
    }
    case 2: {
      const v = r.ptr('VideoPortGetDeviceBase', {
        ioAddress: 0xf0000000n,
        numberOfUchars: 0x1000,
        inIoSpace: 0,
      });
      r.call('@read', { va: v + 0x20n, length: 4 });
      r.call('VideoPortFreeDeviceBase', { mappedAddress: v });
      return;
    }
    default: {
      const b = r.call('VideoPortAllocateBuffer', { size: 0x100 }).out?.['buffer'];
      r.call('VideoPortReleaseBuffer', { buffer: b as bigint });
    }
  }
}

const settingsFor = (m: Mutant): ReplaySettings => ({
  target: `mutant:${m.name}`,
  profile: 'docs',
  paranoid: false,
  timeoutMs: 100,
  sampleBytes: 512,
});

export async function minimizeMutant(
  m: Mutant,
  trace: Trace,
): Promise<{ start: number; calls: number; attempts: number; stillFails: boolean }> {
  const executor = new InlineExecutor();
  const settings = settingsFor(m);
  const [first] = await replayTraces(executor, settings, [trace]);
  const v = first?.result === undefined ? undefined : pickViolation(first.result);
  expect(v?.kind).toBe(m.kind);
  if (v === undefined) throw new Error(`${m.name}: no violation`);
  const failure = { kind: v.kind, fn: v.fn };
  const stillFails = stillFailsPredicate({ executor, settings, failure });
  const r = await minimize(trace, stillFails, { attemptsMax: 5000, failingIndex: v.callIndex });
  expect(r.exhausted).toBe(false);
  const [again] = await stillFails([r.trace]);
  return {
    start: trace.calls.length,
    calls: r.trace.calls.length,
    attempts: r.attempts,
    stillFails: again === true,
  };
}

const reached: Record<string, Record<string, string>> = {
  'laid out': {},
  kitchen: {},
  padded: {},
};

const DESC = {
  scatterGather: true,
  dma32BitAddresses: true,
  dma64BitAddresses: false,
  maximumLength: 0x100000,
};

/** The two KITCHEN_MINIMUM cases, laid out so that minimalCalls is reachable by deletion. */
function reachable(name: 'drops-map-registers' | 'devicedma-drops-last-byte'): Trace {
  const r = new Recorder({ device: KITCHEN_DEVICE }, false);
  const a = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: DESC });
  const start = (mdl: bigint): void =>
    void r.call('VideoPortStartDma', {
      vpDmaAdapter: a,
      mdl,
      offset: 0,
      pLength: 0x1000,
      executeDmaRoutine: 0xfffff80000a01000n,
      context: 0n,
      writeToDevice: true,
    });
  if (name === 'drops-map-registers') {
    r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n }); // noise
    const p = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x1000, tag: 1 });
    const common = { vpDmaAdapter: a, desiredLength: 0x1000, cacheEnabled: true, reserved: 0n };
    r.call('VideoPortAllocateCommonBuffer', common); // before the transfer starts
    start(r.ptr('VideoPortLockBuffer', { baseAddress: p, length: 0x1000, operation: 2 }));
    r.call('VideoPortGetDmaContext', { pDma: 0n }); // the third call after the buffer
  } else {
    const ioAddress = 0xe0000000n;
    const view = r.ptr('VideoPortGetDeviceBase', {
      ioAddress,
      numberOfUchars: 0x100000,
      inIoSpace: 0,
    });
    r.call('@write', { va: view + 0xff0n, data: Uint8Array.from({ length: 16 }, (_, i) => i + 1) });
    r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n }); // noise
    start(r.ptr('VideoPortLockBuffer', { baseAddress: view, length: 0x1000, operation: 2 }));
    const sg = r.call('@executeDma', { vpDmaAdapter: a }).out?.['sgList'] as bigint;
    r.call('@deviceDma', { sgList: sg, deviceAddress: 0xe0010000n });
  }
  return { header, calls: r.calls };
}

describe('where the kitchen sink cannot reach minimalCalls, a trace laid out for it does', () => {
  it.each(['drops-map-registers', 'devicedma-drops-last-byte'] as const)('%s', async (name) => {
    const m = MUTANTS.find((x) => x.name === name) as Mutant;
    const trace = reachable(name);
    const r = await minimizeMutant(m, trace);
    expect(r.stillFails).toBe(true);
    expect(r.calls).toBeLessThanOrEqual(m.minimalCalls);
    (reached['laid out'] ?? {})[name] = `${r.start} -> ${r.calls} (minimalCalls ${m.minimalCalls})`;
  });
});

describe.each([
  ['kitchen', (): Trace => ({ header, calls: kitchenSink(true) })],
  ['padded', padded],
] as const)('every mutant, minimized from the %s trace', (name, make) => {
  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const r = await minimizeMutant(m, make());
    expect(r.stillFails).toBe(true);
    expect(r.calls).toBeLessThanOrEqual(KITCHEN_MINIMUM[m.name] ?? m.minimalCalls);
    (reached[name] ?? {})[m.name] = `${r.start} -> ${r.calls} (minimalCalls ${m.minimalCalls})`;
  });
});

it('reaches these lengths (start -> repro)', () => {
  expect(reached).toMatchInlineSnapshot(`
    {
      "kitchen": {
        "associate-writes-vrp": "32 -> 1 (minimalCalls 1)",
        "bytes-used-remembered": "32 -> 2 (minimalCalls 2)",
        "completedma-from-device-fails": "32 -> 6 (minimalCalls 6)",
        "crash-on-double-free-pool": "32 -> 2 (minimalCalls 3)",
        "devicedma-drops-last-byte": "32 -> 8 (minimalCalls 7)",
        "dodma-signals-event": "32 -> 2 (minimalCalls 2)",
        "drops-map-registers": "32 -> 8 (minimalCalls 6)",
        "hang-on-signaled-wait": "32 -> 3 (minimalCalls 3)",
        "mapdma-corrupts-common-buffer": "32 -> 6 (minimalCalls 7)",
        "mapdma-user-mode-nonnull": "32 -> 1 (minimalCalls 1)",
        "mapdma-writes-length": "32 -> 1 (minimalCalls 1)",
        "startdma-ignores-offset": "32 -> 4 (minimalCalls 4)",
        "unmapdma-tears-down-view": "32 -> 2 (minimalCalls 2)",
      },
      "laid out": {
        "devicedma-drops-last-byte": "8 -> 7 (minimalCalls 7)",
        "drops-map-registers": "7 -> 5 (minimalCalls 6)",
      },
      "padded": {
        "associate-writes-vrp": "104 -> 1 (minimalCalls 1)",
        "bytes-used-remembered": "104 -> 2 (minimalCalls 2)",
        "completedma-from-device-fails": "104 -> 6 (minimalCalls 6)",
        "crash-on-double-free-pool": "104 -> 2 (minimalCalls 3)",
        "devicedma-drops-last-byte": "104 -> 8 (minimalCalls 7)",
        "dodma-signals-event": "104 -> 2 (minimalCalls 2)",
        "drops-map-registers": "104 -> 8 (minimalCalls 6)",
        "hang-on-signaled-wait": "104 -> 3 (minimalCalls 3)",
        "mapdma-corrupts-common-buffer": "104 -> 6 (minimalCalls 7)",
        "mapdma-user-mode-nonnull": "104 -> 1 (minimalCalls 1)",
        "mapdma-writes-length": "104 -> 1 (minimalCalls 1)",
        "startdma-ignores-offset": "104 -> 4 (minimalCalls 4)",
        "unmapdma-tears-down-view": "104 -> 2 (minimalCalls 2)",
      },
    }
  `);
});
