// .vpt files from writers other than ours: frames built byte by byte, plain MessagePack maps
// (which our writer never writes) included, with what msgpackr's own objects would hide.
import { describe, expect, it } from 'vitest';
import { decodeVpt, VptWriter } from './vpt.js';
import { frameCrc32 } from './checksum.js';
import { formatTraceError } from './traceError.js';
import { emptyHeader } from './trace.js';

/** MessagePack by hand (only codec.ts may use msgpackr): the few scalars these tests need. */
function pack(v: string | number | bigint | boolean): Uint8Array {
  if (typeof v === 'boolean') return new Uint8Array([v ? 0xc3 : 0xc2]);
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0x7f) throw new Error(`pack: ${v}`);
    return new Uint8Array([v]);
  }
  if (typeof v === 'bigint') {
    const out = new Uint8Array(9);
    out[0] = 0xcf;
    new DataView(out.buffer).setBigUint64(1, v);
    return out;
  }
  const utf8 = new TextEncoder().encode(v);
  if (utf8.length > 0xff) throw new Error('pack: long string');
  const head = utf8.length < 32 ? [0xa0 + utf8.length] : [0xd9, utf8.length];
  return concat(new Uint8Array(head), utf8);
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A fixmap from packed entries, so that keys may repeat. */
function map(...entries: readonly (readonly [string | number, Uint8Array])[]): Uint8Array {
  return concat(
    new Uint8Array([0x80 + entries.length]),
    ...entries.flatMap(([k, v]) => [pack(k), v]),
  );
}

function frame(payload: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, frameCrc32(payload), true);
  return concat(head, payload);
}

function array(...items: readonly Uint8Array[]): Uint8Array {
  const n = items.length;
  return concat(new Uint8Array(n < 16 ? [0x90 + n] : [0xdc, n >> 8, n & 0xff]), ...items);
}

/** A call frame with these record structures whose calls are the given packed values. */
function callFrameWith(structures: readonly string[][], ...calls: Uint8Array[]): Uint8Array {
  const list = array(...structures.map((s) => array(...s.map(pack))));
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, list.length, true);
  return frame(concat(size, list, array(...calls)));
}

const callFrame = (...calls: Uint8Array[]): Uint8Array => callFrameWith([], ...calls);

const prelude = new Uint8Array([0x56, 0x50, 0x44, 0x54, 1, 0]);
const ourHeader = new VptWriter(emptyHeader()).start();
/** Where the first call frame starts after ourHeader. */
const firstCalls = ourHeader.length;

const readArgs = map(['va', pack(5n)], ['length', pack(4)]);

function decoded(bytes: Uint8Array): string {
  const r = decodeVpt(bytes, 't.vpt');
  return r.ok ? `ok: ${r.value.calls.length} calls` : formatTraceError(r.error);
}

