// What a target leaves unchecked, noted in its ReplayResult (the CLI warns once per run): no
// state() at all, and a touched() range in nothing the target returned (a confused address
// space), which the checks can neither use nor blame on a call.
import { describe, expect, it } from 'vitest';
import { driver, getAdapter, lockPool, mapDmaArgs, startDma, write } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target, TouchedRanges } from './target.js';

/** A pool buffer written, a transfer started, an obsolete call, the buffer written again. */
function trace() {
  const r = driver();
  const adapter = getAdapter(r);
  const { va, mdl } = lockPool(r, 0x3000);
  write(r, va, Uint8Array.of(1, 2, 3));
  startDma(r, adapter, mdl, { length: 0x2000, writeToDevice: true });
  r.call('VideoPortMapDmaMemory', mapDmaArgs());
  write(r, va + 0x10n, Uint8Array.of(4));
  return r.calls;
}

/** The model target, and its touched() as a plain list. */
function modelTarget(): { t: Target; touched: () => TouchedRanges } {
  const { device, profile } = driver().model.state;
  const t = createModelTargetSync({ device, profile });
  const touched = (): TouchedRanges => {
    const got = t.touched?.();
    if (!Array.isArray(got)) throw new Error('the model target answers touched() in place');
    return got;
  };
  return { t, touched };
}

describe("a target's notes", () => {
  it('none for the model target', async () => {
    const res = await replayTrace(emptyHeader(), trace(), modelTarget().t);
    expect(res.violations).toEqual([]);
    expect(res.noState).toBeUndefined();
    expect(res.strayTouched).toBeUndefined();
  });

  it('noState for a target without state(), however clean its replay', async () => {
    const rest: Target = { ...modelTarget().t };
    delete rest.state;
    const res = await replayTrace(emptyHeader(), trace(), rest);
    expect(res.violations).toEqual([]);
    expect(res.noState).toBe(true);
  });

  it('strayTouched: the first range outside all it returned and user memory, once', async () => {
    const { t, touched } = modelTarget();
    // Each range moved 16 TiB up, where nothing was ever returned (the probe's moved by 64 KiB).
    const moved: Target = {
      ...t,
      touched: () => touched().map((x) => ({ ...x, address: x.address + (1n << 44n) })),
    };
    const res = await replayTrace(emptyHeader(), trace(), moved);
    expect(res.strayTouched).toMatch(/^call \d+ named 0x[0-9a-f]+\+0x[0-9a-f]+$/);
    const [, index] = /^call (\d+)/.exec(res.strayTouched ?? '') ?? [];
    expect(trace()[Number(index)]?.fn).toBe('@write');
  });

  it('no stray for user memory, or for a range inside one the target returned', async () => {
    const { t, touched } = modelTarget();
    const extra: TouchedRanges = [{ address: 0x1230000n, length: 16 }];
    const plus: Target = { ...t, touched: () => [...touched(), ...extra] };
    expect((await replayTrace(emptyHeader(), trace(), plus)).strayTouched).toBeUndefined();
    // The tail of each range only (inside what was returned, not at its start).
    const inside: Target = {
      ...t,
      touched: () => touched().map((x) => ({ address: x.address + 1n, length: x.length })),
    };
    expect((await replayTrace(emptyHeader(), trace(), inside)).strayTouched).toBeUndefined();
  });
});
