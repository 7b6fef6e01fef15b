// The streaming check that a captured trace only names handles earlier calls returned, in
// bounded memory: exact for the first handles, a filter (never refusing a valid trace) after.
import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import type { TraceCall } from '../model/values.js';
import { formatTraceError } from './traceError.js';
import { HandleSet, ReferenceCheck } from './references.js';

describe('HandleSet', () => {
  it('past its exact handles, never forgets one and rarely claims one it never saw', () => {
    const s = new HandleSet(4);
    const added = Array.from({ length: 5000 }, (_, i) => 0xffffc00000000000n + BigInt(i) * 0x40n);
    for (const v of added) s.add(v);
    expect(added.every((v) => s.has(v))).toBe(true);
    const others = Array.from({ length: 5000 }, (_, i) => 0xffffd00000000000n + BigInt(i) * 0x40n);
    expect(others.filter((v) => s.has(v)).length).toBeLessThan(5);
  });
});

describe('ReferenceCheck', () => {
  /** A captured trace: n adapters got and put, then a put of `last`. */
  function trace(n: number, last: (adapters: bigint[]) => bigint): TraceCall[] {
    const r = new Recorder({}, true);
    const desc = {
      scatterGather: true,
      dma32BitAddresses: true,
      dma64BitAddresses: false,
      maximumLength: 0x10000,
    };
    const adapters: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const a = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: desc });
      adapters.push(a);
      r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: a });
    }
    r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: last(adapters) });
    return r.calls;
  }
  const check = (calls: TraceCall[], exactMax: number): string | undefined => {
    const c = new ReferenceCheck('t.jsonl', exactMax);
    for (const call of calls) c.add(call);
    const broken = c.result();
    return broken === undefined ? undefined : formatTraceError(broken);
  };

  it('accepts handles returned long before, past the exact ones', () => {
    expect(
      check(
        trace(50, (a) => a[0] ?? 0n),
        4,
      ),
    ).toBeUndefined();
    expect(
      check(
        trace(50, (a) => a[3] ?? 0n),
        4,
      ),
    ).toBeUndefined();
  });

  it('still names a handle never returned, past the exact ones', () => {
    for (const exactMax of [4, 1 << 20]) {
      expect(
        check(
          trace(50, () => 0xdead0000n),
          exactMax,
        ),
      ).toBe(
        't.jsonl:102: args.vpDmaAdapter: VideoPortPutDmaAdapter uses adapter handle 0xdead0000, which no earlier call returned',
      );
    }
  });
});
