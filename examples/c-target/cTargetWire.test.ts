// The C process target (examples/c-target) on the wire, without the harness: malformed input
// is answered with an error (or a clean exit), never undefined behaviour; touched answers are
// bounded, and ride in call answers only when the hello accepts touched-in-call. (The binary is
// built once by test/buildCTarget.ts.)
import { describe, expect, it } from 'vitest';
import { createRng, int } from '../../src/core/rng.js';
import { resolveDevice } from '../../src/model/device.js';
import { packMessage } from '../../src/trace/codec.js';
import { testSeed } from '../../test/seed.js';
import { frame, hello, isError, msg, talk } from './testKit.js';

describe('malformed input is answered with an error, never undefined behaviour', () => {
  it('each bad frame gets {error} and the target reads on', () => {
    const bad: Buffer[] = [
      frame(Uint8Array.of(0xc1)), // a never-used type byte
      frame(Uint8Array.of(0x82, 0xa2, 0x6f)), // a map cut short
      frame(Uint8Array.of(0xdb, 0xff, 0xff, 0xff, 0xff, 0x61)), // str longer than the frame
      frame(Uint8Array.of(0xdf, 0x7f, 0xff, 0xff, 0xff)), // map count far beyond the input
      frame(Uint8Array.of(0xd4, 0x01, 0x02)), // ext
      frame(new Uint8Array(200).fill(0x91)), // arrays nested 200 deep
      frame(Uint8Array.of(0x93, 0x01, 0x02, 0x03)), // not a map
      frame(Uint8Array.of(0x80, 0x80)), // trailing bytes
      frame(new Uint8Array(0)), // empty payload
      msg({ op: 'dance' }),
      msg({ op: 'call', fn: 'VideoPortFrobnicate', args: {} }),
      msg({ op: 'call', fn: 7, args: {} }),
      msg({ op: 'call', fn: 'VideoPortGetDmaAdapter', args: [1, 2] }),
      msg({ op: 'read', address: 0xffff900000000000n, length: 16 }),
      msg({ op: 'read', address: 0x1000n, length: 16 << 20 }),
    ];
    const before = talk(Buffer.concat([msg({ op: 'state' }), ...bad]));
    expect(before.answers.every(isError)).toBe(true); // no hello yet: everything is an error
    const r = talk(Buffer.concat([hello, ...bad, msg({ op: 'close' })]));
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.answers).toHaveLength(bad.length + 2);
    expect(r.answers.slice(1, -1).every(isError)).toBe(true);
    expect(r.answers[r.answers.length - 1]).toEqual({});
  });

  it('a @read longer than a trace can carry is answered with no bytes, as the model', () => {
    const read = msg({ op: 'call', fn: '@read', args: { va: 0x100000n, length: 0xffffffff } });
    const r = talk(Buffer.concat([hello, read, msg({ op: 'close' })]));
    expect(r.status).toBe(0);
    const ret = (r.answers[1] as { ret?: Uint8Array }).ret;
    expect(ret).toBeInstanceOf(Uint8Array);
    expect(ret?.length).toBe(0);
  });

  it('random payloads never crash it', () => {
    const rng = createRng(testSeed.value);
    const frames = Array.from({ length: 500 }, () => {
      const valid = packMessage({
        op: 'call',
        fn: '@write',
        args: { va: 0x10000n, data: Uint8Array.of(1) },
      });
      const bytes = Uint8Array.from({ length: int(rng, 0, 64) }, () => int(rng, 0, 255));
      // Half pure noise, half a valid request with a few bytes flipped.
      if (int(rng, 0, 1) === 0) return frame(bytes);
      for (let k = int(rng, 1, 3); k > 0; k--) {
        const at = int(rng, 0, valid.length - 1);
        valid[at] = (valid[at] ?? 0) ^ (1 << int(rng, 0, 7));
      }
      return frame(valid);
    });
    const r = talk(Buffer.concat([hello, ...frames, msg({ op: 'close' })]));
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.answers).toHaveLength(frames.length + 2);
  });

  it('an oversized frame or input cut mid-frame ends it with exit code 1', () => {
    const huge = Buffer.alloc(4);
    huge.writeUInt32LE((16 << 20) + 1, 0);
    for (const input of [
      Buffer.concat([hello, huge]),
      Buffer.concat([hello, hello.subarray(0, 9)]),
    ]) {
      const r = talk(input);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.answers).toHaveLength(1);
    }
  });
});

