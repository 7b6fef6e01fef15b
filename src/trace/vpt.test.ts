import { describe, expect, it } from 'vitest';
import { decodeVpt, encodeVpt, readVptCalls, readVptFrames, VptWriter } from './vpt.js';
import { CallFramePacker, FRAME_HEADER_BYTES, PRELUDE_BYTES } from './codec.js';
import { formatTraceError } from './traceError.js';
import type { TraceItem } from './items.js';
import type { Trace } from './trace.js';
import { emptyHeader } from './trace.js';
import type { TraceCall } from '../model/values.js';
import { tableRevision } from '../model/calls.js';

const call = (i: number): TraceCall => ({
  fn: '@write',
  args: { va: 0xffffa00000000000n + BigInt(i) * 16n, data: new Uint8Array([i & 0xff, 1, 2]) },
});
const trace = (n: number): Trace => ({
  header: emptyHeader({ source: 'test' }),
  calls: Array.from({ length: n }, (_, i) => call(i)),
});

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
  return Promise.resolve();
}
async function stream(bytes: Uint8Array, size = 4096): Promise<TraceItem[]> {
  const out: TraceItem[] = [];
  for await (const item of readVptCalls(chunks(bytes, size), 't.vpt')) out.push(item);
  return out;
}
const callsOf = (items: TraceItem[]): TraceCall[] =>
  items.flatMap((i) => (i.kind === 'call' ? [i.call] : []));
const errorOf = (items: TraceItem[]): string | undefined => {
  const last = items[items.length - 1];
  return last?.kind === 'error' ? formatTraceError(last.error) : undefined;
};

/** Offsets of every frame after the header frame. */
function frameOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  for (
    let at = PRELUDE_BYTES;
    at < bytes.length;
    at += FRAME_HEADER_BYTES + view.getUint32(at, true)
  ) {
    offsets.push(at);
  }
  return offsets;
}

