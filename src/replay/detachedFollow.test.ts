// Once detached, the oracle's memory follows the target's writes (replay.ts followTarget): the
// target's bytes are what later checks start from, and a later call is not blamed for them.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { mapDmaArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

describe('once detached, the oracle follows what the target writes', () => {
  it('so an obsolete call claiming bytes the target wrote its own way is not blamed for them', async () => {
    const r = new Recorder({}, false);
    r.call('VideoPortCreateEvent', { eventFlag: 0 });
    const pool = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x100, tag: 1 });
    r.call('@write', { va: pool, data: Uint8Array.of(1, 2, 3, 4) });
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    let claim = false;
    const target: Target = {
      call(c) {
        if (c.fn === '@write')
          return inner.call({ ...c, args: { ...c.args, data: Uint8Array.of(9, 9, 9, 9) } });
        const o = inner.call(c);
        if (c.fn === 'VideoPortMapDmaMemory') claim = true;
        return c.fn === 'VideoPortCreateEvent' ? { ...o, ret: 87 } : o;
      },
      read: (address, length) => inner.read(address, length),
      state: () => inner.state?.() ?? {},
      // MapDmaMemory claims four bytes it did not change (an unchanged range is allowed).
      touched() {
        const t = inner.model.touched();
        if (!claim) return t;
        claim = false;
        return [{ address: pool, length: 4 }];
      },
    };
    const got = await replayTrace(emptyHeader(), r.calls, target);
    expect(got.detachedAt).toBe(0);
    expect(got.violations.map((v) => `${v.callIndex} ${v.kind}`)).toEqual(['0 return-mismatch']);
  });
});
