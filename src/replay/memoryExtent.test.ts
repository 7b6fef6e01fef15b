// A memory violation shows how far the change reaches and the bytes around it, and says where
// in the memory the call's arguments name it lies.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { allocatePool, mapDmaArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { extentOf, hexWords } from './byteExtent.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const bytes = (hex: string): Uint8Array =>
  Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));

describe('extentOf', () => {
  const zeros = new Uint8Array(64);

  it('from the first to the last differing byte, with the word before the first', () => {
    const after = zeros.slice();
    after.set([0x00, 0x10, 0x00, 0x00], 12);
    const e = extentOf(0x1000n, zeros, after, 13);
    expect(e).toMatchObject({ last: 0x100dn, count: 1, from: 0x1008n });
    expect(hexWords(e.from, e.actual)).toBe('00000000 00100000 00000000 00000000');
    const wide = zeros.slice();
    wide.fill(0xff, 20, 40);
    const w = extentOf(0x1000n, zeros, wide, 20);
    // Longer than the window: it starts at the first word that differs.
    expect(w).toMatchObject({ last: 0x1027n, count: 20, from: 0x1014n });
    expect(w.actual.length).toBe(16);
  });

  it('stays inside the span compared', () => {
    const after = zeros.slice(0, 6);
    after[5] = 1;
    const e = extentOf(0x1000n, zeros.slice(0, 6), after, 5);
    expect(e).toMatchObject({ from: 0x1000n });
    expect(hexWords(e.from, e.actual)).toBe('00000000 0001');
    const tail = zeros.slice();
    tail[63] = 1;
    expect(extentOf(0x1000n, zeros, tail, 63).from).toBe(0x1030n);
  });

  it('groups hex by the words of the address space', () => {
    expect(hexWords(0x1002n, bytes('aabbccddeeff'))).toBe('aabb ccddeeff');
  });
});

describe("a MapDmaMemory that writes a ULONG at +4 of the request packet's output buffer", () => {
  /** A pool buffer as the packet's output buffer, `filled` first; the target hides its write. */
  async function run(filled: Uint8Array) {
    const r = new Recorder({}, false);
    const out = allocatePool(r, 0x100);
    r.call('@write', { va: out, data: filled });
    const pVrp = {
      ioControlCode: 0x232000,
      statusBlock: 0n,
      inputBuffer: 0n,
      inputBufferLength: 0,
      outputBuffer: out,
      outputBufferLength: 0x40,
    };
    r.call('VideoPortMapDmaMemory', mapDmaArgs({ pVrp }));
    const inner = createModelTargetSync({
      device: resolveDevice({}),
      profile: 'docs',
      layout: 'alternate',
    });
    let targetOut = 0n;
    const target: Target = {
      ...inner,
      call(c) {
        const o = inner.call(c);
        if (c.fn === 'VideoPortAllocatePool' && typeof o.ret === 'bigint') targetOut = o.ret;
        if (c.fn === 'VideoPortMapDmaMemory') {
          inner.model.step('@write', { va: targetOut + 4n, data: bytes('00100000') });
          inner.model.touched(); // left out of touched()
        }
        return o;
      },
    };
    const res = await replayTrace(emptyHeader(), r.calls, target);
    const hex = (d: bigint) => `0x${d.toString(16)}`;
    return { v: res.violations[0], at: (off: bigint) => hex(targetOut + off), trace: out };
  }

  it('over bytes that held something else: all four, and the words around them', async () => {
    const { v, at, trace } = await run(bytes('11223344 55667788 9900aabb'));
    expect(v?.kind).toBe('memory-corrupted');
    expect(v?.field).toBe(at(4n));
    expect(v?.message).toBe(
      `VideoPortMapDmaMemory changed memory at ${at(4n)}..${at(7n)} (trace 0x${(trace + 4n).toString(16)}..0x${(trace + 7n).toString(16)}) ` +
        '(4 bytes differ; in the memory its arguments name, at pVrp.outputBuffer+0x4): ' +
        `16 bytes from ${at(0n)}: 11223344 55667788 9900aabb 00000000 became 11223344 00100000 9900aabb 00000000`,
    );
    expect(v?.expected).toBe('11223344 55667788 9900aabb 00000000');
    expect(v?.actual).toBe('11223344 00100000 9900aabb 00000000');
  });

  it('over zeros: the one byte that changed, at +5, with the ULONG it is in', async () => {
    const { v, at } = await run(new Uint8Array(4));
    expect(v?.field).toBe(at(5n));
    expect(v?.message).toContain(`changed memory at ${at(5n)} (trace `);
    expect(v?.message).toContain(
      `(in the memory its arguments name, at pVrp.outputBuffer+0x5): 16 bytes from ${at(0n)}: ` +
        '00000000 00000000 00000000 00000000 became 00000000 00100000 00000000 00000000',
    );
  });
});
