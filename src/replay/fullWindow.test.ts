import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs, mapDmaArgs } from '../model/testDevice.js';
import type { TraceCall } from '../model/values.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const header = emptyHeader();
const viewBytes = 0x10000;
const flippedAt = 0xa123;
const mapDmaCalls = 24;

/** A 64 KiB view of the frame buffer, then MapDmaMemory again and again. */
function trace(): { calls: TraceCall[]; view: bigint } {
  const r = new Recorder({}, false);
  const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(viewBytes));
  for (let i = 0; i < mapDmaCalls; i++) {
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
  }
  return { calls: r.calls, view };
}

/**
 * The model without touched() (so the inert checks read live memory before and after each
 * call), whose MapDmaMemory flips one byte of the view, counting the bytes read.
 */
function corrupting(view: bigint): { target: Target; read: number[] } {
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  const read: number[] = [];
  const target: Target = {
    call(c) {
      const o = inner.call(c);
      if (c.fn === 'VideoPortMapDmaMemory') {
        read.push(0);
        const va = view + BigInt(flippedAt);
        const old = inner.model.read(va, 1)?.[0] ?? 0;
        inner.model.step('@write', { va, data: new Uint8Array([old ^ 0x5a]) });
      }
      return o;
    },
    read(address, length) {
      if (read.length > 0) read[read.length - 1] = (read[read.length - 1] ?? 0) + length;
      return inner.read(address, length);
    },
    state: () => inner.state?.() ?? {},
  };
  return { target, read };
}

describe('inert checks over a bounded window (ReplayOptions.fullBytesMax)', () => {
  it('without a limit, the first corrupting call is caught reading all live memory', async () => {
    const { calls, view } = trace();
    const { target, read } = corrupting(view);
    const r = await replayTrace(header, calls, target);
    const v = r.violations.filter((x) => x.kind === 'memory-corrupted');
    expect(v[0]?.callIndex).toBe(1);
    expect(read[0]).toBeGreaterThanOrEqual(2 * viewBytes);
  });

  it('with a 4 KiB window, each call reads at most the window and the rotation finds the byte', async () => {
    const { calls, view } = trace();
    const { target, read } = corrupting(view);
    const r = await replayTrace(header, calls, target, { fullBytesMax: 0x1000 });
    const first = r.violations.find((x) => x.kind === 'memory-corrupted');
    // The window reaches 0xa123 on the 11th MapDmaMemory (call 11: windows 0x0, 0x1000, ...).
    expect(first?.callIndex).toBe(1 + Math.floor(flippedAt / 0x1000));
    expect(first?.message).toContain(`0x${(view + BigInt(flippedAt)).toString(16)}`);
    // Around each call (the last entry also holds the final sweep of all live memory).
    expect(Math.max(...read.slice(0, -1))).toBeLessThanOrEqual(2 * 0x1000);
  });
});
