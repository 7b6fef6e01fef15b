// The in-place comparison against the oracle's pages says exactly what comparing a copy says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { AddressBook } from './addressBook.js';
import { TargetFault } from './callTarget.js';
import {
  chunkBytesMax,
  chunks,
  diffSnapshots,
  firstDiff,
  firstDiffWithModel,
  mergeSpans,
  readTargetMaybe,
} from './memory.js';
import type { Target } from './target.js';
import { createModelTargetSync } from './modelTarget.js';
import { resolveDevice } from '../model/device.js';

/** A model with a 64 KiB pool block whose pages are partly written (the rest never touched). */
function modelWithBlock(): { r: Recorder; block: bigint } {
  const r = new Recorder({}, false);
  const block = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x10000, tag: 1 });
  expect(block).not.toBe(0n);
  return { r, block };
}

describe('firstDiffWithModel', () => {
  it('agrees with firstDiff over a copy, across pages written and never written', () => {
    const write = fc.record({
      off: fc.nat(0xffff),
      data: fc.uint8Array({ minLength: 1, maxLength: 0x1800 }),
    });
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 4 }),
        fc.nat(0xffff),
        fc.integer({ min: 1, max: 0x3000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }),
        (writes, start, len, flips) => {
          const { r, block } = modelWithBlock();
          for (const w of writes) {
            const n = Math.min(w.data.length, 0x10000 - w.off);
            r.call('@write', { va: block + BigInt(w.off), data: w.data.subarray(0, n) });
          }
          const length = Math.min(len, 0x10000 - start);
          const at = block + BigInt(start);
          const actual = r.model.read(at, length)?.slice();
          expect(actual).toBeDefined();
          if (actual === undefined) return;
          for (const [i, v] of flips) actual[i % length] = v;
          expect(firstDiffWithModel(r.model, at, length, actual)).toEqual(
            firstDiff(at, r.model.read(at, length), actual),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports the first changed byte with its address and both values', () => {
    const { r, block } = modelWithBlock();
    r.call('@write', { va: block + 0xff0n, data: new Uint8Array(0x20).fill(7) });
    const actual = r.model.read(block, 0x2000)?.slice() ?? new Uint8Array(0);
    actual[0x1005] = 9; // second page, past the written bytes
    expect(firstDiffWithModel(r.model, block, 0x2000, actual)).toEqual({
      address: block + 0x1005n,
      expected: '0x07',
      actual: '0x09',
    });
    actual[0x1005] = 7;
    expect(firstDiffWithModel(r.model, block, 0x2000, actual)).toBeUndefined();
  });

  it('tells unmapped and unreadable apart as firstDiff does', () => {
    const { r, block } = modelWithBlock();
    const nowhere = 0xffff_f000_0000_0000n;
    expect(firstDiffWithModel(r.model, nowhere, 16, new Uint8Array(16))).toEqual({
      address: nowhere,
      expected: 'unmapped',
      actual: '16 bytes',
    });
    expect(firstDiffWithModel(r.model, block, 16, undefined)).toEqual({
      address: block,
      expected: '16 readable bytes',
      actual: 'unreadable',
    });
    expect(firstDiffWithModel(r.model, nowhere, 16, undefined)).toBeUndefined();
  });
});

describe('readTargetMaybe', () => {
  const device = resolveDevice({});
  const setup = () => {
    const t = createModelTargetSync({ device, profile: 'docs' });
    const block = t.call({
      fn: 'VideoPortAllocatePool',
      args: { poolType: 0, numberOfBytes: 0x1000, tag: 1 },
    }).ret;
    expect(typeof block).toBe('bigint');
    t.call({ fn: '@write', args: { va: block as bigint, data: new Uint8Array([1, 2, 3]) } });
    return { t, block: block as bigint, book: new AddressBook() };
  };

  it('reads the model target without an exception for unmapped memory', () => {
    const { t, block, book } = setup();
    expect(readTargetMaybe(t, book, { address: block, length: 3 })).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    expect(readTargetMaybe(t, book, { address: 0xffff_f000_0000_0000n, length: 3 })).toBe(
      undefined,
    );
    expect(() => t.read(0xffff_f000_0000_0000n, 3)).toThrow(/unmapped/);
  });

  it("goes through a wrapper's own read when it replaces the model's", () => {
    const { t, block, book } = setup();
    const lying = {
      ...t,
      read: (address: bigint, length: number) => {
        const bytes = t.read(address, length).slice();
        bytes[0] = 0xee;
        return bytes;
      },
    };
    expect(readTargetMaybe(lying, book, { address: block, length: 3 })).toEqual(
      new Uint8Array([0xee, 2, 3]),
    );
    // Its read throws there (the model's quiet read is not the wrapper's): said in its words.
    expect(readTargetMaybe(lying, book, { address: 0xffff_f000_0000_0000n, length: 3 })).toEqual({
      unreadable: 'RangeError: unmapped: 0xfffff00000000000+3',
    });
  });
});

