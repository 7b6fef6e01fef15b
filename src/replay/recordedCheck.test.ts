// When a captured trace's recorded values stop being compared with the oracle: at a
// disagreement that changed the oracle, or at misuse; never for an obsolete call, whose
// documented answer is a constant, so an unrelated earlier disagreement cannot hide it.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import type { TraceCall } from '../model/values.js';
import { kitchenSink, KITCHEN_DEVICE } from '../../test/support/kitchenSink.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';

const header = {
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device: KITCHEN_DEVICE,
  meta: {},
} as const;

/** The kitchen sink, captured, with the recorded answers of some calls changed. */
async function replayTampered(
  change: Record<number, (c: TraceCall) => TraceCall>,
  also: (c: TraceCall, i: number) => TraceCall = (c) => c,
) {
  const calls = kitchenSink(true).map((c, i) => also(change[i]?.(c) ?? c, i));
  const target = createModelTargetSync({ device: resolveDevice(KITCHEN_DEVICE), profile: 'docs' });
  const r = await replayTrace(header, calls, target);
  return { r, seen: r.violations.map((v) => `${v.callIndex} ${v.fn} ${v.kind} ${v.field}`) };
}

describe('recorded values', () => {
  it('a wrong answer to an obsolete call does not hide a later one', async () => {
    const { r, seen } = await replayTampered({
      9: (c) => ({ ...c, out: { ...c.out, inIoSpace: 99 } }),
      10: (c) => ({ ...c, ret: 0x1234n }),
    });
    expect(seen).toEqual([
      '9 VideoPortMapDmaMemory recorded-mismatch out.inIoSpace',
      '10 VideoPortMapDmaMemory recorded-mismatch ret',
    ]);
    // Only the double FreePool at its end stopped the comparison.
    expect([r.recordedDetachedAt, r.recordedDetachedBy]).toEqual([31, 'misuse']);
  });

  it('stop at a disagreement that changed the oracle, but for obsolete calls', async () => {
    const { r, seen } = await replayTampered({
      7: (c) => ({ ...c, out: { pLength: 0x8000 } }), // StartDma: a transfer started
      14: (c) => ({ ...c, ret: 87 }), // CompleteDma: no longer compared
      22: (c) => ({ ...c, ret: 5 }), // GetBytesUsed: obsolete, always 0
      25: (c) => ({ ...c, ret: true }), // UnmapDmaMemory: obsolete, always FALSE
    });
    expect(seen).toEqual([
      '7 VideoPortStartDma recorded-mismatch out.pLength',
      '22 VideoPortGetBytesUsed recorded-mismatch ret',
      '25 VideoPortUnmapDmaMemory recorded-mismatch ret',
    ]);
    expect([r.recordedDetachedAt, r.recordedDetachedBy]).toEqual([7, 'divergence']);
  });

  it('a disagreement at a call that changed nothing in the oracle does not stop them', async () => {
    const { r, seen } = await replayTampered({
      19: (c) => ({ ...c, ret: new Uint8Array(64) }), // @read: reads change nothing
      27: (c) => ({ ...c, ret: 0x102 }), // WaitForSingleObject: STATUS_TIMEOUT
    });
    expect(seen).toEqual([
      '19 @read recorded-mismatch ret',
      '27 VideoPortWaitForSingleObject recorded-mismatch ret',
    ]);
    // The wait took the event's signal, so the oracle changed there.
    expect([r.recordedDetachedAt, r.recordedDetachedBy]).toEqual([27, 'divergence']);
  });

  it("never reads a call's meta: the same verdicts with and without it", async () => {
    const tamper = { 7: (c: TraceCall) => ({ ...c, out: { pLength: 0x8000 } }) };
    const plain = await replayTampered(tamper);
    // Meta on every call, and one that names replay's own words.
    const withMeta = await replayTampered(tamper, (c, i) => ({
      ...c,
      meta: { tid: i, ret: 'recorded-mismatch', args: { ptr: '0x0' } },
    }));
    expect(withMeta.seen).toEqual(plain.seen);
    expect(withMeta.r).toEqual(plain.r);
  });
});
