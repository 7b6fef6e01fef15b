import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs } from '../model/testDevice.js';
import { parseJsonl } from '../trace/jsonl.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const HEADER = '{"format":"vpdma-trace","version":1,"profile":"docs","device":{},"meta":{}}';
const MAP_DMA_ARGS =
  '"args":{"hwDeviceExtension":"0xffffe00000001000","pVrp":"0x0","boardAddress":"0xe0000000",' +
  '"length":4096,"inIoSpace":0,"mappedUserEvent":"0x0","displayDriverEvent":"0x0",' +
  '"virtualAddress":"0x0"}';
const MAP_MEM_ARGS =
  '"args":{"hwDeviceExtension":"0xffffe00000001000","physicalAddress":"0xe0000000",' +
  '"length":4096,"inIoSpace":0,"virtualAddress":"0x0"}';

async function recorded(...lines: string[]) {
  const t = parseJsonl([HEADER, ...lines, ''].join('\n'));
  if (!t.ok) throw new Error(t.error.message);
  const target = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  const r = await replayTrace(t.value.header, t.value.calls, target);
  return r.violations.map((v) => ({ field: v.field, expected: v.expected, actual: v.actual }));
}

describe('recordedViolations: a capture is checked on what it recorded, and only that', () => {
  it('a ret without out, an out without ret, an out missing keys: nothing to report', async () => {
    const mapDma = (rest: string) => `{"fn":"VideoPortMapDmaMemory",${MAP_DMA_ARGS}${rest}}`;
    const mapMem = (rest: string) => `{"fn":"VideoPortMapMemory",${MAP_MEM_ARGS}${rest}}`;
    expect(await recorded(mapDma(',"ret":"0x0"'))).toEqual([]);
    expect(await recorded(mapDma(',"out":{"length":4096,"pVrp":"0x0"}'))).toEqual([]);
    expect(await recorded(mapMem(',"ret":0'))).toEqual([]);
    expect(await recorded(mapMem(',"ret":0,"out":{}'))).toEqual([]);
    expect(await recorded(mapMem(',"out":{"length":4096}'))).toEqual([]);
  });

  it('a recorded value the oracle disagrees with: expected is the oracle, actual the trace', async () => {
    const r = await recorded(`{"fn":"VideoPortMapDmaMemory",${MAP_DMA_ARGS},"ret":"0x1234"}`);
    expect(r).toEqual([{ field: 'ret', expected: 'NULL', actual: '0x1234' }]);
    const out = await recorded(
      `{"fn":"VideoPortMapDmaMemory",${MAP_DMA_ARGS},"out":{"inIoSpace":1}}`,
    );
    expect(out).toEqual([{ field: 'out.inIoSpace', expected: '0', actual: '1' }]);
  });
});

describe("conformanceViolations: the kind of a target's wrong answer", () => {
  it('a driver read answering other bytes is a memory-mismatch found late; a call is not', async () => {
    const r = new Recorder({}, false);
    const view = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(0x1000));
    r.call('@read', { va: view, length: 4 });
    r.call('VideoPortCreateEvent', { eventFlag: 0 });
    const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const target: Target = {
      call(c) {
        const o = inner.call(c);
        if (c.fn === '@read') return { ...o, ret: Uint8Array.of(1, 2, 3, 4) };
        return c.fn === 'VideoPortCreateEvent' ? { ...o, ret: 87 } : o;
      },
      read: (address, length) => inner.read(address, length),
    };
    const got = await replayTrace(emptyHeader(), r.calls, target);
    expect(got.violations.map((v) => [v.callIndex, v.kind, v.foundLate])).toEqual([
      [1, 'memory-mismatch', true],
      [2, 'return-mismatch', undefined],
    ]);
  });
});