describe('readTargetMaybe', () => {
  const span = { address: 0xffffc00000000000n, length: 8 };
  const throwing = (e: unknown): Target => ({
    call: () => ({}),
    read: () => {
      throw e;
    },
  });

  it('reads an error the target answered, or any a module throws, as unreadable, in its words', () => {
    const book = new AddressBook();
    expect(readTargetMaybe(throwing(new RangeError('unmapped')), book, span)).toEqual({
      unreadable: 'RangeError: unmapped',
    });
    const answered = new TargetFault('reported an error: unmapped', false, true);
    expect(readTargetMaybe(throwing(answered), book, span)).toEqual({
      unreadable: 'reported an error: unmapped',
    });
    // Cut as other target text is, once (a TargetFault's message is cut already).
    const long = readTargetMaybe(throwing(new Error('x'.repeat(5000))), book, span);
    expect(long).toEqual({ unreadable: `Error: ${'x'.repeat(993)}... (5007 characters in all)` });
    const faultLong = new TargetFault(`reported an error: ${'y'.repeat(5000)}`, false, true);
    expect(readTargetMaybe(throwing(faultLong), book, span)).toEqual({
      unreadable: faultLong.message,
    });
    expect(faultLong.message).toMatch(/\.\.\. \(5019 characters in all\)$/);
  });

  it('says why a read the oracle can answer was refused, and a refusal where it cannot is none', () => {
    const { r, block } = modelWithBlock();
    const refused = { unreadable: 'read() of 16 bytes at 0x10 threw Error: EFAULT' };
    expect(firstDiffWithModel(r.model, block, 16, refused)).toEqual({
      address: block,
      expected: '16 readable bytes',
      actual: 'unreadable (read() of 16 bytes at 0x10 threw Error: EFAULT)',
    });
    expect(firstDiffWithModel(r.model, 0xffff_f000_0000_0000n, 16, refused)).toBeUndefined();
    // Refused before a call and after it: no change, whatever the words.
    const span16 = [{ address: block, length: 16 }];
    expect(diffSnapshots(span16, [refused], [{ unreadable: 'other words' }])).toBeUndefined();
    expect(diffSnapshots(span16, [new Uint8Array(16)], [refused])?.actual).toBe(
      `unreadable (${refused.unreadable})`,
    );
  });

  it('lets a dead, hung or garbling target through as the fault it is', async () => {
    const book = new AddressBook();
    const garbage = new TargetFault('sent garbage: read of 8 bytes answered 9 bytes');
    expect(() => readTargetMaybe(throwing(garbage), book, span)).toThrow(garbage);
    const hung: Target = {
      call: () => ({}),
      read: () => Promise.reject(new TargetFault('did not answer read within 5 ms', true)),
    };
    await expect(readTargetMaybe(hung, book, span)).rejects.toThrow(/did not answer read/);
  });
});

describe('mergeSpans', () => {
  /** Every byte the spans cover, as a set of addresses (spans are short here). */
  const bytesOf = (spans: readonly { address: bigint; length: number }[]): Set<bigint> => {
    const out = new Set<bigint>();
    for (const s of spans) for (let i = 0; i < s.length; i++) out.add(s.address + BigInt(i));
    return out;
  };
  const spanArb = fc.record({
    address: fc.bigInt({ min: 0n, max: 200n }),
    length: fc.integer({ min: 0, max: 40 }),
  });
  // Sorted lists too, with and without gaps: mergeSpans takes shortcuts for those.
  const listArb = fc.oneof(
    fc.array(spanArb, { maxLength: 8 }),
    fc
      .array(spanArb, { maxLength: 8 })
      .map((l) => [...l].sort((a, b) => (a.address < b.address ? -1 : 1))),
  );

  it('covers the same bytes, sorted, with no two spans overlapping or touching', () => {
    fc.assert(
      fc.property(listArb, (spans) => {
        const merged = mergeSpans(spans);
        expect(bytesOf(merged)).toEqual(bytesOf(spans));
        for (let i = 1; i < merged.length; i++) {
          const a = merged[i - 1];
          const b = merged[i];
          if (a === undefined || b === undefined) throw new Error('hole');
          expect(a.address + BigInt(a.length)).toBeLessThan(b.address);
        }
      }),
    );
  });
});

describe('chunks', () => {
  it('splits spans longer than chunkBytesMax into chunks that cover them exactly, tails included', () => {
    const max = chunkBytesMax;
    const spans = [
      { address: 0x1000n, length: 2 * max + 3 },
      { address: 0x10000000n, length: 5 },
    ];
    expect(chunks(spans)).toEqual([
      { address: 0x1000n, length: max },
      { address: 0x1000n + BigInt(max), length: max },
      { address: 0x1000n + BigInt(2 * max), length: 3 },
      { address: 0x10000000n, length: 5 },
    ]);
  });
});
