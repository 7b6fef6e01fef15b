// A crash minimized keeps its title (replay/crashTitle.ts): the fixture's StartDma crashes on
// a put adapter (the case's bug) and on a NULL MDL (a shorter repro). "Same kind in the same
// function" alone slid from the first to the second: every use-after-put found by a probe's
// campaign came out as a 2-call repro of another crash.
import { describe, expect, it } from 'vitest';
import { EXECUTE_DMA_ROUTINE } from '../core/constants.js';
import { minimize } from '../minimize/minimize.js';
import { Recorder } from '../model/recorder.js';
import { crashTitle } from '../replay/crashTitle.js';
import { InlineExecutor } from '../replay/executor.js';
import type { ReplaySettings } from '../replay/protocol.js';
import {
  pickViolation,
  replayTraces,
  signatureOf,
  stillFailsPredicate,
  type FailureSignature,
} from '../replay/stillFails.js';
import type { Trace } from '../trace/trace.js';
import { KITCHEN_DEVICE, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';

const settings: ReplaySettings = {
  target: 'module:test/fixtures/two-crashes-target.mjs',
  profile: 'docs',
  paranoid: false,
  timeoutMs: 1000,
  sampleBytes: 512,
};

/** A driver that starts a transfer on an adapter it has put, among unrelated calls. */
function useAfterPut(): Trace {
  const r = new Recorder({ device: KITCHEN_DEVICE }, false);
  const description = {
    scatterGather: true,
    dma32BitAddresses: true,
    dma64BitAddresses: false,
    maximumLength: 0x100000,
  };
  const a = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n });
  const pool = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x2000, tag: 7 });
  r.call('@write', { va: pool + 0x10n, data: Uint8Array.of(1, 2, 3, 4) });
  const mdl = r.ptr('VideoPortLockBuffer', { baseAddress: pool, length: 0x2000, operation: 2 });
  r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
  r.call('VideoPortStartDma', {
    vpDmaAdapter: a,
    mdl,
    offset: 0,
    pLength: 0x1000,
    executeDmaRoutine: EXECUTE_DMA_ROUTINE,
    context: 0n,
    writeToDevice: true,
  });
  return { header: KITCHEN_HEADER, calls: r.calls };
}

async function firstCrash(t: Trace): Promise<string | undefined> {
  const [r] = await replayTraces(new InlineExecutor(), settings, [t]);
  const v = r?.result === undefined ? undefined : pickViolation(r.result);
  return v?.kind === 'target-crashed' ? crashTitle(v.message) : undefined;
}

async function minimized(trace: Trace, failure: FailureSignature): Promise<Trace> {
  const executor = new InlineExecutor();
  const stillFails = stillFailsPredicate({ executor, settings, failure });
  const r = await minimize(trace, stillFails, { attemptsMax: 2000, failingIndex: 6 });
  return r.trace;
}

describe('a crash minimized', () => {
  const useAfter = 'VideoPortStartDma: the target threw Error: use after put: adapter #';

  it('keeps its title, not another crash of the same function', async () => {
    const original = useAfterPut();
    expect(await firstCrash(original)).toBe(useAfter);
    const [r] = await replayTraces(new InlineExecutor(), settings, [original]);
    const v = r?.result === undefined ? undefined : pickViolation(r.result);
    expect(v).toBeDefined();
    const repro = await minimized(original, signatureOf(v as NonNullable<typeof v>));
    expect(await firstCrash(repro)).toBe(useAfter);
    // The adapter's value stays when its GetDmaAdapter goes: put, then started.
    expect(repro.calls.map((c) => c.fn).slice(-2)).toEqual([
      'VideoPortPutDmaAdapter',
      'VideoPortStartDma',
    ]);
  });

  it('slides to the shorter crash when only its kind and function must stay', async () => {
    const repro = await minimized(useAfterPut(), {
      kind: 'target-crashed',
      fn: 'VideoPortStartDma',
    });
    expect(await firstCrash(repro)).toBe(
      'VideoPortStartDma: the target threw TypeError: cannot read the MDL at 0x0',
    );
    expect(repro.calls.map((c) => c.fn)).not.toContain('VideoPortPutDmaAdapter');
  });
});
