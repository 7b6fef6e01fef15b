// What a call produced is learned; what it merely handed back is not. A LockPages that fails
// leaves the request packet as it was given, OutputBuffer and OutputBufferLength included: a
// fuzzed one gave a pointer 4 KiB below a common buffer and a length of 4 GiB, and learning
// that as a list made every later address in the common buffer translate to itself, a
// memory-mismatch of VideoPortMapDmaMemory against model:alternate (a correct target).
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import type { TraceCall } from '../model/values.js';
import { parseText } from '../trace/textParse.js';
import { AddressBook } from './addressBook.js';
import { planOf } from './callPlan.js';
import { learnProduced } from './learn.js';
import { createModelTargetSync } from './modelTarget.js';
import { Replayer } from './replay.js';
import type { Target } from './target.js';

const EXT = 'hwDeviceExtension=0xffffe00000001000';
const lockPages = (dmaFlags: number, inputLength: number): string =>
  `VideoPortLockPages(${EXT}, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0xffffa00000000000, inputBufferLength=${inputLength}, outputBuffer=0xffffa00000001000, outputBufferLength=4294967295}, pUEvent=0x0, pDisplayEvent=0x0, dmaFlags=${dmaFlags})`;

/** The replayer after the calls (a pool block, an adapter, a common buffer, then `lines`). */
function replayed(...lines: string[]): Replayer {
  const parsed = parseText(
    [
      '#! vpdma-trace v1 profile=docs',
      `VideoPortAllocatePool(${EXT}, poolType=0, numberOfBytes=256, tag=1634550870)`,
      `VideoPortGetDmaAdapter(${EXT}, vpDeviceDescription={scatterGather=false, dma32BitAddresses=false, dma64BitAddresses=false, maximumLength=0})`,
      `VideoPortAllocateCommonBuffer(${EXT}, vpDmaAdapter=0xffffe00010000000, desiredLength=4096, cacheEnabled=false, reserved=0x0)`,
      ...lines,
      `VideoPortMapDmaMemory(${EXT}, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0xffffa00000002000)`,
    ].join('\n'),
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  const device = resolveDevice({});
  const target = createModelTargetSync({ device, profile: 'docs', layout: 'alternate' });
  const r = new Replayer(parsed.value.header, target);
  for (const c of parsed.value.calls) expect(r.step(c)).toBe(true);
  return r;
}

describe('learning what a call produced', () => {
  it('a LockPages that failed, its request packet untouched, teaches nothing', () => {
    const r = replayed(lockPages(3, 0)); // zero length: FALSE, OutputBuffer left as given
    expect(r.violations).toEqual([]);
    // The common buffer's last bytes translate into the target's common buffer.
    expect(r.book.map('cpu', 'model', 'target', 0xffffa00000002f00n)).toBe(0xffffb10000002f00n);
    expect(r.book.knows('cpu', 'model', 0xffffa00000001000n)).toBe(false);
  });

  it('a LockPages that locked hands back a new list, which is learned', () => {
    const r = replayed(lockPages(3, 64));
    expect(r.violations).toEqual([]);
    const list = r.model.state.blocks;
    const lists = [...list.values()].filter((b) => b.kind === 'lockedList');
    expect(lists.length).toBe(1);
    const va = lists[0]?.va ?? 0n;
    expect(r.book.knows('cpu', 'model', va + 8n)).toBe(true);
    expect(r.book.map('cpu', 'model', 'target', va)).not.toBe(va);
  });

  it('each scatter/gather element is learned as the target element at its own index', () => {
    const plan = planOf('@executeDma');
    if (plan === undefined) throw new Error('no plan for @executeDma');
    const book = new AddressBook();
    const el = (address: bigint, length: number): Record<string, bigint | number> => ({
      address,
      length,
    });
    const model = [el(0x10000000n, 0x1000), el(0x20000000n, 0x800)];
    const target = [el(0x50000000n, 0x1000), el(0x60000000n, 0x800)];
    const call = { fn: '@executeDma', args: { vpDmaAdapter: 1n } };
    // The oracle delivers `model`'s list, the target `target`'s, to the same call.
    const learnLists = (into: AddressBook, c: TraceCall): void =>
      learnProduced(
        into,
        plan,
        c,
        { branch: 'ok', out: { elements: model } },
        { out: { elements: target } },
        {},
      );
    learnLists(book, call);
    expect(book.map('device', 'model', 'target', 0x10000010n)).toBe(0x50000010n);
    expect(book.map('device', 'model', 'target', 0x20000010n)).toBe(0x60000010n);
    // A captured trace names each element by its recorded address.
    const named = new AddressBook();
    const recorded = [el(0x30000000n, 0x1000), el(0x40000000n, 0x800)];
    const captured = { ...call, out: { elements: recorded } };
    learnLists(named, captured);
    expect(named.lookup('device', 'trace', 'target', 0x40000010n)).toBe(0x60000010n);
  });
});

describe('an in/out parameter a failed call leaves undefined', () => {
  // A failed MapMemory may leave anything in *VirtualAddress (spec-gaps.md "Out-parameters of
  // a failing call"). Learned, the target's junk there was paired with the process handle the
  // driver passed in, and the driver's later UnmapMemory(view, that handle) reached the target
  // with the junk instead: a return-mismatch of a correct target (probe latitude, finding 2).
  const JUNK = 0xbaadf00dbaadf00dn;
  const junkOnFailure: (fn: string) => boolean = (fn) =>
    fn === 'VideoPortMapMemory' || fn === 'VideoPortMapBankedMemory';
  const failing = {
    VideoPortMapMemory: `VideoPortMapMemory(${EXT}, physicalAddress=0x3c0, length=4096, inIoSpace=0, virtualAddress=0xffffffffffffffff)`,
    VideoPortMapBankedMemory: `VideoPortMapBankedMemory(${EXT}, physicalAddress=0x3c0, length=0, inIoSpace=0, virtualAddress=0xffffffffffffffff, bankLength=65536, readWriteBank=1, bankRoutine=0xfffff80000a02000, context=0x0)`,
  };

  it.each(Object.keys(failing) as (keyof typeof failing)[])(
    "%s's junk is not learned, and the process handle passes on as given",
    (fn) => {
      const parsed = parseText(
        [
          '#! vpdma-trace v1 profile=docs',
          `VideoPortMapMemory(${EXT}, physicalAddress=0xe0000000, length=4096, inIoSpace=2, virtualAddress=0x0)`,
          failing[fn],
          `VideoPortUnmapMemory(${EXT}, virtualAddress=0x800000000000, processHandle=0xffffffffffffffff)`,
        ].join('\n'),
      );
      if (!parsed.ok) throw new Error(parsed.error.message);
      const model = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
      const sent: bigint[] = [];
      const target: Target = {
        ...model,
        call: (c) => {
          if (c.fn === 'VideoPortUnmapMemory') sent.push(c.args['processHandle'] as bigint);
          const o = model.call(c);
          if (o instanceof Promise || !junkOnFailure(c.fn) || o.ret === 0) return o;
          return { ...o, out: { ...o.out, virtualAddress: JUNK } };
        },
      };
      const r = new Replayer(parsed.value.header, target);
      const [map, fail, unmap] = parsed.value.calls as [TraceCall, TraceCall, TraceCall];
      expect(r.step(map)).toBe(true);
      expect(r.step(fail)).toBe(true);
      expect(r.book.knows('cpu', 'model', 0xffffffffffffffffn)).toBe(false);
      expect(r.step(unmap)).toBe(true);
      expect(sent).toEqual([0xffffffffffffffffn]);
      expect(r.violations).toEqual([]);
    },
  );
});