describe('.vpt encode/decode', () => {
  const big = trace(1300);
  const bytes = encodeVpt(big);
  const offsets = frameOffsets(bytes);

  it('starts with the magic and version and batches calls into frames of at most 512', () => {
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x56, 0x50, 0x44, 0x54, 1, 0]);
    expect(offsets).toHaveLength(4); // header + 512 + 512 + 276
    expect(decodeVpt(bytes, 't.vpt')).toEqual({ ok: true, value: big });
  });

  it('streams the same calls at any chunk size, with the writer revision', async () => {
    for (const size of [1, 7, 8, 4096, bytes.length]) {
      const items = await stream(bytes, size);
      expect(callsOf(items)).toEqual(big.calls);
      expect(items[0]).toEqual({
        kind: 'header',
        header: big.header,
        modelRevision: tableRevision(),
      });
      expect(errorOf(items)).toBeUndefined();
    }
  });

  it('streams frame by frame: one batch per call frame, the same calls, the same error', async () => {
    const batches: number[] = [];
    const got: TraceCall[] = [];
    for await (const item of readVptFrames(chunks(bytes, 4096), 't.vpt')) {
      if (item.kind === 'calls') {
        batches.push(item.calls.length);
        got.push(...item.calls);
      } else expect(item.kind).toBe('header');
    }
    expect(batches).toEqual([512, 512, 276]);
    expect(got).toEqual(big.calls);
    const cut = bytes.subarray(0, (offsets[3] as number) + 20);
    const items = [];
    for await (const item of readVptFrames(chunks(cut, 4096), 't.vpt')) items.push(item.kind);
    expect(items).toEqual(['header', 'calls', 'calls', 'error']);
  });

  it('closes its source at damage and when the consumer stops early, not only at the end', async () => {
    // A source that counts how it ended: a file's chunks close the file in their finally.
    const ends: string[] = [];
    async function* tracked(b: Uint8Array): AsyncGenerator<Uint8Array> {
      try {
        await Promise.resolve(); // a real source awaits its reads
        for (let i = 0; i < b.length; i += 4096) yield b.slice(i, i + 4096);
        ends.push('exhausted');
      } finally {
        ends.push('closed');
      }
    }
    const damaged = bytes.slice();
    const at = (offsets[2] as number) + 20;
    damaged[at] = (damaged[at] ?? 0) ^ 0x40;
    const kinds: string[] = [];
    for await (const item of readVptFrames(tracked(damaged), 't.vpt')) kinds.push(item.kind);
    expect(kinds).toEqual(['header', 'calls', 'error']);
    expect(ends).toEqual(['closed']);
    ends.length = 0;
    for await (const item of readVptFrames(tracked(bytes), 't.vpt'))
      if (item.kind === 'header') break;
    expect(ends).toEqual(['closed']);
    ends.length = 0;
    for await (const item of readVptFrames(tracked(bytes), 't.vpt'))
      expect(item.kind).not.toBe('error');
    expect(ends).toEqual(['exhausted', 'closed']);
  });

  it('holds to callsMax unless told otherwise (a reader that keeps no calls)', async () => {
    const kinds = async (traceCallsMax: number): Promise<string[]> => {
      const out: string[] = [];
      for await (const i of readVptFrames(chunks(bytes, 4096), 't.vpt', { traceCallsMax }))
        out.push(i.kind === 'error' ? formatTraceError(i.error) : i.kind);
      return out;
    };
    const limited = await kinds(600);
    expect(limited.slice(0, 2)).toEqual(['header', 'calls']);
    expect(limited[2]).toMatch(/^t\.vpt: byte \d+: more than 600 calls$/);
    expect(await kinds(Number.POSITIVE_INFINITY)).toEqual(['header', 'calls', 'calls', 'calls']);
  });

  it('reports truncation with the frame offset, after yielding every complete frame', async () => {
    const third = offsets[3] as number;
    for (const cut of [third + 3, third + FRAME_HEADER_BYTES + 10, bytes.length - 1]) {
      const items = await stream(bytes.subarray(0, cut));
      expect(callsOf(items)).toEqual(big.calls.slice(0, 1024));
      expect(errorOf(items)).toMatch(new RegExp(`^t.vpt: byte ${third}: truncated frame`));
      const whole = decodeVpt(bytes.subarray(0, cut), 't.vpt');
      expect(whole.ok ? 'ok' : formatTraceError(whole.error)).toMatch(/truncated frame/);
    }
    expect(callsOf(await stream(bytes.subarray(0, third)))).toEqual(big.calls.slice(0, 1024));
    expect(errorOf(await stream(bytes.subarray(0, 3)))).toBe(
      't.vpt: byte 0: truncated: not a complete .vpt prelude',
    );
    expect(errorOf(await stream(bytes.subarray(0, PRELUDE_BYTES)))).toBe(
      't.vpt: byte 6: truncated: no header frame',
    );
  });

  it('detects a flipped bit by checksum; frames before it stay readable', async () => {
    const second = offsets[2] as number;
    const damaged = bytes.slice();
    const at = second + FRAME_HEADER_BYTES + 100;
    damaged[at] = (damaged[at] as number) ^ 0x10;
    const items = await stream(damaged);
    expect(callsOf(items)).toEqual(big.calls.slice(0, 512));
    expect(errorOf(items)).toBe(`t.vpt: byte ${second}: frame checksum mismatch`);
    const whole = decodeVpt(damaged, 't.vpt');
    expect(whole.ok ? 'ok' : formatTraceError(whole.error)).toBe(
      `t.vpt: byte ${second}: frame checksum mismatch`,
    );
  });

  it('detects any flipped byte in the header frame as bad input, with nothing to salvage', async () => {
    const end = offsets[1] as number;
    let flips = 0;
    for (let at = PRELUDE_BYTES; at < end; at++) {
      for (const mask of [0x01, 0x20, 0xff]) {
        const damaged = bytes.slice();
        damaged[at] = (damaged[at] as number) ^ mask;
        const whole = decodeVpt(damaged, 't.vpt');
        expect(whole.ok, `byte ${at} ^ ${mask}`).toBe(false);
        if (whole.ok) continue;
        const line = formatTraceError(whole.error);
        // Payload and checksum: a checksum mismatch; the length: a frame of another length.
        expect(line, `byte ${at} ^ ${mask}`).toMatch(
          at >= PRELUDE_BYTES + 4
            ? /^t\.vpt: byte 6: frame checksum mismatch$/
            : /^t\.vpt: byte 6: (frame checksum mismatch|truncated frame \(\d+ of \d+ payload bytes\)|frame length \d+ outside 1\.\.16777216)$/,
        );
        // Damage before any call: not salvageable damage, just a bad file.
        expect(whole.error.damaged).toBeUndefined();
        const items = await stream(damaged);
        expect(items.map((i) => i.kind)).toEqual(['error']);
        expect(errorOf(items)).toBe(line);
        flips++;
      }
    }
    expect(flips).toBe(3 * (end - PRELUDE_BYTES));
    expect(end - PRELUDE_BYTES).toBeGreaterThan(FRAME_HEADER_BYTES + 50);
  });

  it('treats a length field claiming gigabytes as damage, without allocating it', async () => {
    const second = offsets[2] as number;
    const damaged = bytes.slice();
    new DataView(damaged.buffer).setUint32(second, 0xfffffff0, true);
    const items = await stream(damaged);
    expect(callsOf(items)).toHaveLength(512);
    expect(errorOf(items)).toBe(
      `t.vpt: byte ${second}: frame length 4294967280 outside 1..16777216`,
    );
  });

  it('marks frame damage after the header as damage (readable before it), and nothing else', async () => {
    const damagedOf = async (b: Uint8Array): Promise<boolean | undefined> => {
      const last = (await stream(b)).at(-1);
      return last?.kind === 'error' ? last.error.damaged === true : undefined;
    };
    const third = offsets[3] as number;
    const flipped = bytes.slice();
    flipped[third + FRAME_HEADER_BYTES + 5] =
      (flipped[third + FRAME_HEADER_BYTES + 5] as number) ^ 1;
    // Cut in a frame header, in a payload; a flipped bit.
    expect(await damagedOf(bytes.subarray(0, third + 3))).toBe(true);
    expect(await damagedOf(bytes.subarray(0, bytes.length - 1))).toBe(true);
    expect(await damagedOf(flipped)).toBe(true);
    // Before the header there is nothing to salvage: the prelude, the header frame itself.
    expect(await damagedOf(bytes.subarray(0, 3))).toBe(false);
    expect(await damagedOf(bytes.subarray(0, PRELUDE_BYTES))).toBe(false);
    expect(await damagedOf(bytes.subarray(0, (offsets[1] as number) - 2))).toBe(false);
    const whole = decodeVpt(flipped, 't.vpt');
    expect(whole.ok ? undefined : whole.error.damaged).toBe(true);
  });

  it('rejects bad magic and unknown format versions', async () => {
    const notVpt = new TextEncoder().encode('{"format":"vpdma-trace"}\n');
    expect(errorOf(await stream(notVpt))).toBe('t.vpt: byte 0: not a .vpt file (bad magic)');
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(errorOf(await stream(v2))).toBe(
      't.vpt: byte 4: formatVersion: unsupported .vpt format version 2 (this vpdma reads 1)',
    );
  });

  it('validates decoded calls: a well-formed frame with a bad call names call and field', async () => {
    const w = new VptWriter(emptyHeader());
    const good = w.push(call(0));
    expect(good).toBeUndefined();
    const head = w.start();
    const first = w.finish() as Uint8Array;
    const evil = new CallFramePacker().frame([
      call(1),
      { fn: '@write', args: { va: -5n, data: new Uint8Array(1) } },
    ] as TraceCall[]);
    const file = new Uint8Array([...head, ...first, ...evil]);
    const items = await stream(file);
    expect(callsOf(items)).toEqual([call(0), call(1)]);
    expect(errorOf(items)).toBe(
      `t.vpt: byte ${head.length + first.length}: call 2: args.va: expected a pointer ("0x..." of at most 16 hex digits), got -0x5`,
    );
  });

  it('decodes byte strings as plain Uint8Arrays that do not alias the input', () => {
    const bytes = encodeVpt(trace(3));
    const r = decodeVpt(bytes);
    if (!r.ok) throw new Error(formatTraceError(r.error));
    const data = r.value.calls[2]?.args['data'] as Uint8Array;
    bytes.fill(0xee);
    expect(data.constructor).toBe(Uint8Array);
    expect(Array.from(data)).toEqual([2, 1, 2]);
  });

  it('byte strings do not alias a Buffer passed in either (every call frame is copied)', () => {
    // A Buffer's own slice() is a view: frames read after the first (whose structures msgpackr
    // loads, copying its input) used to keep views of the caller's memory.
    const w = new VptWriter(emptyHeader());
    const parts = [w.start()];
    for (let i = 0; i < 1200; i++) {
      const f = w.push(call(i));
      if (f !== undefined) parts.push(f);
    }
    parts.push(w.finish() as Uint8Array);
    const file = Buffer.concat(parts);
    const r = decodeVpt(file);
    if (!r.ok) throw new Error(formatTraceError(r.error));
    file.fill(0xee);
    const data = r.value.calls.map((c) => c.args['data'] as Uint8Array);
    expect(data.every((d) => d.constructor === Uint8Array)).toBe(true);
    expect(data.map((d) => d[0])).toEqual(Array.from({ length: 1200 }, (_, i) => i & 0xff));
  });

  it('each call frame carries its record structures: frames of different writers splice', () => {
    const read: TraceCall = { fn: '@read', args: { va: 5n, length: 4 }, ret: new Uint8Array(4) };
    const a = new CallFramePacker();
    const b = new CallFramePacker();
    const head = new VptWriter(emptyHeader()).start();
    const frames = [a.frame([call(1)]), b.frame([read, call(2)]), a.frame([read, call(3)])];
    const r = decodeVpt(new Uint8Array([...head, ...frames.flatMap((f) => [...f])]));
    expect(r.ok && r.value.calls).toEqual([call(1), read, call(2), read, call(3)]);
  });

  it('refuses to encode an invalid call (validate before encode)', () => {
    const bad = {
      header: emptyHeader(),
      calls: [{ fn: '@write', args: { va: 1 } }],
    } as unknown as Trace;
    expect(() => encodeVpt(bad)).toThrow(
      /invalid call: <input>: args.data: missing argument of @write/,
    );
  });
});
