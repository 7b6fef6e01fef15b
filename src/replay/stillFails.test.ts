import { describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { InlineExecutor } from './executor.js';
import type { ReplaySettings } from './protocol.js';
import type { ReplayResult } from './replay.js';
import {
  pickViolation,
  sameFailure,
  signatureOf,
  stillFailsPredicate,
  TargetSetupError,
} from './stillFails.js';
import { violation } from './violation.js';
import type { Trace } from '../trace/trace.js';

const header = KITCHEN_HEADER;
const settings = (target: string): ReplaySettings => ({
  target,
  profile: 'docs',
  paranoid: false,
  timeoutMs: 200,
  sampleBytes: 512,
});
const result = (...vs: ReturnType<typeof violation>[]): ReplayResult => ({
  outcome: vs.length > 0 ? 'fail' : 'pass',
  calls: 3,
  violations: vs,
});

describe('the same way', () => {
  const a = violation('return-mismatch', 'VideoPortCompleteDma', 5, 'm', { field: 'ret' });
  const b = violation('recorded-mismatch', 'VideoPortStartDma', 7, 'm', {
    field: 'out.pLength',
    expected: '16384',
    actual: '32768',
  });

  it('is the kind and function; for a recorded-mismatch also the field and both values', () => {
    expect(signatureOf(a)).toEqual({ kind: 'return-mismatch', fn: 'VideoPortCompleteDma' });
    expect(sameFailure(result(a), signatureOf({ ...a, callIndex: 1, message: 'x' }))).toBe(true);
    expect(sameFailure(result(a), { kind: 'return-mismatch', fn: 'VideoPortStartDma' })).toBe(
      false,
    );
    expect(sameFailure(result(b), signatureOf(b))).toBe(true);
    expect(sameFailure(result({ ...b, expected: '4096' }), signatureOf(b))).toBe(false);
    expect(sameFailure(undefined, signatureOf(a))).toBe(false);
  });

  it('memory found late is any memory difference at any call; found at its call, its own', () => {
    const detail = { field: '0x1000', expected: '01', actual: 'ff' };
    const late = violation('memory-mismatch', 'VideoPortSetEvent', 9, 'm', {
      ...detail,
      foundLate: true,
    });
    const sooner = violation('memory-corrupted', 'VideoPortMapDmaMemory', 3, 'm', detail);
    const atCall = violation('memory-mismatch', '@deviceDma', 4, 'm', detail);
    expect(signatureOf(late)).toEqual({
      kind: 'memory-mismatch',
      fn: 'VideoPortSetEvent',
      anyMemory: true,
    });
    expect(sameFailure(result(sooner), signatureOf(late))).toBe(true);
    expect(sameFailure(result(atCall), signatureOf(late))).toBe(true);
    expect(sameFailure(result(a), signatureOf(late))).toBe(false);
    // Found at the call that wrote it, it is that call's: no other memory difference will do.
    expect(signatureOf(atCall)).toEqual({
      kind: 'memory-mismatch',
      fn: '@deviceDma',
      atCall: true,
    });
    expect(sameFailure(result(late), signatureOf(atCall))).toBe(false);
    // Nor a difference of the same kind blamed on the same function but found only by a later
    // check (the final sweep blames whichever call came last): a candidate showing only that
    // kept a 7-call repro of a corruption that two calls show at the call that made it.
    expect(sameFailure(result({ ...atCall, foundLate: true }), signatureOf(atCall))).toBe(false);
    expect(sameFailure(result({ ...atCall, callIndex: 1 }), signatureOf(atCall))).toBe(true);
  });

  it("a signature naming a part of the answer asks for that part (the fuzzer's sameWayAs)", () => {
    const at = (field: string): ReturnType<typeof violation> =>
      violation('out-param-mismatch', 'VideoPortStartDma', 2, 'm', { field });
    const sig = {
      kind: 'out-param-mismatch' as const,
      fn: 'VideoPortStartDma',
      part: 'out.pLength',
    };
    expect(sameFailure(result(at('out.pLength')), sig)).toBe(true);
    expect(sameFailure(result(at('ret')), sig)).toBe(false);
    expect(sameFailure(result(at('out.elements[3].length')), sig)).toBe(false);
    // List elements are one part whatever their index.
    const element = { ...sig, part: 'out.elements[].length' };
    expect(sameFailure(result(at('out.elements[3].length')), element)).toBe(true);
  });

  it('a crash is also its title; a hang is not', () => {
    const crash = (message: string, at = 4): ReturnType<typeof violation> =>
      violation('target-crashed', 'VideoPortStartDma', at, message);
    const uaf = crash('VideoPortStartDma: the target threw Error: use after put: adapter 0x400');
    expect(signatureOf(uaf)).toEqual({
      kind: 'target-crashed',
      fn: 'VideoPortStartDma',
      title: 'VideoPortStartDma: the target threw Error: use after put: adapter #',
    });
    const other = crash('VideoPortStartDma: the target threw Error: use after put: adapter 0x8', 1);
    expect(sameFailure(result(other), signatureOf(uaf))).toBe(true);
    const nullMdl = crash('VideoPortStartDma: the target threw TypeError: null MDL', 1);
    expect(sameFailure(result(nullMdl), signatureOf(uaf))).toBe(false);
    const hang = (ms: number): ReturnType<typeof violation> =>
      violation('target-timeout', 'VideoPortStartDma', 2, `no answer within ${ms} ms`);
    expect(signatureOf(hang(200))).toEqual({ kind: 'target-timeout', fn: 'VideoPortStartDma' });
  });

  it('pickViolation takes the first, or the first of a kind and/or function', () => {
    expect(pickViolation(result(a, b))).toBe(a);
    expect(pickViolation(result(a, b), { kind: 'recorded-mismatch' })).toBe(b);
    expect(pickViolation(result(a, b), { fn: 'VideoPortStartDma' })).toBe(b);
    expect(pickViolation(result(a, b), { kind: 'return-mismatch', fn: 'x' })).toBeUndefined();
  });
});

describe('stillFailsPredicate', () => {
  const sink: Trace = { header, calls: kitchenSink(false) };
  const cut = (n: number): Trace => ({ header, calls: sink.calls.slice(0, n) });

  it('answers per candidate, in order', async () => {
    const p = stillFailsPredicate({
      executor: new InlineExecutor(),
      settings: settings('mutant:bytes-used-remembered'),
      failure: { kind: 'inert-return-mismatch', fn: 'VideoPortGetBytesUsed' },
    });
    expect(await p([cut(23), cut(22), sink, cut(0)])).toEqual([true, false, true, false]);
  });

  it('rejects with TargetSetupError when the target cannot be set up', async () => {
    const p = stillFailsPredicate({
      executor: new InlineExecutor(),
      settings: settings('module:/nonexistent/target.js'),
      failure: { kind: 'target-crashed', fn: 'VideoPortFreePool' },
    });
    const e: unknown = await p([sink]).catch((x: unknown) => x);
    expect(TargetSetupError.is(e)).toBe(true);
  });
});
