// The types a target is written against, held to docs/targets.md: a target may write an
// out-parameter in place (`args.length = 0`), so what Target.call gets is writable, while a
// trace's calls stay read-only. The type half is checked by `tsc` (npm run typecheck): an
// `@ts-expect-error` that no longer meets an error fails it.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { mapDmaArgs } from '../model/testDevice.js';
import type { Struct, TraceCall } from '../model/values.js';
import type { Target, TargetCallArgs } from '../index.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';

const HEADER = { format: 'vpdma-trace', version: 1, device: {}, meta: {} } as const;

describe("a target's arguments, as typed", () => {
  it('are writable in Target.call: an out-parameter written in place counts as written', async () => {
    const model = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const target: Target = {
      call(c) {
        const o = model.call(c);
        // What the docs recommend, and TS accepted only with a cast before TargetCallArgs.
        if (c.fn === 'VideoPortMapDmaMemory') c.args['length'] = 0;
        return o.ret === undefined ? {} : { ret: o.ret };
      },
      read: (address, length) => model.read(address, length),
    };
    const r = new Recorder({}, false);
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
    const result = await replayTrace(HEADER, r.calls, target);
    expect(result.violations.map((v) => `${v.kind} ${v.field ?? ''}`)).toEqual([
      'map-dma-wrote-out-param out.length',
    ]);
    expect(r.calls[0]?.args['length'], "the trace's own arguments are unchanged").toBe(0x1000);
  });

  it("leave a trace's calls read-only", () => {
    const call: TraceCall = { fn: 'VideoPortMapDmaMemory', args: { length: 0x1000 } };
    const writable: TargetCallArgs = { ...call.args };
    writable['length'] = 0;
    // @ts-expect-error: a trace's arguments are not the reader's to change
    call.args['length'] = 1;
    const vrp: Struct = { outputBufferLength: 4 };
    // @ts-expect-error: nor are the fields of a structure in one
    vrp['outputBufferLength'] = 0;
    expect(writable['length']).toBe(0);
  });
});
