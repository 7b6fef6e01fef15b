// MapMemory's *Length is a ULONG: the oracle's "maybe rounded up" answer, and the latitude a
// target's or a capture's answer gets, stay within 32 bits when the requested length is near
// 4 GiB (a large BAR mapped almost whole), where rounding to a page would need 2^32.
import { describe, expect, it } from 'vitest';
import { resolveDevice, type DeviceSpec } from '../model/device.js';
import type { TraceCall } from '../model/values.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const BAR = 0x4000000000n; // a 64-bit BAR above 4 GiB, as on x64 machines with large apertures
const DEVICE: DeviceSpec = {
  apertures: [{ name: 'framebuffer', base: BAR, length: 8 * 2 ** 30, space: 'memory' }],
};
const header = {
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device: DEVICE,
  meta: {},
} as const;
const U32_MAX = 0xffffffff;

function mapCall(bus: bigint, length: number, recorded?: number): TraceCall {
  const args = { hwDeviceExtension: 0xffffc88f3a2b1040n, physicalAddress: bus, length };
  return {
    fn: 'VideoPortMapMemory',
    args: { ...args, inIoSpace: 0, virtualAddress: 0n },
    ...(recorded === undefined
      ? {}
      : { ret: 0, out: { length: recorded, virtualAddress: 0xfffff80012340000n } }),
  };
}

function modelTarget(): Target {
  return createModelTargetSync({ device: resolveDevice(DEVICE), profile: 'docs' });
}

async function replay(call: TraceCall, target = modelTarget()) {
  const r = await replayTrace(header, [call], target);
  return r.violations.map((v) => `${v.kind} ${v.field}: ${v.message}`);
}

describe('VideoPortMapMemory *Length near 4 GiB', () => {
  it.each([
    ['at a page boundary', BAR, 0xfffff001],
    ['16 bytes into a page', BAR + 0x10n, U32_MAX],
  ])('the oracle answers a ULONG %s', (_, bus, length) => {
    const answer = modelTarget().call(mapCall(bus, length)) as {
      ret: number;
      out: { length: number };
    };
    expect(answer.ret).toBe(0);
    expect(answer.out.length).toBeGreaterThanOrEqual(length);
    expect(answer.out.length).toBeLessThanOrEqual(U32_MAX);
  });

  it('a capture that recorded the length or the ULONG maximum passes; a wrapped 0 names a ULONG', async () => {
    expect(await replay(mapCall(BAR, 0xfffff001, 0xfffff001))).toEqual([]);
    expect(await replay(mapCall(BAR, 0xfffff001, U32_MAX))).toEqual([]);
    const wrapped = await replay(mapCall(BAR, 0xfffff001, 0));
    expect(wrapped).toHaveLength(1);
    expect(wrapped[0]).toMatch(
      /^recorded-mismatch out\.length: .*recorded out\.length = 0; the docs oracle says (\d+)$/,
    );
    expect(Number(/says (\d+)$/.exec(wrapped[0] ?? '')?.[1])).toBeLessThanOrEqual(U32_MAX);
  });

  it('a target answering 2^32, which no ULONG holds, is a mismatch', async () => {
    const model = modelTarget();
    const target: Target = {
      ...model,
      call(c) {
        const got = model.call(c) as { ret: number; out: Record<string, unknown> };
        return { ...got, out: { ...got.out, length: 2 ** 32 } };
      },
    };
    const seen = await replay(mapCall(BAR, 0xfffff001), target);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^out-param-mismatch out\.length: /);
  });
});
