// The arbitrary must cover what the round-trip properties claim to cover.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { traceArbitrary } from './traceArbitrary.js';
import { CALLS } from '../model/calls.js';
import { printText } from './text.js';
import { isStruct } from '../model/values.js';

describe('traceArbitrary', () => {
  const samples = fc.sample(traceArbitrary(), {
    seed: fc.readConfigureGlobal().seed ?? 1,
    numRuns: 200,
  });
  const calls = samples.flatMap((t) => t.calls);

  it('covers every function, every argument type and every header shape', () => {
    expect(new Set(calls.map((c) => c.fn))).toEqual(new Set(CALLS.map((c) => c.fn)));
    const types = new Set<string>();
    for (const c of calls) {
      const desc = CALLS.find((d) => d.fn === c.fn);
      for (const a of desc?.args ?? []) if (c.args[a.name] !== undefined) types.add(a.type);
      for (const o of desc?.out ?? []) if (c.out?.[o.name] !== undefined) types.add(o.type);
    }
    expect([...types].sort()).toEqual(
      [
        'bool',
        'bytes',
        'devdesc',
        'i64',
        'ptr',
        'sglist',
        'u32',
        'u64',
        'u8',
        'usize',
        'vrp',
      ].sort(),
    );
    expect(samples.some((t) => t.header.profile === undefined)).toBe(true);
    expect(samples.some((t) => t.header.device.apertures !== undefined)).toBe(true);
  });

  it('produces NULL and non-NULL structures, captured and uncaptured calls, absent optionals', () => {
    const vrps = calls.map((c) => c.args['pVrp']).filter((v) => v !== undefined);
    expect(vrps.some((v) => v === 0n)).toBe(true);
    expect(vrps.some((v) => isStruct(v))).toBe(true);
    expect(calls.some((c) => c.ret !== undefined) && calls.some((c) => c.ret === undefined)).toBe(
      true,
    );
    expect(calls.some((c) => c.out !== undefined && Object.keys(c.out).length === 0)).toBe(true);
    const sg = calls.flatMap((c) =>
      Array.isArray(c.out?.['elements']) ? [c.out['elements']] : [],
    );
    expect(sg.some((e) => e.length > 0)).toBe(true);
    const waits = calls.filter((c) => c.fn === 'VideoPortWaitForSingleObject');
    expect(waits.some((c) => c.args['timeout'] === undefined)).toBe(true);
  });

  it('gives some traces calls with meta, and leaves most without', () => {
    const withMeta = samples.filter((t) => t.calls.some((c) => c.meta !== undefined));
    expect(withMeta.length).toBeGreaterThan(samples.length / 10);
    expect(withMeta.length).toBeLessThan(samples.length / 2);
    expect(withMeta.some((t) => t.calls.some((c) => c.meta === undefined))).toBe(true);
  });

  it('refers back to produced values, exactly and inside ranges', () => {
    const texts = samples.map((t) => printText(t));
    expect(texts.some((s) => /=r\d+[,)]/.test(s))).toBe(true);
    expect(texts.some((s) => /=r\d+\+0x[0-9a-f]+/.test(s))).toBe(true);
    expect(texts.some((s) => /<r\d+=>/.test(s))).toBe(true);
  });
});
