import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { parseText } from '../trace/textParse.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

// ReactOS hands GetDeviceBase and a shorter MapMemory of one range the same counted view; the
// docs oracle makes two. Unmapping the MapMemory leaves ReactOS's view mapped (count 1) and
// the oracle's GetDeviceBase view: a write through the GetDeviceBase pointer lands in both.
// The target's view address used to translate through the newest alias, the unmapped
// MapMemory view, so the write read as "memory the oracle says is unmapped" (a --known night
// found it as memory-mismatch/at-write/35c3ecdb).
const text = [
  '#! vpdma-trace v1 profile=docs',
  'VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=16777216, inIoSpace=0)',
  'VideoPortMapMemory(hwDeviceExtension=0xffffe00000001000, physicalAddress=0xe0000000, length=8388608, inIoSpace=0, virtualAddress=0x0)',
  'VideoPortUnmapMemory(hwDeviceExtension=0xffffe00000001000, virtualAddress=0xffffc00001001000, processHandle=0x0)',
  '@write(va=0xffffc000002ef000, data=x"9d")',
  '',
].join('\n');

async function replayed(corrupt: boolean) {
  const t = parseText(text);
  if (!t.ok) throw new Error(t.error.message);
  const model = createModelTargetSync({
    device: resolveDevice(t.value.header.device),
    profile: 'reactos',
  });
  // A port writing another byte than it was asked to: still caught, in the live view.
  const target: Target = !corrupt
    ? model
    : {
        ...model,
        call: (c) =>
          c.fn === '@write'
            ? model.call({ ...c, args: { ...c.args, data: new Uint8Array([0x9e]) } })
            : model.call(c),
      };
  return replayTrace(t.value.header, t.value.calls, target);
}

describe('a view the target keeps for two oracle views, one of them unmapped', () => {
  it('translates to the oracle view still mapped: the write is no memory-mismatch', async () => {
    const r = await replayed(false);
    expect(r.violations).toEqual([]);
  });

  it('a wrong byte written there is still a memory-mismatch, named in the live view', async () => {
    const r = await replayed(true);
    expect(r.violations.map((v) => [v.kind, v.fn])).toEqual([['memory-mismatch', '@write']]);
    expect(r.violations[0]?.message).toMatch(/0xffffc000002ef000/);
    expect(r.violations[0]?.message).not.toMatch(/unmapped/);
  });
});
