// A module target that writes through its arguments, as JavaScript makes natural: the write
// is seen as a write, the harness's and the caller's arguments stay as they were, and an
// input changed in place is the target's fault: behind the CLI's guard (a module target) and
// handed to replayTrace in code alike, with the same words.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { mapDmaArgs } from '../model/testDevice.js';
import type { Args, CallOutcome } from '../model/values.js';
import { guardTarget } from './guardedTarget.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { TargetState, TraceCallIn } from './target.js';

const HEADER = { format: 'vpdma-trace', version: 1, device: {}, meta: {} } as const;

type Edit = (fn: string, args: Record<string, unknown>, o: CallOutcome) => CallOutcome;

/**
 * The model, `edit` run on each call's arguments after the model answered: behind the guard
 * a module target has, or as a library user hands it to replayTrace.
 */
function writingInPlace(edit: Edit, guarded: boolean) {
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  const t = {
    call: (c: TraceCallIn) => edit(c.fn, c.args, inner.call(c)),
    read: (address: bigint, length: number) => inner.read(address, length),
    state: () => inner.model.liveState() as unknown as TargetState,
    touched: () => inner.model.touched(),
  };
  return guarded ? guardTarget(t, 1000) : t;
}

describe.each([
  ['a module target', true],
  ['a target built in code', false],
])('%s writing through its arguments', (_, guarded) => {
  async function kinds(calls: { fn: string; args: Args }[], edit: Edit) {
    const r = await replayTrace(HEADER, calls, writingInPlace(edit, guarded));
    return r.violations.map(
      (v) => `${v.callIndex} ${v.kind} ${v.fn} ${v.field ?? ''}: ${v.message}`,
    );
  }

  it('a MapDmaMemory that sets args.length = 0 wrote *Length, and the trace is untouched', async () => {
    const r = new Recorder({}, false);
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
    const before = JSON.stringify(r.calls, (_, v: unknown) =>
      typeof v === 'bigint' ? `${v}n` : v,
    );
    const got = await kinds(r.calls, (fn, args, o) => {
      if (fn === 'VideoPortMapDmaMemory') args['length'] = 0;
      return { ret: o.ret ?? 0n };
    });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^0 map-dma-wrote-out-param VideoPortMapDmaMemory out\.length: /);
    expect(JSON.stringify(r.calls, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(
      before,
    );
  });

  it('a correct MapMemory that writes *VirtualAddress and *Length in place passes', async () => {
    const r = new Recorder({}, false);
    r.call('VideoPortMapMemory', {
      physicalAddress: 0xe0000000n,
      length: 0x1000,
      inIoSpace: 0,
      virtualAddress: 0n,
    });
    const got = await kinds(r.calls, (_fn, args, o) => {
      Object.assign(args, o.out ?? {});
      return o.ret === undefined ? {} : { ret: o.ret };
    });
    expect(got).toEqual([]);
  });

  it('an input changed in place is the target crashing, named', async () => {
    const r = new Recorder({}, false);
    r.call('VideoPortMapDmaMemory', mapDmaArgs());
    const got = await kinds(r.calls, (_fn, args, o) => {
      args['hwDeviceExtension'] = 0n;
      return o;
    });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      /^0 target-crashed VideoPortMapDmaMemory .*the target changed its argument hwDeviceExtension in place \(0xffffe00000001000 to NULL\)/,
    );
  });

  it('an input changed in place by an asynchronous answer is named too, not blamed on the trace', async () => {
    const r = new Recorder({}, false);
    r.call('VideoPortGetCommonBuffer', {
      hwDeviceExtension: 0xffffe00000001000n,
      desiredLength: 0x10000,
      alignment: 0,
      logicalAddress: 0n,
      pActualLength: 0,
      cacheEnabled: true,
    });
    const got = await kinds(r.calls, (_fn, args, o) => {
      args['desiredLength'] = 1;
      return Promise.resolve(o) as unknown as CallOutcome;
    });
    expect(got).toEqual([
      expect.stringMatching(
        /^0 target-crashed VideoPortGetCommonBuffer .*the target changed its argument desiredLength in place \(65536 to 1\)/,
      ),
    ]);
  });
});
