import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { mapDmaArgs } from '../model/testDevice.js';
import type { TraceCall } from '../model/values.js';
import { emptyHeader } from '../trace/trace.js';
import { vrpEdgeBytes } from './inertCheck.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const header = emptyHeader();
// A request packet whose buffers are in the calling process's memory.
const input = 0x200000n;
const output = 0x400000n;
const bufferBytes = 0x40000;

/** A driver fills both buffers, then calls MapDmaMemory with the packet (twice). */
function trace(maps = 2): TraceCall[] {
  const r = new Recorder({}, false);
  r.call('@write', { va: input, data: new Uint8Array(0x2000).fill(0x11) });
  r.call('@write', { va: output + 0x20000n, data: new Uint8Array(0x100).fill(0x22) });
  for (let i = 0; i < maps; i++) {
    const pVrp = {
      ioControlCode: 0x232000,
      statusBlock: 0n,
      inputBuffer: input,
      inputBufferLength: bufferBytes,
      outputBuffer: output,
      outputBufferLength: bufferBytes,
    };
    r.call('VideoPortMapDmaMemory', mapDmaArgs({ pVrp }));
  }
  return r.calls;
}

type Reporting = 'touched' | 'hidden' | 'none';

/**
 * The model, whose MapDmaMemory flips the byte at `va`: reported by touched(), hidden from
 * it (touched() lies), or without touched() at all (the harness reads everything). `reads`:
 * the length of every read once the buffers are filled.
 */
function corrupting(va: bigint, reporting: Reporting): { target: Target; reads: number[] } {
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  const reads: number[] = [];
  let hide = false;
  let calls = 0;
  const target: Target = {
    call(c) {
      calls++;
      const o = inner.call(c);
      if (c.fn === 'VideoPortMapDmaMemory') {
        const old = inner.model.read(va, 1)?.[0] ?? 0;
        inner.model.step('@write', { va, data: new Uint8Array([old ^ 0x5a]) });
        hide = reporting === 'hidden';
      }
      return o;
    },
    read(address, length) {
      if (calls >= 2) reads.push(length); // from the checks around the MapDmaMemory calls on
      return inner.read(address, length);
    },
    state: () => inner.state?.() ?? {},
  };
  if (reporting !== 'none') {
    target.touched = () => {
      const t = inner.model.touched();
      const out = hide ? [] : t;
      hide = false;
      return out;
    };
  }
  return { target, reads };
}

const firstCorruption = async (
  va: bigint,
  reporting: Reporting,
  paranoid = false,
  maps = 2,
): Promise<{ index: number | undefined; message: string; readMax: number }> => {
  const { target, reads } = corrupting(va, reporting);
  const r = await replayTrace(header, trace(maps), target, { paranoid });
  const v = r.violations.find((x) => x.kind === 'memory-corrupted');
  return { index: v?.callIndex, message: v?.message ?? '', readMax: Math.max(0, ...reads) };
};

describe("the request packet's buffers around an obsolete call", () => {
  it('a write touched() reports is caught anywhere in them, without reading them whole', async () => {
    // One call: after it, the target is apart from the oracle and later calls are checked
    // against themselves, by reading everything.
    const got = await firstCorruption(output + 0x20010n, 'touched', false, 1);
    expect(got.index).toBe(2);
    expect(got.message).toContain('reported by touched()');
    expect(got.message).toContain('0x420010');
    // Only the buffers' edges (and the touched byte) are read, not 2 x 256 KiB.
    expect(got.readMax).toBeLessThanOrEqual(vrpEdgeBytes);
  });

  it.each([
    ['head', input + 3n],
    ['tail', input + BigInt(bufferBytes - 1)],
    ['head of the output buffer', output],
  ])('a write touched() hides is still caught at the %s', async (_where, va) => {
    const got = await firstCorruption(va, 'hidden');
    expect(got.index).toBe(2);
    expect(got.message).toContain(`0x${va.toString(16)}`);
  });

  it('a hidden write in the middle is caught by --paranoid and by a target without touched()', async () => {
    const middle = input + 0x1234n;
    for (const [reporting, paranoid] of [
      ['hidden', true],
      ['none', false],
    ] as const) {
      const got = await firstCorruption(middle, reporting, paranoid);
      expect(got.index, reporting).toBe(2);
      expect(got.message).toContain('full comparison');
      expect(got.readMax).toBeGreaterThanOrEqual(bufferBytes);
    }
  });

  it('finds nothing when MapDmaMemory leaves the buffers alone', async () => {
    const target = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const r = await replayTrace(header, trace(), target, { paranoid: true });
    expect(r.violations).toEqual([]);
  });
});
