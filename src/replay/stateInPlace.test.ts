// A target (handed to the Replayer in this thread) whose state() answers one live object that
// it changes in place: an obsolete call's change must still be seen, however many times the
// same object comes back.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { mapDmaArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

describe('a state object changed in place', () => {
  it('is compared as it was before the call, not as it is after', async () => {
    const r = new Recorder({}, false);
    for (let i = 0; i < 3; i++) r.call('VideoPortMapDmaMemory', mapDmaArgs());
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const live = { adapters: [{ handle: 1n, mapRegistersUsed: 0 }] };
    let maps = 0;
    const target: Target = {
      call(c) {
        // The second MapDmaMemory takes a map register: the adapter changed.
        if (c.fn === 'VideoPortMapDmaMemory' && ++maps === 2)
          (live.adapters[0] as { mapRegistersUsed: number }).mapRegistersUsed = 1;
        return inner.call(c);
      },
      read: (address, length) => inner.read(address, length),
      state: () => live,
      touched: () => inner.model.touched(),
    };
    const res = await replayTrace(emptyHeader(), r.calls, target);
    expect(res.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`)).toEqual([
      '1 transfer-state-changed state.adapters',
    ]);
  });
});
