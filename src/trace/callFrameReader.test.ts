// The fast call-frame reader against the general path (msgpackr, then adoptVptCall): on frames
// our writer makes it must decode every one, exactly as the general path does; on damaged or
// foreign frames, whatever it accepts the general path must accept with the same result.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CallFrameReader } from './callFrameReader.js';
import { type CallFrameParts, CallFramePacker, CallFrameUnpacker } from './codec.js';
import { adoptVptCall } from './validate.js';
import { traceArbitrary } from './traceArbitrary.js';
import { decodeVpt, VptWriter } from './vpt.js';
import { emptyHeader } from './trace.js';
import { formatTraceError } from './traceError.js';
import type { TraceCall } from '../model/values.js';

/** A call frame's payload: the structures block (as the writer spells it), then `body`. */
function payloadOf(structures: readonly (readonly string[])[], body: Uint8Array): Uint8Array {
  const list: number[] = [];
  const count = (n: number): number => list.push(...(n < 16 ? [0x90 + n] : [0xdc, n >> 8, n]));
  count(structures.length);
  for (const s of structures) {
    count(s.length);
    for (const k of s) list.push(0xa0 + k.length, ...new TextEncoder().encode(k));
  }
  const out = new Uint8Array(4 + list.length + body.length);
  new DataView(out.buffer).setUint32(0, list.length, true);
  out.set(list, 4);
  out.set(body, 4 + list.length);
  return out;
}

/** The frame's parts, as VptDecoder hands them to both paths. */
function partsOf(payload: Uint8Array, unpacker: CallFrameUnpacker): CallFrameParts {
  const parts = unpacker.parts(payload);
  if ('error' in parts) throw new Error(parts.error);
  return parts;
}

/** The general path's calls, or undefined where it refuses any of them. */
function general(parts: CallFrameParts, unpacker: CallFrameUnpacker): TraceCall[] | undefined {
  const u = unpacker.unpack(parts);
  if ('error' in u || !Array.isArray(u.value)) return undefined;
  const calls: TraceCall[] = [];
  for (const raw of u.value as unknown[]) {
    const c = adoptVptCall(raw, {});
    if (!c.ok) return undefined;
    calls.push(c.value);
  }
  return calls;
}

/** Calls as text that keeps key order and value types (JSON.stringify walks keys in order). */
function spelled(calls: readonly TraceCall[] | undefined): string {
  return JSON.stringify(calls, (_, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `${v.constructor.name}[${v.join(',')}]`;
    return v;
  });
}

/**
 * Both paths on one frame payload: whatever the fast one accepts, the general one gives.
 * `frame` is a whole frame (as CallFramePacker makes it) or, with `bare`, a payload.
 */
function agree(frame: Uint8Array, room = Infinity, bare = false): TraceCall[] | undefined {
  const unpacker = new CallFrameUnpacker();
  const parts = unpacker.parts(bare ? frame : frame.subarray(8));
  if ('error' in parts) return undefined;
  const fast = new CallFrameReader().read(parts.body, parts.structures, room);
  if (fast !== undefined) expect(spelled(fast)).toBe(spelled(general(parts, unpacker)));
  return fast;
}

