// The C process target on a machine of today's sizes: RAM and a BAR above 4 GiB. It answers as
// the model does where a ULONG or a 32-bit device bounds the answer. (Built once by
// test/buildCTarget.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDevice, type DeviceSpec } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import { allocatePool, getAdapter, lockPool, startDma } from '../../src/model/testDevice.js';
import type { Struct, TraceCall } from '../../src/model/values.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import type { Target } from '../../src/replay/target.js';
import { BINARY } from './testKit.js';

const children: ProcessChild[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

/** Replays `calls` against the C target; the violations, and each @executeDma's elements. */
async function replayC(device: DeviceSpec, calls: readonly TraceCall[]) {
  const options = { command: `'${BINARY}'`, device: resolveDevice(device), profile: 'docs' };
  const child = await createProcessTarget({ ...options, timeoutMs: 5000 });
  children.push(child.child);
  const lists: Struct[][] = [];
  const target: Target = {
    ...child,
    call: async (c) => {
      const o = await child.call(c);
      if (c.fn === '@executeDma') lists.push((o.out?.['elements'] ?? []) as Struct[]);
      return o;
    },
  };
  const header = { format: 'vpdma-trace', version: 1, profile: 'docs', device, meta: {} } as const;
  const r = await replayTrace(header, calls, target);
  return { seen: r.violations.map((v) => `${v.kind} #${v.callIndex}: ${v.message}`), lists };
}

describe('the C target with 8 GiB of RAM and a BAR above 4 GiB', () => {
  it('maps almost 4 GiB of the BAR with *Length still a ULONG, as the model', async () => {
    // Rounded to a page, 0xfffff001 bytes would need 2^32, which *Length (a ULONG) cannot hold.
    const bar = { name: 'framebuffer', base: 0x4000000000n, length: 2 ** 33, space: 'memory' };
    const device = { apertures: [bar] } as DeviceSpec;
    const map = { physicalAddress: bar.base, length: 0xfffff001, inIoSpace: 0, virtualAddress: 0n };
    // Unmapped again (the oracle's address): a view left live is read whole at the end.
    const unmap = { virtualAddress: 0xffffc00000000000n, processHandle: 0n };
    const { seen } = await replayC(device, [
      { fn: 'VideoPortMapMemory', args: map },
      { fn: 'VideoPortUnmapMemory', args: unmap },
    ]);
    expect(seen).toEqual([]);
  });

  it('lists pages above 4 GiB to a 32-bit adapter below 4 GiB, as the model', async () => {
    // Four 1 GiB pool blocks first, so the locked block's pages lie above 4 GiB.
    const device = { systemMemoryBytes: 2 ** 33, dma: { dma64BitAddresses: true } };
    const r = new Recorder({ device });
    const adapter = getAdapter(r, { dma64BitAddresses: false });
    const blocks = [0, 1, 2, 3].map(() => allocatePool(r, 2 ** 30));
    const { mdl } = lockPool(r, 0x3000);
    startDma(r, adapter, mdl, { length: 0x3000, writeToDevice: true });
    r.call('@executeDma', { vpDmaAdapter: adapter });
    // Freed again: live pool is read whole at the end.
    for (const ptr of blocks) r.call('VideoPortFreePool', { ptr });
    const { seen, lists } = await replayC(device, r.calls);
    expect(seen).toEqual([]);
    const at = lists.flat().map((e) => e['address'] as bigint);
    expect(at.length).toBeGreaterThan(0);
    for (const a of at) expect(a < 0x100000000n).toBe(true);
  });
});
