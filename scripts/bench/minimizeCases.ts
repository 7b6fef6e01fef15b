// The traces and the harness the minimizer's canary tests (src/minimize/canaries.test.ts) and
// its benchmark (minimize.ts) share: every bundled mutant minimized against the real replayer
// from the kitchen sink, from a padded kitchen sink, and from traces laid out for the two
// mutants whose minimalCalls the kitchen sink cannot reach.
import { EXECUTE_DMA_ROUTINE } from '../../src/core/constants.js';
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';
import {
  minimize,
  type MinimizeOptions,
  type MinimizeResult,
} from '../../src/minimize/minimize.js';
import type { Executor } from '../../src/replay/executor.js';
import { InlineExecutor } from '../../src/replay/executor.js';
import { kitchenSink, KITCHEN_DEVICE, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import type { Mutant } from '../../src/replay/mutants.js';
import type { ReplaySettings } from '../../src/replay/protocol.js';
import {
  pickViolation,
  replayTraces,
  signatureOf,
  stillFailsPredicate,
  type FailureSignature,
} from '../../src/replay/stillFails.js';
import type { Trace } from '../../src/trace/trace.js';

export const header = KITCHEN_HEADER;

export const kitchen = (): Trace => ({ header, calls: kitchenSink(true) });

/**
 * Calls of the shortest repro minimization can reach from the kitchen sink by deleting calls,
 * simplifying arguments and swapping (a call removed while another takes another of its table
 * values), where that is more than the mutant's minimalCalls. Deletion keeps the order of
 * calls, and simplification moves a value only toward NULL or the table's first hints; each
 * shorter repro needs a call order or a value the sink does not have:
 * - mapdma-corrupts-common-buffer (6; 5 locks the common buffer or a user buffer): the sink
 *   locks a pool block, and allocates its common buffer only after StartDma.
 * - drops-map-registers (8; 5): the bug fires on the third call after a cache-enabled
 *   AllocateCommonBuffer, and the sink allocates the buffer after StartDma, so the adapter,
 *   pool, lock, StartDma, the buffer, two calls and the inert call all stay. With the buffer
 *   allocated first it takes 5, see laidOut().
 * - devicedma-drops-last-byte (8; 7): the dropped byte is only visible through a view of the
 *   framebuffer, and the sink's transfer comes from a pool, so a view stays beside the pool.
 *   From a view it takes 7, see laidOut().
 * - startdma-ignores-offset (4; 3) and completedma-from-device-fails (6; 5): the sink locks a
 *   pool block; LockBuffer of a user buffer needs no allocation (mutants.ts, 4467c8f).
 */
export const KITCHEN_MINIMUM: Readonly<Record<string, number>> = {
  'mapdma-corrupts-common-buffer': 6,
  'drops-map-registers': 8,
  'devicedma-drops-last-byte': 8,
  'startdma-ignores-offset': 4,
  'completedma-from-device-fails': 6,
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

const DESC = {
  scatterGather: true,
  dma32BitAddresses: true,
  dma64BitAddresses: false,
  maximumLength: 0x100000,
};

/** The two KITCHEN_MINIMUM cases, laid out so that minimalCalls is reachable by deletion. */
export function laidOut(name: 'drops-map-registers' | 'devicedma-drops-last-byte'): Trace {
  const r = new Recorder({ device: KITCHEN_DEVICE }, false);
  const a = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: DESC });
  const start = (mdl: bigint): void =>
    void r.call('VideoPortStartDma', {
      vpDmaAdapter: a,
      mdl,
      offset: 0,
      pLength: 0x1000,
      executeDmaRoutine: EXECUTE_DMA_ROUTINE,
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

export const settingsFor = (m: Mutant): ReplaySettings => ({
  target: `mutant:${m.name}`,
  profile: 'docs',
  paranoid: false,
  timeoutMs: 100,
  sampleBytes: 512,
});

export interface MutantRun {
  readonly start: number;
  readonly failure: FailureSignature | undefined;
  readonly result?: MinimizeResult;
  readonly ms: number;
  /** The repro, replayed once more, fails the same way. */
  readonly stillFails: boolean;
}

/** Replays the trace against the mutant, then minimizes its first violation. */
export async function minimizeMutant(
  m: Mutant,
  trace: Trace,
  options: Partial<MinimizeOptions> = {},
  executor: Executor = new InlineExecutor(),
): Promise<MutantRun> {
  const settings = settingsFor(m);
  const [first] = await replayTraces(executor, settings, [trace]);
  const v = first?.result === undefined ? undefined : pickViolation(first.result);
  const start = trace.calls.length;
  if (v === undefined) return { start, failure: undefined, ms: 0, stillFails: false };
  // The CLI's and the fuzzer's "same way" (a crash: also its title).
  const failure = signatureOf(v);
  const stillFails = stillFailsPredicate({ executor, settings, failure });
  const t0 = performance.now();
  const result = await minimize(trace, stillFails, {
    attemptsMax: 5000,
    failingIndex: v.callIndex,
    ...options,
  });
  const ms = performance.now() - t0;
  const [again] = await stillFails([result.trace]);
  return { start, failure, result, ms, stillFails: again === true };
}
