// The memory an obsolete call's arguments name is compared around it even when touched()
// claims nothing there.
import { describe, expect, it } from 'vitest';
import { describe as describeCall } from '../model/calls.js';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs, mapDmaArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { namedEdgeBytes, namedSpans } from './namedSpans.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const mapDma = describeCall('VideoPortMapDmaMemory');

describe('namedSpans', () => {
  const live = [
    { address: 0x1000n, length: 0x100 },
    { address: 0x10000n, length: 0x10000 },
  ];
  const rangeAt = (a: bigint) =>
    live.find((s) => a >= s.address && a < s.address + BigInt(s.length));
  const spans = (virtualAddress: bigint) =>
    namedSpans(mapDma?.args ?? [], mapDmaArgs({ virtualAddress }), rangeAt);

  it('takes a small range from the address whole, a large one at its head and tail', () => {
    expect(spans(0x1010n)).toEqual([{ address: 0x1010n, length: 0xf0 }]);
    expect(spans(0x18000n)).toEqual([
      { address: 0x18000n, length: namedEdgeBytes },
      { address: 0x20000n - BigInt(namedEdgeBytes), length: namedEdgeBytes },
    ]);
  });

  it('names nothing for NULL or an address outside live memory', () => {
    expect(spans(0n)).toEqual([]);
    expect(spans(0x1100n)).toEqual([]);
    expect(spans(0x30000n)).toEqual([]);
  });
});

describe('a MapDmaMemory that writes into the view it was handed and does not say so', () => {
  it('is memory-corrupted at that call, however the rotating sample falls', async () => {
    const r = new Recorder({}, false);
    const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(0x10000));
    r.call('VideoPortMapDmaMemory', mapDmaArgs({ virtualAddress: view }));
    r.call('@read', { va: view, length: 0x100 });
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const target: Target = {
      call(c) {
        const o = inner.call(c);
        if (c.fn === 'VideoPortMapDmaMemory') {
          inner.model.step('@write', { va: view + 0x10n, data: Uint8Array.of(0x5a) });
          inner.model.touched(); // left out of touched()
        }
        return o;
      },
      read: (address, length) => inner.read(address, length),
      state: () => inner.state?.() ?? {},
      touched: () => inner.model.touched(),
    };
    const res = await replayTrace(emptyHeader(), r.calls, target, { sampleBytes: 16 });
    const at = `0x${(view + 0x10n).toString(16)}`;
    expect(res.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`)[0]).toBe(
      `1 memory-corrupted ${at}`,
    );
    expect(res.violations[0]?.message).toContain(
      '(in the memory its arguments name, at virtualAddress+0x10)',
    );
  });
});
