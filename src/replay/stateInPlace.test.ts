// A target (handed to the Replayer in this thread) whose state() answers one live object that
// it changes in place: an obsolete call's change must still be seen, however many times the
// same object comes back, and even when that object is frozen at the top (its lists are not).
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { mapDmaArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target, TargetState } from './target.js';

const answers = {
  'the live object': (live: TargetState) => live,
  'the live object frozen at the top': (live: TargetState) => Object.freeze({ ...live }),
};

describe('a state object changed in place', () => {
  it.each(Object.entries(answers))(
    'is compared as it was before the call: %s',
    async (_, answer) => {
      const r = new Recorder({}, false);
      for (let i = 0; i < 3; i++) r.call('VideoPortMapDmaMemory', mapDmaArgs());
      const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
      const live = { adapters: [{ handle: 1n, mapRegistersUsed: 0 }] };
      const answered = answer(live);
      let maps = 0;
      const target: Target = {
        call(c) {
          // The second MapDmaMemory takes a map register: the adapter changed.
          if (c.fn === 'VideoPortMapDmaMemory' && ++maps === 2)
            (live.adapters[0] as { mapRegistersUsed: number }).mapRegistersUsed = 1;
          return inner.call(c);
        },
        read: (address, length) => inner.read(address, length),
        state: () => answered,
        touched: () => inner.model.touched(),
      };
      const res = await replayTrace(emptyHeader(), r.calls, target);
      expect(res.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`)).toEqual([
        '1 transfer-state-changed state.adapters',
      ]);
    },
  );
});
