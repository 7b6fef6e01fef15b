// A target's answer handed back as it was given is compared as the oracle was given it: once
// one target value stands for two oracle objects (a handle reused after its object was freed,
// ReactOS's refcounted views), the reverse map names the newer object, a change the target
// never made (probe latitude, findings 1 and 3).
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import type { Profile } from '../model/device.js';
import type { CallOutcome, Struct, TraceCall } from '../model/values.js';
import { parseText } from '../trace/textParse.js';
import { AddressBook } from './addressBook.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';
import { answerToModel } from './translate.js';

const EXT = 'hwDeviceExtension=0xffffe00000001000';

function parsed(lines: readonly string[]) {
  const t = parseText(['#! vpdma-trace v1 profile=docs', ...lines, ''].join('\n'));
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}

async function found(target: Target, lines: readonly string[]): Promise<string[]> {
  const t = parsed(lines);
  const r = await replayTrace(t.header, t.calls as TraceCall[], target);
  return r.violations.map((v) => `${v.callIndex} ${v.kind} ${v.fn} ${v.field ?? ''}`);
}

describe('answerToModel', () => {
  const book = new AddressBook();
  // Two oracle objects, one target value (the second learned last).
  book.learn('handle', 0x200n, 0x200n, 0x9000n);
  book.learn('handle', 0x300n, 0x300n, 0x9000n);

  it('a value handed back as sent is the oracle’s as given, not the reverse map’s newest', () => {
    expect(book.map('handle', 'target', 'model', 0x9000n)).toBe(0x300n);
    expect(answerToModel(book, 'handle', 0x9000n, 0x9000n, 0x200n)).toBe(0x200n);
  });

  it('anything else still goes through the book', () => {
    expect(answerToModel(book, 'handle', 0x9000n, 0x8000n, 0x200n)).toBe(0x300n);
    expect(answerToModel(book, 'handle', 0x9000n, undefined, undefined)).toBe(0x300n);
  });
});

describe('GetMdl of a list whose handle the target gave out again', () => {
  // Two transfers in turn; the target hands the second list the first one's freed handle
  // (LIFO reuse: checks.md calls reuse fine), and GetMdl of the first list's handle returns it.
  const lines = [
    `VideoPortGetDmaAdapter(${EXT}, vpDeviceDescription={scatterGather=false, dma32BitAddresses=false, dma64BitAddresses=false, maximumLength=1048576})`,
    `VideoPortLockBuffer(${EXT}, baseAddress=0x20000000, length=4096, operation=2)`,
    `VideoPortStartDma(${EXT}, vpDmaAdapter=0xffffe00010000000, mdl=0xffffe00010000100, offset=0, pLength=4096, executeDmaRoutine=0xfffff80000a01000, context=0xffffe00000002000, writeToDevice=true)`,
    '@executeDma(vpDmaAdapter=0xffffe00010000000)',
    `VideoPortCompleteDma(${EXT}, vpDmaAdapter=0xffffe00010000000, vpScatterGather=0xffffe00010000200, writeToDevice=true)`,
    `VideoPortStartDma(${EXT}, vpDmaAdapter=0xffffe00010000000, mdl=0xffffe00010000100, offset=0, pLength=4096, executeDmaRoutine=0xfffff80000a01000, context=0xffffe00000002000, writeToDevice=true)`,
    '@executeDma(vpDmaAdapter=0xffffe00010000000)',
    `VideoPortGetMdl(${EXT}, pDma=0xffffe00010000200)`,
  ];

  /** The model, its scatter/gather list handles renamed, a freed one handed out again first. */
  function reusing(getMdl: (sent: bigint, o: CallOutcome) => CallOutcome): Target {
    const model = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
    const toTarget = new Map<bigint, bigint>();
    const toModel = new Map<bigint, bigint>();
    const free: bigint[] = [];
    let next = 0xffff880000001000n;
    const back = (v: unknown): unknown => (typeof v === 'bigint' ? (toModel.get(v) ?? v) : v);
    return {
      ...model,
      call: (c) => {
        const args = { ...c.args };
        for (const k of ['vpScatterGather', 'pDma'])
          if (k in args) args[k] = back(args[k]) as bigint;
        const o = model.call({ fn: c.fn, args });
        if (o instanceof Promise) throw new Error('the model target answers synchronously');
        const list = o.out?.['sgList'];
        if (c.fn === '@executeDma' && typeof list === 'bigint' && list !== 0n) {
          const t = free.pop() ?? next++;
          toTarget.set(list, t);
          toModel.set(t, list);
          return { ...o, out: { ...o.out, sgList: t } };
        }
        if (c.fn === 'VideoPortCompleteDma' && o.ret === 0)
          free.push(c.args['vpScatterGather'] as bigint);
        if (c.fn === 'VideoPortGetMdl') {
          if (typeof o.ret !== 'bigint') return o;
          return getMdl(c.args['pDma'] as bigint, { ...o, ret: toTarget.get(o.ret) ?? o.ret });
        }
        return o;
      },
    };
  }

  it('returning the handle it was given is no violation', async () => {
    expect(
      await found(
        reusing((_, o) => o),
        lines,
      ),
    ).toEqual([]);
  });

  it('returning another is still caught', async () => {
    expect(
      await found(
        reusing((sent, o) => ({ ...o, ret: sent + 8n })),
        lines,
      ),
    ).toEqual(['7 inert-return-mismatch VideoPortGetMdl ret']);
  });
});

describe('LockPages with its input buffer in one of two views at one address', () => {
  // The ReactOS profile gives a second GetDeviceBase of a mapped range the same view,
  // refcounted (spec §1 F [R]): the failed LockPages hands pVrp back untouched.
  const lines = [
    `VideoPortGetDeviceBase(${EXT}, ioAddress=0xe0000000, numberOfUchars=8192, inIoSpace=0)`,
    `VideoPortGetDeviceBase(${EXT}, ioAddress=0xe0000000, numberOfUchars=8192, inIoSpace=0)`,
    `VideoPortLockPages(${EXT}, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0xffffc00000000100, inputBufferLength=256, outputBuffer=0x0, outputBufferLength=0}, pUEvent=0x0, pDisplayEvent=0x0, dmaFlags=1)`,
  ];

  function refcounted(edit: (pVrp: Struct) => Struct, profile: Profile = 'reactos'): Target {
    const model = createModelTargetSync({ device: resolveDevice({}), profile });
    return {
      ...model,
      call: (c) => {
        const o = model.call(c);
        const pVrp = o instanceof Promise ? undefined : o.out?.['pVrp'];
        if (c.fn !== 'VideoPortLockPages' || pVrp === undefined || o instanceof Promise) return o;
        return { ...o, out: { ...o.out, pVrp: edit(pVrp as Struct) } };
      },
    };
  }

  it('the same view twice: the untouched request packet is no violation', async () => {
    expect(
      await found(
        refcounted((v) => v),
        lines,
      ),
    ).toEqual([]);
  });

  it('a request packet pointer moved is still caught', async () => {
    const moved = (v: Struct): Struct => ({
      ...v,
      inputBuffer: (v['inputBuffer'] as bigint) + 0x10n,
    });
    expect(await found(refcounted(moved), lines)).toEqual([
      '2 out-param-mismatch VideoPortLockPages out.pVrp.inputBuffer',
    ]);
  });
});