describe('CallFrameReader', () => {
  it('reads every frame the writer makes, as the general path does', () => {
    fc.assert(
      fc.property(traceArbitrary({ callsMax: 40 }), (t) => {
        fc.pre(t.calls.length > 0);
        const fast = agree(new CallFramePacker().frame(t.calls));
        expect(fast).toBeDefined();
        expect(fast).toHaveLength(t.calls.length);
      }),
      { numRuns: 200 },
    );
  });

  it('reads records of structure 32 on (two-byte ids), across frames of one writer', () => {
    const packer = new CallFramePacker();
    const unpacker = new CallFrameUnpacker();
    const reader = new CallFrameReader();
    const traces = fc.sample(traceArbitrary({ callsMax: 30 }), { numRuns: 250, seed: 7 });
    let structures = 0;
    for (const t of traces.filter((x) => x.calls.length > 0)) {
      const parts = partsOf(packer.frame(t.calls).subarray(8), unpacker);
      structures = parts.structures.length;
      const fast = reader.read(parts.body, parts.structures, Infinity);
      expect(fast).toBeDefined();
      expect(spelled(fast)).toBe(spelled(general(parts, unpacker)));
    }
    expect(structures).toBeGreaterThan(64);
  });

  it('accepts a damaged frame only where the general path gives the same calls', () => {
    const damage = fc.array(
      fc.record({
        at: fc.nat(),
        kind: fc.constantFrom('flip', 'cut', 'insert'),
        byte: fc.nat(255),
      }),
      { minLength: 1, maxLength: 3 },
    );
    let accepted = 0;
    fc.assert(
      fc.property(traceArbitrary({ callsMax: 12 }), damage, (t, ds) => {
        fc.pre(t.calls.length > 0);
        const parts = partsOf(
          new CallFramePacker().frame(t.calls).subarray(8),
          new CallFrameUnpacker(),
        );
        let body = parts.body;
        for (const d of ds) {
          const at = d.at % (body.length + 1);
          if (d.kind === 'flip') body = body.map((b, i) => (i === at ? b ^ (d.byte | 1) : b));
          else if (d.kind === 'cut') body = body.slice(0, at);
          else body = new Uint8Array([...body.subarray(0, at), d.byte, ...body.subarray(at)]);
        }
        if (agree(payloadOf(parts.structures, body), Infinity, true) !== undefined) accepted++;
      }),
      { numRuns: 1500 },
    );
    // Not vacuous: flips in byte strings and numbers leave frames that still decode.
    expect(accepted).toBeGreaterThan(50);
  });

  it('accepts other structure lists only where the general path gives the same calls', () => {
    const keys = ['fn', 'args', 'ret', 'out', 'va', 'data', 'length', 'address', 'x', 'args,ret'];
    const list = fc.array(fc.uniqueArray(fc.constantFrom(...keys), { maxLength: 5 }), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(traceArbitrary({ callsMax: 8 }), list, fc.nat(), (t, other, seed) => {
        fc.pre(t.calls.length > 0);
        const parts = partsOf(
          new CallFramePacker().frame(t.calls).subarray(8),
          new CallFrameUnpacker(),
        );
        const structures = parts.structures.map((s, i) =>
          i % 3 === seed % 3 ? (other[i % other.length] ?? s) : s,
        );
        agree(payloadOf(structures, parts.body), Infinity, true);
      }),
      { numRuns: 500 },
    );
  });

  it('reads every scalar encoding as msgpackr does, refusing what validation refuses', () => {
    // VideoPortSetEvent(hwDeviceExtension: ptr, pEvent: ptr) returns an i32.
    const structures = [
      ['fn', 'args', 'ret'],
      ['hwDeviceExtension', 'pEvent'],
    ];
    const name = [0xa0 + 17, ...new TextEncoder().encode('VideoPortSetEvent')];
    const u64 = (hi: number, lo: number): number[] =>
      [hi >>> 24, hi >> 16, hi >> 8, hi, lo >>> 24, lo >> 16, lo >> 8, lo].map((b) => b & 255);
    const call = (ptr: number[], ret: number[]): Uint8Array =>
      payloadOf(
        structures,
        new Uint8Array([0x91, 0x40, ...name, 0x41, 0xcf, ...u64(0, 0), ...ptr, ...ret]),
      );
    const f32 = (x: number): number[] =>
      [...new Uint8Array(new Float32Array([x]).buffer)].reverse();
    const f64 = (x: number): number[] =>
      [...new Uint8Array(new Float64Array([x]).buffer)].reverse();
    const rets: [number[], number | undefined][] = [
      [[0x05], 5],
      [[0xfd], -3],
      [[0xd0, 0x80], -128],
      [[0xd1, 0x80, 0x00], -32768],
      [[0xd2, 0x80, 0, 0, 0], -0x80000000],
      [[0xcc, 200], 200],
      [[0xcd, 0xff, 0xff], 0xffff],
      [[0xce, 0x7f, 0xff, 0xff, 0xff], 0x7fffffff],
      [[0xce, 0xff, 0xff, 0xff, 0xff], undefined], // above i32
      [[0xca, ...f32(3)], 3],
      [[0xca, ...f32(1.5)], undefined],
      [[0xcb, ...f64(-0)], 0],
      [[0xcb, ...f64(-7)], -7],
      [[0xcf, ...u64(0, 1)], 1], // a 64-bit int is read by its value
      [[0xd3, ...u64(-1, -1)], -1],
      [[0xcf, ...u64(0, 0x80000000)], undefined], // above i32
      [[0xc3], undefined],
      [[0xc4, 1, 0], undefined],
      [[0xc0], undefined],
    ];
    for (const [ret, want] of rets) {
      const calls = agree(call([0x07], ret), Infinity, true);
      expect(calls?.[0]?.ret, ret.join(',')).toBe(want);
    }
    const ptrs: [number[], bigint | undefined][] = [
      [[0x07], 7n],
      [[0xcf, ...u64(0xffffffff, 0xffffffff)], (1n << 64n) - 1n],
      [[0xcf, ...u64(0, 0)], 0n],
      [[0xd3, ...u64(0, 9)], 9n],
      [[0xd3, ...u64(-1, -1)], undefined], // negative
      [[0xff], undefined],
      [[0xcb, ...f64(2 ** 53)], undefined], // not a safe integer
    ];
    for (const [ptr, want] of ptrs) {
      const calls = agree(call(ptr, [0x01]), Infinity, true);
      expect(calls?.[0]?.args['pEvent'], ptr.join(',')).toBe(want);
    }
  });

  it('leaves to the general path what it does not read itself', () => {
    const write = (args: Record<string, unknown>): Record<string, unknown> => ({
      fn: '@write',
      args,
    });
    const cases: Record<string, unknown>[] = [
      write({ va: '0x10', data: new Uint8Array(1) }), // a pointer spelled as text: valid
      write({ va: 1n, data: 'ab' }), // bytes spelled as hex: valid
      write({ va: 1n }), // a required argument missing
      write({ va: 1n, data: new Uint8Array(1), extra: 1 }), // an unknown argument
      { fn: '@write', args: { va: 1n, data: new Uint8Array(1) }, ret: 1n }, // ret on VOID
      { fn: 'NoSuchFunction', args: {} },
      { args: { va: 1n, data: new Uint8Array(1) }, fn: '@write' }, // keys in another order
      write({ va: null, data: new Uint8Array(1) }),
    ];
    for (const c of cases) {
      const frame = new CallFramePacker().frame([c as unknown as TraceCall]);
      expect(
        agree(frame),
        JSON.stringify(c, (_, v: unknown) => String(v)),
      ).toBeUndefined();
    }
    const ok = new CallFramePacker().frame([
      { fn: '@write', args: { va: 1n, data: new Uint8Array(1) } },
    ]);
    expect(agree(ok)).toHaveLength(1);
    expect(agree(ok, 0)).toBeUndefined(); // no room left for calls: the general path says so
    // @executeDma's out.elements (an SG list): a valid one, then one nested past any list's
    // depth, which the reader gives up on without recursing down it.
    const structures = [
      ['fn', 'args', 'out'],
      ['vpDmaAdapter'],
      ['elements'],
      ['address', 'length'],
    ];
    const head = [0x91, 0x40, 0xab, ...new TextEncoder().encode('@executeDma'), 0x41, 0x01, 0x42];
    const valid = agree(
      payloadOf(structures, new Uint8Array([...head, 0x91, 0x43, 0x05, 0x06])),
      Infinity,
      true,
    );
    expect(valid?.[0]?.out).toEqual({ elements: [{ address: 5n, length: 6 }] });
    // Keys are compared whole: "args,ret" is one key, not two.
    const commas = [
      ['fn', 'args,ret'],
      ['hwDeviceExtension', 'pEvent'],
    ];
    const setEvent = [0xa0 + 17, ...new TextEncoder().encode('VideoPortSetEvent')];
    const trailing = new Uint8Array([0x91, 0x40, ...setEvent, 0x41, 0x01, 0x02, 0x05]);
    expect(agree(payloadOf(commas, trailing), Infinity, true)).toBeUndefined();
    const deep = new Uint8Array([...head, ...new Array<number>(100_000).fill(0x91), 0x90]);
    expect(agree(payloadOf(structures, deep), Infinity, true)).toBeUndefined();
  });

  it('frames it leaves alone still decode through the general path, errors as before', () => {
    const w = new VptWriter(emptyHeader());
    const text = { fn: '@write', args: { va: '0x10', data: 'abcd' } } as unknown as TraceCall;
    const bad = { fn: '@write', args: { va: 1n } } as unknown as TraceCall;
    const packer = new CallFramePacker();
    const [head, first, second] = [w.start(), packer.frame([text]), packer.frame([bad])];
    const r = decodeVpt(new Uint8Array([...head, ...first, ...second]), 't.vpt');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe('missing argument of @write');
    expect(r.error.field).toBe('args.data');
    expect(formatTraceError(r.error)).toBe(
      `t.vpt: byte ${head.length + first.length}: call 1: args.data: missing argument of @write`,
    );
    const good = decodeVpt(new Uint8Array([...head, ...first]));
    expect(good.ok && good.value.calls).toEqual([
      { fn: '@write', args: { va: 0x10n, data: new Uint8Array([0xab, 0xcd]) } },
    ]);
  });
});