describe('touched answers are bounded', () => {
  const big = msg({
    op: 'hello',
    version: 1,
    profile: 'docs',
    device: resolveDevice({ systemMemoryBytes: 512 << 20 }),
  });
  const pages = 70_000; // one byte written in each: more pages than an answer may list ranges
  const alloc = msg({
    op: 'call',
    fn: 'VideoPortAllocatePool',
    args: { hwDeviceExtension: 0n, poolType: 0, numberOfBytes: pages * 4096, tag: 0 },
  });
  const touched = msg({ op: 'touched' });
  const ranges = (a: unknown): [bigint, number][] =>
    ((a as { ranges: [number | bigint, number][] }).ranges ?? []).map(([x, n]) => [BigInt(x), n]);

  it('byte-granular when few, coarsened to at most 65,536 ranges when many, then empty', () => {
    const first = talk(Buffer.concat([big, alloc, msg({ op: 'close' })]));
    const va = BigInt((first.answers[1] as { ret: number | bigint }).ret);
    expect(va).not.toBe(0n);
    const write = (page: number): Buffer =>
      msg({
        op: 'call',
        fn: '@write',
        args: { va: va + BigInt(page * 4096 + 0x800), data: Uint8Array.of(0xa5) },
      });
    const r = talk(
      Buffer.concat([
        big,
        alloc,
        touched, // drains the allocation
        write(0),
        write(2),
        touched,
        ...Array.from({ length: pages }, (_, i) => write(i)),
        touched,
        touched,
        msg({ op: 'close' }),
      ]),
    );
    expect(r.status).toBe(0);
    const a = r.answers;
    expect(ranges(a[5])).toEqual([
      [va + 0x800n, 1],
      [va + 0x2800n, 1],
    ]);
    const many = ranges(a[6 + pages]);
    expect(many.length).toBeGreaterThan(0);
    expect(many.length).toBeLessThanOrEqual(65536);
    const covered = (x: bigint): boolean => many.some(([at, n]) => x >= at && x < at + BigInt(n));
    for (let i = 0; i < pages; i += 997) expect(covered(va + BigInt(i * 4096 + 0x800))).toBe(true);
    expect(covered(va + BigInt((pages - 1) * 4096 + 0x800))).toBe(true);
    // Never beyond the allocation.
    for (const [at, n] of many) {
      expect(at >= va).toBe(true);
      expect(at + BigInt(n) <= va + BigInt(pages * 4096)).toBe(true);
    }
    expect(ranges(a[7 + pages])).toEqual([]);
  });

  it('puts touched in every call answer only when the hello accepts touched-in-call', () => {
    const accepting = msg({
      op: 'hello',
      version: 1,
      profile: 'docs',
      device: resolveDevice(),
      accepts: ['touched-in-call'],
    });
    const pool = msg({
      op: 'call',
      fn: 'VideoPortAllocatePool',
      args: { hwDeviceExtension: 0n, poolType: 0, numberOfBytes: 4096, tag: 0 },
    });
    const features = (a: unknown): unknown => (a as { features: unknown }).features;
    // The same address every session (the C target allocates deterministically).
    const va = BigInt((talk(Buffer.concat([hello, pool])).answers[1] as { ret: bigint }).ret);
    const write = msg({
      op: 'call',
      fn: '@write',
      args: { va: va + 0x10n, data: Uint8Array.of(1, 2, 3) },
    });
    const on = talk(Buffer.concat([accepting, pool, write, touched]));
    expect(features(on.answers[0])).toEqual(['state', 'touched', 'touched-in-call']);
    const inAnswer = (a: unknown): unknown => ({ ranges: (a as { touched: unknown }).touched });
    expect(ranges(inAnswer(on.answers[1]))).toEqual([]);
    expect(ranges(inAnswer(on.answers[2]))).toEqual([[va + 0x10n, 3]]);
    // Reported with the call: a touched request then has nothing new.
    expect(on.answers[3]).toEqual({ ranges: [] });
    // Not offered by vpdma (an older one), or turned off: touched is a request of its own.
    for (const [input, env] of [
      [hello, {}],
      [accepting, { VPDMA_C_NO_TOUCHED_IN_CALL: '1' }],
    ] as const) {
      const off = talk(Buffer.concat([input, pool, write, touched]), env);
      expect(features(off.answers[0])).toEqual(['state', 'touched']);
      expect(off.answers[2]).not.toHaveProperty('touched');
      expect(ranges(off.answers[3])).toEqual([[va + 0x10n, 3]]);
    }
  });

  it('VPDMA_C_NO_TOUCHED=1 leaves touched out of the features and refuses the request', () => {
    const features = (a: unknown): unknown => (a as { features: unknown }).features;
    const on = talk(Buffer.concat([hello, touched]));
    expect(features(on.answers[0])).toEqual(['state', 'touched']);
    expect(on.answers[1]).toEqual({ ranges: [] });
    const off = talk(Buffer.concat([hello, touched]), { VPDMA_C_NO_TOUCHED: '1' });
    expect(features(off.answers[0])).toEqual(['state']);
    expect(isError(off.answers[1])).toBe(true);
  });
});
