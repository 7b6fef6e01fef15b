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

/** A call frame with no record structures whose calls are the given packed values. */
function callFrame(...calls: readonly Uint8Array[]): Uint8Array {
  return frame(concat(new Uint8Array([1, 0, 0, 0, 0x90, 0x90 + calls.length]), ...calls));
}

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
