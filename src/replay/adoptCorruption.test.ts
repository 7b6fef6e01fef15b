// An obsolete call that corrupts memory is reported once, at that call; the oracle takes the
// bytes over and goes on checking the rest of the trace (inertCheck.ts adoptTargetBytes).
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs, mapDmaArgs } from '../model/testDevice.js';
import type { TraceCall } from '../model/values.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target, TouchedRanges } from './target.js';

const header = emptyHeader();
const viewBytes = 0x10000;
const mapDmaCalls = 12;

/**
 * A 64 KiB view of the frame buffer, MapDmaMemory again and again, a driver reading the view
 * back, then CreateEvent (and, if `eventFirst`, one before everything).
 */
function trace(eventFirst = false): { calls: TraceCall[]; view: bigint } {
  const r = new Recorder({}, false);
  if (eventFirst) r.call('VideoPortCreateEvent', { eventFlag: 0 });
  const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(viewBytes));
  for (let i = 0; i < mapDmaCalls; i++) {
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
  }
  r.call('@read', { va: view, length: viewBytes });
  r.call('VideoPortCreateEvent', { eventFlag: 0 });
  return { calls: r.calls, view };
}

/** Byte i*0x1111+0x123 of the view that the i-th MapDmaMemory flips (a new one each time). */
const flipped = (i: number): number => 0x123 + i * 0x1111;

/**
 * The model whose MapDmaMemory flips a new byte of the view each time (reported by touched(),
 * or, without it, found by full before/after reads), and whose CreateEvent, at the end,
 * answers ERROR_INVALID_PARAMETER.
 */
function corrupting(view: bigint, withTouched: boolean, readBytes: number[] = []): Target {
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  let calls = 0;
  const target: Target = {
    call(c) {
      const o = inner.call(c);
      if (c.fn === 'VideoPortMapDmaMemory') {
        readBytes.push(0);
        const va = view + BigInt(flipped(calls++));
        const old = inner.model.read(va, 1)?.[0] ?? 0;
        inner.model.step('@write', { va, data: new Uint8Array([old ^ 0x5a]) });
      }
      if (c.fn === 'VideoPortCreateEvent') return { ...o, ret: 87 };
      return o;
    },
    read(address, length) {
      if (readBytes.length > 0) readBytes[readBytes.length - 1] = (readBytes.at(-1) ?? 0) + length;
      return inner.read(address, length);
    },
    state: () => inner.state?.() ?? {},
  };
  if (withTouched) target.touched = () => inner.model.touched();
  return target;
}

describe.each([
  ['with touched()', true],
  ['with full before/after reads', false],
])('an obsolete call that corrupts memory, %s', (_how, withTouched) => {
  it('is reported once per call, and the oracle still checks what follows', async () => {
    const { calls, view } = trace();
    const r = await replayTrace(header, calls, corrupting(view, withTouched));
    const corrupted = r.violations.filter((v) => v.kind === 'memory-corrupted');
    expect(corrupted.map((v) => v.callIndex)).toEqual(
      Array.from({ length: mapDmaCalls }, (_, i) => i + 1),
    );
    corrupted.forEach((v, i) =>
      expect(v.message).toContain(`0x${(view + BigInt(flipped(i))).toString(16)}`),
    );
    // The driver reading the corrupted view agrees with the oracle, which took the bytes over;
    // still attached, the oracle catches CreateEvent's wrong answer.
    expect(r.violations.filter((v) => v.kind === 'memory-mismatch')).toEqual([]);
    expect(r.detachedAt).toBe(mapDmaCalls + 2);
    expect(r.violations.map((v) => v.kind).slice(mapDmaCalls)).toEqual(['return-mismatch']);
  });
});

describe('once a wrong answer detached the oracle', () => {
  // Detached, no final sweep and no comparison before a free stands behind the sample: a
  // target with touched() is read in full around each obsolete call, as one without it is.
  it('each corruption is still found once, at its call, by reading all live memory', async () => {
    const { calls, view } = trace(true);
    const readBytes: number[] = [];
    const r = await replayTrace(header, calls, corrupting(view, true, readBytes));
    expect(r.detachedAt).toBe(0);
    expect(r.violations.map((v) => `${v.callIndex} ${v.kind}`)).toEqual([
      '0 return-mismatch',
      ...Array.from({ length: mapDmaCalls }, (_, i) => `${i + 2} memory-corrupted`),
    ]);
    expect(r.violations[1]?.message).toContain('(full comparison)');
    // Around each MapDmaMemory (read after the call, so the entry is the next call's before
    // reads and this one's after reads): the whole 64 KiB view.
    expect(Math.min(...readBytes.slice(0, -1))).toBeGreaterThanOrEqual(viewBytes);
  });
});

describe('a silent change the rotating sample found', () => {
  it('is taken over too, so a later change next to it is named by its own byte', async () => {
    const { calls, view } = trace();
    const silent = 0x1123; // under the 9th MapDmaMemory's 512-byte sample window
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    let maps = 0;
    let claim: TouchedRanges | undefined;
    const flip = (off: number): void => {
      const va = view + BigInt(off);
      inner.model.step('@write', {
        va,
        data: Uint8Array.of((inner.model.read(va, 1)?.[0] ?? 0) ^ 1),
      });
    };
    const target: Target = {
      call(c) {
        const o = inner.call(c);
        if (c.fn !== 'VideoPortMapDmaMemory') return o;
        if (maps === 0) {
          flip(silent);
          inner.model.touched(); // left out of touched(): a write its bookkeeping missed
        }
        // Flips the next byte, and claims both (a range that did not change is allowed).
        if (maps === 10) {
          flip(silent + 1);
          claim = [{ address: view + BigInt(silent), length: 2 }];
        }
        maps++;
        return o;
      },
      read: (address, length) => inner.read(address, length),
      state: () => inner.state?.() ?? {},
      touched() {
        const t = claim ?? inner.model.touched();
        claim = undefined;
        return t;
      },
    };
    const r = await replayTrace(header, calls, target);
    expect(r.violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`)).toEqual([
      `9 memory-mismatch 0x${(view + BigInt(silent)).toString(16)}`,
      `11 memory-corrupted 0x${(view + BigInt(silent + 1)).toString(16)}`,
    ]);
  });
});
