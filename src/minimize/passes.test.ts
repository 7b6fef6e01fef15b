import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { slotsOf } from './simplify.js';
import { printText } from '../trace/text.js';
import type { Trace } from '../trace/trace.js';
import { materialize, type Candidate } from './materialize.js';
import {
  chainOnly,
  cutAfter,
  DEFAULT_VARIANTS,
  removals,
  removalsOf,
  simplifications,
} from './passes.js';
import { link } from './references.js';
import { smallTrace } from '../../test/support/testTraces.js';

const linked = link(smallTrace());
const text = (c: Candidate): string => {
  const t: Trace | undefined = materialize(linked, c, 'oracle');
  return t === undefined ? 'invalid' : printText(t).split('\n').slice(1).join('\n');
};

describe('cut and chain', () => {
  it('(a) cuts everything after the failing call', () => {
    expect(text(cutAfter(linked, 3))).toMatchInlineSnapshot(`
      "VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=4096, tag=1634550870)
      VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576})
      VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0xffffe00010000000, desiredLength=8192, cacheEnabled=true, reserved=0x0)
      @write(va=0xffffa00000002010, data=x"01020304")
      "
    `);
  });

  it('(b) keeps the failing call and its producers only', () => {
    expect(text(chainOnly(linked, 3))).toMatchInlineSnapshot(`
      "VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576})
      VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0xffffe00010000000, desiredLength=8192, cacheEnabled=true, reserved=0x0)
      @write(va=0xffffa00000000010, data=x"01020304")
      "
    `);
  });

  it('drops recorded ret/out in oracle mode and keeps them in recorded mode', () => {
    const captured = link(smallTrace(true));
    const cut = cutAfter(captured, 1);
    expect(materialize(captured, cut, 'oracle')?.calls.map((c) => c.ret)).toEqual([
      undefined,
      undefined,
    ]);
    expect(materialize(captured, cut, 'recorded')?.calls).toEqual(
      smallTrace(true).calls.slice(0, 2),
    );
  });
});

describe('removal', () => {
  it('moves every reference to where its producer now is (removing the pool)', () => {
    const [only] = removalsOf(linked, new Set([5]), DEFAULT_VARIANTS);
    expect(removalsOf(linked, new Set([5]), DEFAULT_VARIANTS)).toHaveLength(1);
    expect(only?.removed).toEqual(new Set([5]));
    // The pool goes with its consumers ('drop'), or they stay with NULL or the old value.
    const variants = removalsOf(linked, new Set([0]), DEFAULT_VARIANTS).map(text);
    expect(variants).toMatchInlineSnapshot(`
      [
        "VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576})
      VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0xffffe00010000000, desiredLength=8192, cacheEnabled=true, reserved=0x0)
      @write(va=0xffffa00000000010, data=x"01020304")
      ",
        "VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576})
      VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0xffffe00010000000, desiredLength=8192, cacheEnabled=true, reserved=0x0)
      @write(va=0xffffa00000000010, data=x"01020304")
      VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=2293760, statusBlock=0x0, inputBuffer=0x0, inputBufferLength=64, outputBuffer=0x0, outputBufferLength=0}, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0xffffa00000000000)
      VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0x0)
      ",
        "VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576})
      VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0xffffe00010000000, desiredLength=8192, cacheEnabled=true, reserved=0x0)
      @write(va=0xffffa00000000010, data=x"01020304")
      VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=2293760, statusBlock=0x0, inputBuffer=0xffffa00000000000, inputBufferLength=64, outputBuffer=0x0, outputBufferLength=0}, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0xffffa00000000000)
      VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
      ",
      ]
    `);
  });

  it('(c) proposes chunks from the end down, never the empty trace', () => {
    const chunks = [...removals(linked, 2, linked.calls.length, ['literal'])].map((p) => [
      p.cursor,
      [...p.cand.removed].sort(),
    ]);
    expect(chunks).toEqual([
      [4, [4, 5]],
      [2, [2, 3]],
      [0, [0, 1]],
    ]);
    expect([...removals(linked, 8, 6, ['literal'])]).toEqual([]);
  });
});

describe('(d) argument simplification', () => {
  it('proposes simpler values call by call, argument by argument, simplest first', () => {
    const proposals = [...simplifications(linked, { call: 0, slot: 0 })].map((p) => {
      const e = p.cand.edit;
      const v = e?.value;
      const shown =
        v instanceof Uint8Array
          ? `x"${Buffer.from(v).toString('hex')}"`
          : typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : JSON.stringify(v);
      const moved = e?.advance === undefined ? '' : ` ${e.advance.path}+${e.advance.by}`;
      return `${e?.call}.${e?.path}=${shown}${moved}`;
    });
    expect(proposals).toMatchInlineSnapshot(`
      [
        "0.numberOfBytes=256",
        "1.vpDeviceDescription.scatterGather=false",
        "1.vpDeviceDescription.dma32BitAddresses=false",
        "1.vpDeviceDescription.maximumLength=0",
        "2.vpDmaAdapter=0",
        "2.desiredLength=4096",
        "2.desiredLength=0",
        "2.desiredLength=1",
        "2.cacheEnabled=false",
        "3.va=0",
        "3.data=x""",
        "3.data=x"01"",
        "3.data=x"04" va+3",
        "3.data=x"0102"",
        "3.data=x"0304" va+2",
        "3.data=x"00000000"",
        "4.pVrp=0",
        "4.pVrp.ioControlCode=0",
        "4.pVrp.inputBuffer=0",
        "4.pVrp.inputBufferLength=0",
        "4.virtualAddress=0",
        "5.ptr=0",
      ]
    `);
  });

  it('resumes at a cursor', () => {
    const [first] = simplifications(linked, { call: 4, slot: 1 });
    expect(first?.cursor).toEqual({ call: 4, slot: 1 });
    expect(first?.cand.edit?.path).toBe('pVrp.ioControlCode');
  });

  it('never proposes an invalid call: invalid edits materialize to undefined', () => {
    const bad: Candidate = {
      removed: new Set(),
      orphan: 'literal',
      edit: { call: 3, path: 'va', value: undefined },
    };
    expect(materialize(linked, bad, 'oracle')).toBeUndefined();
  });
});

describe('slotsOf', () => {
  const device = resolveDevice({});
  const call = {
    fn: 'VideoPortGetMdl',
    args: { hwDeviceExtension: 0xffffe00000001000n, pDma: 0xffffe00000003000n },
  };

  it('keeps the arguments of a call with a recorded result (the record fits only them)', () => {
    expect(slotsOf(call, device).length).toBeGreaterThan(0);
    expect(slotsOf({ ...call, ret: 0xffffe00000003000n }, device)).toEqual([]);
    expect(slotsOf({ ...call, out: {} }, device)).toEqual([]);
  });
});
