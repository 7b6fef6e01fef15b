// Violations name addresses as the target saw them (what its maintainer finds in their own
// logs), then as the trace names them where that differs; the oracle's numbers never show.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs, mapDmaArgs } from '../model/testDevice.js';
import type { CallOutcome, TraceCall } from '../model/values.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** A view, a driver write into it, then VideoPortMapDmaMemory handed the view. */
function trace(): { calls: TraceCall[]; view: bigint } {
  const r = new Recorder({}, false);
  const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(0x10000));
  r.call('@write', { va: view + 0x20n, data: Uint8Array.of(1, 2, 3, 4) });
  r.call('VideoPortMapDmaMemory', mapDmaArgs({ virtualAddress: view, inIoSpace: 2 }));
  return { calls: r.calls, view };
}

type Bug = 'clears-va' | 'writes-view' | 'drops-write';

/**
 * The model with every address elsewhere (the oracle's layout is the trace's), with one bug;
 * `view` is where the target put the view.
 */
function buggy(bug: Bug): { target: Target; view: () => bigint } {
  const inner = createModelTargetSync({
    device: resolveDevice({}),
    profile: 'docs',
    layout: 'alternate',
  });
  let view = 0n;
  const target: Target = {
    ...inner,
    call(c) {
      if (bug === 'drops-write' && c.fn === '@write') return {};
      const o: CallOutcome = inner.call(c);
      if (c.fn === 'VideoPortGetDeviceBase' && typeof o.ret === 'bigint') view = o.ret;
      if (c.fn !== 'VideoPortMapDmaMemory') return o;
      if (bug === 'clears-va') return { ...o, out: { ...o.out, virtualAddress: 0n } };
      if (bug === 'writes-view')
        inner.model.step('@write', { va: view + 0x10n, data: Uint8Array.of(0x5a) });
      return o;
    },
  };
  return { target, view: () => view };
}

describe('addresses in violations, for a target that puts things elsewhere', () => {
  it("an out-parameter: the target's value it was sent, then the trace's", async () => {
    const t = trace();
    const b = buggy('clears-va');
    const r = await replayTrace(emptyHeader(), t.calls, b.target);
    const both = `${hex(b.view())} (trace ${hex(t.view)})`;
    expect(b.view()).not.toBe(t.view);
    expect(r.violations[0]).toMatchObject({
      kind: 'map-dma-wrote-out-param',
      field: 'out.virtualAddress',
      message: `VideoPortMapDmaMemory wrote virtualAddress: ${both} became NULL`,
      expected: both,
      actual: 'NULL',
    });
  });

  it("memory an obsolete call changed: the target's address, then the trace's", async () => {
    const t = trace();
    const b = buggy('writes-view');
    const r = await replayTrace(emptyHeader(), t.calls, b.target);
    const v = r.violations.find((x) => x.kind === 'memory-corrupted');
    expect(v?.field).toBe(hex(b.view() + 0x10n));
    expect(v?.message).toContain(
      `changed memory at ${hex(b.view() + 0x10n)} (trace ${hex(t.view + 0x10n)})`,
    );
  });

  it("memory that differs from the oracle: the target's address, then the trace's", async () => {
    const t = trace();
    const b = buggy('drops-write');
    const r = await replayTrace(emptyHeader(), t.calls, b.target);
    const v = r.violations.find((x) => x.kind === 'memory-mismatch');
    expect(v?.field).toBe(hex(b.view() + 0x20n));
    const at = (base: bigint) => `${hex(base + 0x20n)}..${hex(base + 0x23n)}`;
    expect(v?.message).toContain(
      `memory at ${at(b.view())} (trace ${at(t.view)}) differs from the oracle`,
    );
  });
});
