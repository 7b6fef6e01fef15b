// One value for two live objects (clash.ts): a capture that records it is wrong at that call
// (recorded-mismatch), a target that returns it too (return- or out-param-mismatch); a value
// used again after its object was freed is reuse, not a clash.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import type { CallOutcome, Struct, TraceCall } from '../model/values.js';
import { KITCHEN_DEVICE, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { Explainer } from './explain.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const description: Struct = {
  scatterGather: true,
  dma32BitAddresses: true,
  dma64BitAddresses: false,
  maximumLength: 0x1000,
};

/** Two adapters got (the second put first unless `putBetween`), then both put. */
function twoAdapters(putBetween: boolean, captured = true): TraceCall[] {
  const r = new Recorder({ device: KITCHEN_DEVICE }, captured);
  const a = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  if (putBetween) r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
  const b = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: b });
  if (!putBetween) r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
  return r.calls;
}

function twoEvents(): TraceCall[] {
  const r = new Recorder({ device: KITCHEN_DEVICE });
  r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n });
  r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n });
  return r.calls;
}

const model = (): Target =>
  createModelTargetSync({ device: resolveDevice(KITCHEN_DEVICE), profile: 'docs' });

/** The model, answering the `at`th call of `fn` with what `change` makes of its answer. */
function answering(
  fn: string,
  at: number,
  change: (got: CallOutcome, first: CallOutcome) => CallOutcome,
): Target {
  const t = model();
  const seen: CallOutcome[] = [];
  return {
    ...t,
    call: (c) => {
      const got = t.call(c) as CallOutcome;
      if (c.fn !== fn) return got;
      seen.push(got);
      return seen.length === at + 1 && seen[0] !== undefined ? change(got, seen[0]) : got;
    },
  };
}

const seen = (r: { violations: readonly { callIndex: number; kind: string; field?: string }[] }) =>
  r.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field}`);

describe('one value for two live objects', () => {
  it('a capture recording a live adapter handle again is wrong there, naming the earlier call', async () => {
    const calls = twoAdapters(false);
    calls[1] = { ...(calls[1] as TraceCall), ret: calls[0]?.ret ?? 0n };
    const r = await replayTrace(KITCHEN_HEADER, calls, model());
    expect(seen(r)).toEqual(['1 recorded-mismatch ret']);
    expect(r.violations[0]?.message).toContain(
      'call 0 produced it for an adapter that is still live',
    );
    expect([r.recordedDetachedAt, r.recordedDetachedBy]).toEqual([1, 'divergence']);
  });

  it('an out-parameter too (an event)', async () => {
    const calls = twoEvents();
    calls[1] = { ...(calls[1] as TraceCall), out: calls[0]?.out ?? {} };
    const r = await replayTrace(KITCHEN_HEADER, calls, model());
    expect(seen(r)).toEqual(['1 recorded-mismatch out.ppEvent']);
  });

  it('the same value after its object was freed is reuse: no violation', async () => {
    const calls = twoAdapters(true);
    calls[2] = { ...(calls[2] as TraceCall), ret: calls[0]?.ret ?? 0n };
    const r = await replayTrace(KITCHEN_HEADER, calls, model());
    expect(r.violations).toEqual([]);
    expect(r.outcome).toBe('pass');
  });

  it('a target returning a live adapter handle again: return-mismatch', async () => {
    const target = answering('VideoPortGetDmaAdapter', 1, (_got, first) => first);
    const r = await replayTrace(KITCHEN_HEADER, twoAdapters(false, false), target);
    expect(seen(r)).toEqual(['1 return-mismatch ret']);
    expect(r.violations[0]?.message).toMatch(
      /^VideoPortGetDmaAdapter ret: returned 0x[0-9a-f]+ for a new adapter, but call 0/,
    );
    expect(r.detachedAt).toBe(1);
  });

  it('a target writing a live event handle again: out-param-mismatch', async () => {
    const target = answering('VideoPortCreateEvent', 1, (got, first) => ({
      ...got,
      out: first.out ?? {},
    }));
    const r = await replayTrace(KITCHEN_HEADER, twoEvents(), target);
    expect(seen(r)).toEqual(['1 out-param-mismatch out.ppEvent']);
  });
});

/** --explain's text of a replay of `calls` against the model. */
async function explainedText(calls: TraceCall[]): Promise<string> {
  const out: string[] = [];
  const ex = new Explainer(
    't.jsonl',
    (i) => i + 2,
    (t) => void out.push(t),
  );
  ex.end(await replayTrace(KITCHEN_HEADER, calls, model(), ex.hooks()));
  return out.join('');
}

describe("--explain after a capture's clash", () => {
  it('puts a misuse through the clashed value on the capture, not the driver', async () => {
    // Call 1 recorded call 0's handle for the second adapter; both puts then pass that value.
    const calls = twoAdapters(false);
    const a = calls[0]?.ret;
    if (typeof a !== 'bigint') throw new Error('no handle recorded');
    calls[1] = { ...(calls[1] as TraceCall), ret: a };
    for (const i of [2, 3]) {
      const c = calls[i] as TraceCall;
      calls[i] = { ...c, args: { ...c.args, vpDmaAdapter: a } };
    }
    const text = await explainedText(calls);
    const hex = `0x${a.toString(16)}`;
    expect(text).toContain(
      `  misuse:   double-put (the capture's: the trace's vpDmaAdapter ${hex} is the value it recorded for two live objects at call 1 (the recorded-mismatch there), so which of them the driver passed is not known)\n`,
    );
    expect(text).toContain("  (the capture's misuse at call 3: after it");
    expect(text).not.toContain('the documentation forbids');
    expect(text).not.toContain('the trace misuses the API');
  });

  it("a driver's own misuse of a value used again after a free stays the driver's", async () => {
    const calls = twoAdapters(true);
    const a = calls[0]?.ret ?? 0n;
    calls[2] = { ...(calls[2] as TraceCall), ret: a };
    const last = calls[3] as TraceCall;
    calls[3] = { ...last, args: { ...last.args, vpDmaAdapter: a } };
    calls.push(calls[3]); // the second adapter put twice
    const text = await explainedText(calls);
    expect(text).toContain('  misuse:   double-put (the documentation forbids this call here)\n');
    expect(text).toContain('  (the trace misuses the API at call 4: after it');
  });
});
