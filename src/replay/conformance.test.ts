import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { parseJsonl } from '../trace/jsonl.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';

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
