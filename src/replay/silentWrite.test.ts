// A write the target leaves out of touched(): --paranoid (all live memory compared after every
// call) finds it at the call that made it; without, the final sweep of all live memory finds it
// at the end, whatever was found before.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs, mapDmaArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

/** Far from the start of the view, where the rotating sample begins. */
const silentAt = 0x8000n;

/**
 * A 64 KiB view, (if `wrongFirst`, a MapDmaMemory the target answers wrongly), CreateEvent,
 * AllocatePool, replayed against the model with touched() whose CreateEvent flips a byte of
 * the view and leaves it out of touched(): the violations found.
 */
async function found(paranoid: boolean, wrongFirst = false): Promise<string[]> {
  const r = new Recorder({}, false);
  const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(0x10000));
  if (wrongFirst) r.call('VideoPortMapDmaMemory', mapDmaArgs());
  r.call('VideoPortCreateEvent', { eventFlag: 0 });
  r.call('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x100, tag: 1 });
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  const target: Target = {
    call(c) {
      const o = inner.call(c);
      if (c.fn === 'VideoPortMapDmaMemory') return { ...o, ret: 0x7ff000000000n };
      if (c.fn !== 'VideoPortCreateEvent') return o;
      const va = view + silentAt;
      const data = Uint8Array.of((inner.model.read(va, 1)?.[0] ?? 0) ^ 1);
      inner.model.step('@write', { va, data });
      inner.model.touched(); // its bookkeeping missed the write
      return o;
    },
    read: (address, length) => inner.read(address, length),
    state: () => inner.state?.() ?? {},
    touched: () => inner.model.touched(),
  };
  const got = await replayTrace(emptyHeader(), r.calls, target, { paranoid });
  return got.violations.map((v) => `${v.callIndex} ${v.kind}`);
}

describe('a write touched() left out', () => {
  it('--paranoid: is found at the call that made it', async () => {
    expect(await found(true)).toEqual(['1 memory-mismatch']);
  });

  it('without: is found by the final sweep, after an earlier violation too', async () => {
    expect(await found(false)).toEqual(['2 memory-mismatch']);
    expect(await found(false, true)).toEqual(['1 map-dma-returned-non-null', '3 memory-mismatch']);
  });
});
