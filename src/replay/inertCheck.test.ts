// The inert checks (inertCheck.ts): every wrong value of an obsolete call is its own violation,
// a wrong return value hiding no written out-parameter; and a change to any field of a live
// object is one.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs, getAdapter, lockPool, mapDmaArgs, startDma } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

describe('an obsolete call that answers wrongly in more than one value', () => {
  it('is reported for its return value and for the out-parameter it wrote', async () => {
    const r = new Recorder({}, false);
    const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(0x1000));
    r.call('VideoPortMapDmaMemory', mapDmaArgs({ virtualAddress: view }));
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const target: Target = {
      call(c) {
        const o = inner.call(c);
        if (c.fn !== 'VideoPortMapDmaMemory') return o;
        return { ...o, ret: 0x7ff000000000n, out: { ...o.out, length: 0 } };
      },
      read: (address, length) => inner.read(address, length),
      state: () => inner.state?.() ?? {},
    };
    const got = await replayTrace(emptyHeader(), r.calls, target);
    expect(got.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`)).toEqual([
      '1 map-dma-returned-non-null ret',
      '1 map-dma-wrote-out-param out.length',
    ]);
  });
});

describe('an obsolete call that changes only the state of an in-flight transfer', () => {
  it('is transfer-state-changed, naming the transfers', async () => {
    const r = new Recorder({}, false);
    const adapter = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    expect(startDma(r, adapter, mdl, { length: 0x1000, writeToDevice: true }).ret).toBe(0);
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const target: Target = {
      call(c) {
        const o = inner.call(c);
        if (c.fn !== 'VideoPortMapDmaMemory') return o;
        // Its list handed to HwVidExecuteDma, says the target: nothing else changes.
        for (const t of inner.model.state.transfers.values()) t.state = 'delivered';
        inner.model.state.bump();
        return o;
      },
      read: (address, length) => inner.read(address, length),
      state: () => inner.state?.() ?? {},
    };
    const got = await replayTrace(emptyHeader(), r.calls, target);
    expect(got.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`)).toEqual([
      `${r.calls.length - 1} transfer-state-changed state.transfers`,
    ]);
  });
});
