// docs/target-protocol.md, "Answering misuse": a call the documentation forbids (the four
// events at addresses nothing maps, as the fuzzer sends them) takes any answer of its types,
// which is not compared, and the oracle stops judging there; an error is a target-crashed.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { mapDmaArgs } from '../model/testDevice.js';
import type { Args, CallOutcome } from '../model/values.js';
import { guardTarget } from './guardedTarget.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { TraceCallIn } from './target.js';

const HEADER = { format: 'vpdma-trace', version: 1, device: {}, meta: {} } as const;

const MISUSE: { fn: string; args: Args }[] = [
  { fn: '@write', args: { va: 0n, data: new Uint8Array([1]) } },
  { fn: '@read', args: { va: 0n, length: 16 } },
  { fn: '@executeDma', args: { vpDmaAdapter: 0n } },
  { fn: '@deviceDma', args: { sgList: 0n, deviceAddress: 0xe0000000n } },
];

/** The model, with `answer` standing in for its answer to each event. */
function answering(answer: (fn: string, o: CallOutcome) => CallOutcome) {
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  const t = {
    call: (c: TraceCallIn) => {
      const o = inner.call(c);
      return c.fn.startsWith('@') ? answer(c.fn, o) : o;
    },
    read: (address: bigint, length: number) => inner.read(address, length),
    state: () => inner.state?.(),
    touched: () => inner.model.touched(),
  };
  return guardTarget(t, 1000);
}

describe('answering misuse', () => {
  it.each(MISUSE)('$fn: the oracle answer, or another of its types, passes', async (call) => {
    const others: Record<string, CallOutcome> = {
      '@write': {},
      '@read': { ret: new Uint8Array([7, 7]) },
      '@executeDma': { out: { sgList: 0x1234n, context: 5n, elements: [] } },
      '@deviceDma': { ret: 99 },
    };
    for (const answer of [(_: string, o: CallOutcome) => o, (fn: string) => others[fn] ?? {}]) {
      // MapDmaMemory after it: the obsolete-call checks go on past the misuse.
      const r = await replayTrace(
        HEADER,
        [call, { fn: 'VideoPortMapDmaMemory', args: mapDmaArgs() }],
        answering(answer),
      );
      expect(r.violations).toEqual([]);
      expect(r).toMatchObject({ outcome: 'pass', detachedAt: 0, detachedBy: 'misuse' });
    }
  });

  it.each(MISUSE)('$fn: an error is a target-crashed', async (call) => {
    const r = await replayTrace(
      HEADER,
      [call],
      answering(() => {
        throw new Error('unmapped');
      }),
    );
    expect(r.outcome).toBe('crash');
    expect(r.violations).toMatchObject([{ kind: 'target-crashed', fn: call.fn }]);
  });
});