describe('.vpt plain maps', () => {
  it('reads calls written as plain maps, as another writer may', () => {
    const call = map(['fn', pack('@read')], ['args', readArgs]);
    const r = decodeVpt(concat(ourHeader, callFrame(call, call)), 't.vpt');
    expect(r.ok && r.value.calls).toEqual([
      { fn: '@read', args: { va: 5n, length: 4 } },
      { fn: '@read', args: { va: 5n, length: 4 } },
    ]);
  });

  it('reads a 32-bit integer written as a 64-bit MessagePack integer by its value', () => {
    const as64 = (length: bigint): Uint8Array =>
      concat(
        ourHeader,
        callFrame(
          map(['fn', pack('@read')], ['args', map(['va', pack(5n)], ['length', pack(length)])]),
        ),
      );
    const r = decodeVpt(as64(4n), 't.vpt');
    expect(r.ok && r.value.calls).toEqual([{ fn: '@read', args: { va: 5n, length: 4 } }]);
    expect(decoded(as64(1n << 32n))).toBe(
      `t.vpt: byte ${firstCalls}: call 0: args.length: expected an unsigned 32-bit integer, got 0x100000000`,
    );
  });

  it('names a "__proto__" key as written (msgpackr renames it "__proto_")', () => {
    const top = map(['fn', pack('@read')], ['args', readArgs], ['__proto__', pack(1)]);
    expect(decoded(concat(ourHeader, callFrame(top)))).toBe(
      `t.vpt: byte ${firstCalls}: call 0: __proto__: forbidden key "__proto__"`,
    );
    const nested = map(['va', pack(5n)], ['__proto__', map()], ['length', pack(4)]);
    const inArgs = map(['fn', pack('@read')], ['args', nested]);
    expect(decoded(concat(ourHeader, callFrame(inArgs)))).toBe(
      `t.vpt: byte ${firstCalls}: call 0: args.__proto__: forbidden key "__proto__"`,
    );
    const meta = map(['__proto__', map(['polluted', pack(true)])]);
    const header = map(['format', pack('vpdma-trace')], ['version', pack(1)], ['meta', meta]);
    expect(decoded(concat(prelude, frame(map(['header', header]))))).toBe(
      't.vpt: byte 6: header.meta.__proto__: forbidden key "__proto__"',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('.vpt repeated keys', () => {
  const at = `t.vpt: byte ${firstCalls}`;
  const twice = 'key appears twice in one map';

  it('refuses a key a plain map repeats, naming call and field (msgpackr keeps the last)', () => {
    const args = map(['va', pack(5n)], ['length', pack(4)], ['length', pack(8)]);
    const call = map(['fn', pack('@read')], ['args', args]);
    expect(decoded(concat(ourHeader, callFrame(call)))).toBe(
      `${at}: call 0: args.length: ${twice}`,
    );
    const top = map(['fn', pack('@read')], ['fn', pack('@read')], ['args', readArgs]);
    const ok = map(['fn', pack('@read')], ['args', readArgs]);
    expect(decoded(concat(ourHeader, callFrame(ok, top)))).toBe(`${at}: call 1: fn: ${twice}`);
  });

  it('finds maps inside records, records of the two-byte ids included', () => {
    // 70 structures: structure 66 is record id 0x62 then high byte 1 (msgpackr's layout).
    const structures = Array.from({ length: 70 }, (_, i) => [`k${i}`]);
    structures[66] = ['fn', 'args'];
    const args = map(['va', pack(5n)], ['va', pack(6n)], ['length', pack(4)]);
    const call = concat(new Uint8Array([0x62, 1]), pack('@read'), args);
    expect(decoded(concat(ourHeader, callFrameWith(structures, call)))).toBe(
      `${at}: call 0: args.va: ${twice}`,
    );
    const fine = concat(new Uint8Array([0x62, 1]), pack('@read'), readArgs);
    expect(decoded(concat(ourHeader, callFrameWith(structures, fine, fine)))).toBe('ok: 2 calls');
  });

  it('refuses a key that is not a string (msgpackr would make 1 and "1" one key)', () => {
    const call = map(['fn', pack('@read')], ['args', map([1, pack(4)], ['va', pack(5n)])]);
    expect(decoded(concat(ourHeader, callFrame(call)))).toBe(
      `${at}: call 0: args: map key is not a string`,
    );
  });

  it('refuses a repeated key in the header frame, meta included', () => {
    const head = (...more: [string, Uint8Array][]): Uint8Array =>
      concat(prelude, frame(map(['header', map(['format', pack('vpdma-trace')], ...more)])));
    expect(decoded(head(['version', pack(1)], ['version', pack(1)]))).toBe(
      `t.vpt: byte 6: header.version: ${twice}`,
    );
    const meta = map(['source', pack('a')], ['source', pack('b')]);
    expect(decoded(head(['version', pack(1)], ['meta', meta]))).toBe(
      `t.vpt: byte 6: header.meta.source: ${twice}`,
    );
    expect(decoded(head(['version', pack(1)], ['meta', map(['source', pack('a')])]))).toBe(
      'ok: 0 calls',
    );
  });
});

describe('.vpt header frame holding a MessagePack timestamp', () => {
  // The timestamp extension (type -1) in its 32-, 64- and 96-bit forms; msgpackr makes a Date.
  const stamps = [
    new Uint8Array([0xd6, 0xff, 0, 0, 0, 1]),
    new Uint8Array([0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 1]),
    new Uint8Array([0xc7, 12, 0xff, ...new Uint8Array(11), 1]),
  ];
  const found = 'got a MessagePack timestamp (ext type -1)';

  it('names it, where the header frame or its header should be', () => {
    for (const stamp of stamps) {
      expect(decoded(concat(prelude, frame(stamp)))).toBe(
        `t.vpt: byte 6: expected the header frame, a map {header, modelRevision}, ${found}`,
      );
      expect(decoded(concat(prelude, frame(map(['header', stamp]))))).toBe(
        `t.vpt: byte 6: header: expected a header object, ${found}`,
      );
    }
  });

  it('names it in the header and in a call too', () => {
    const stamp = stamps[0] as Uint8Array;
    const header = (...more: [string, Uint8Array][]): Uint8Array =>
      concat(prelude, frame(map(['header', map(['format', pack('vpdma-trace')], ...more)])));
    expect(decoded(header(['version', pack(1)], ['meta', map(['at', stamp])]))).toBe(
      `t.vpt: byte 6: header.meta.at: expected a JSON value, ${found}`,
    );
    const call = map(['fn', pack('@read')], ['args', map(['va', stamp], ['length', pack(4)])]);
    expect(decoded(concat(ourHeader, callFrame(call)))).toBe(
      `t.vpt: byte ${firstCalls}: call 0: args.va: expected a pointer ("0x..." of at most 16 hex digits), ${found}`,
    );
  });
});

describe('.vpt header frame, its own keys', () => {
  const header = map(['format', pack('vpdma-trace')], ['version', pack(1)]);
  const withTop = (...more: [string, Uint8Array][]): Uint8Array =>
    concat(prelude, frame(map(['header', header], ...more)));

  it('refuses a forbidden key at its top, as inside the header', () => {
    for (const key of ['__proto__', 'constructor'])
      expect(decoded(withTop([key, pack(1)]))).toBe(
        `t.vpt: byte 6: ${key}: forbidden key ${JSON.stringify(key)}`,
      );
  });

  it('refuses a key the format does not define, naming a near one', () => {
    expect(decoded(withTop(['modelRevision', pack('00000000')], ['tool', pack('x')]))).toBe(
      `t.vpt: byte 6: tool: unknown header frame key "tool" (the header frame holds only header and modelRevision: a capture tool's own fields belong in the header's meta)`,
    );
    expect(decoded(withTop(['modelrevision', pack('00000000')]))).toBe(
      't.vpt: byte 6: modelrevision: unknown header frame key "modelrevision"; did you mean "modelRevision"?',
    );
    // modelRevision may be left out (a writer that is not vpdma has none).
    expect(decodeVpt(withTop(), 't.vpt').ok).toBe(true);
  });

  it('takes modelRevision only as the writer records it: 8 hex digits', () => {
    const r = decodeVpt(withTop(['modelRevision', pack('0123abcd')]), 't.vpt');
    expect(r.ok).toBe(true);
    const why = "modelRevision: expected the call table's revision, 8 hex digits, got";
    for (const [rev, got] of [
      ['\u001b]0;pwned\u0007', '"\\u001b]0;pwned\\u0007"'],
      ['x\n#! meta {}', '"x\\n#! meta {}"'],
      ['0123ABCD', '"0123ABCD"'],
      ['0123abcd0', '"0123abcd0"'],
      [5, '5'],
    ] as const)
      expect(decoded(withTop(['modelRevision', pack(rev)]))).toBe(`t.vpt: byte 6: ${why} ${got}`);
  });
});

describe('.vpt values nested deeper than the decoder reads', () => {
  // 100,000 one-element arrays: msgpackr's recursion runs out of stack.
  const deep = concat(new Uint8Array(100_000).fill(0x91), new Uint8Array([0xc0]));

  it('is bad input in a header or a call frame, said as the text reader says it', () => {
    expect(decoded(concat(prelude, frame(deep)))).toBe('t.vpt: byte 6: values nested too deeply');
    const size = new Uint8Array(4);
    new DataView(size.buffer).setUint32(0, 1, true);
    const calls = frame(concat(size, new Uint8Array([0x90]), deep));
    const r = decodeVpt(concat(ourHeader, calls), 't.vpt');
    expect(r.ok ? undefined : r.error).toEqual({
      file: 't.vpt',
      offset: firstCalls,
      message: 'values nested too deeply',
    });
  });
});
