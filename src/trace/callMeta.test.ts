// A call's own `meta` (thread id, timestamp, ...) in the three formats: read, written back,
// bounded, refused where it is not a JSON object, and absent from calls that have none.
import { describe, expect, it } from 'vitest';
import { formatJsonl, parseJsonl } from './jsonl.js';
import { parseText } from './textParse.js';
import { printText } from './textPrint.js';
import { decodeVpt, encodeVpt } from './vpt.js';
import { CallFramePacker, headerFrame, vptPrelude } from './codec.js';
import { callMetaBytesMax } from './traceLimits.js';
import { validateCallMeta, validateMeta } from './meta.js';
import { Bad } from './validateValue.js';
import fc from 'fast-check';
import { accepted, verdict } from '../../test/support/testResult.js';
import { bytesToHex } from '../core/hex.js';
import type { Trace } from './trace.js';
import type { TraceCall } from '../model/values.js';

const HEADER = '{"format":"vpdma-trace","version":1,"device":{},"meta":{}}';
const EXT = '"hwDeviceExtension":"0xffffe00000001000"';
const ALLOC = `{"fn":"VideoPortAllocatePool","args":{${EXT},"poolType":0,"numberOfBytes":4096,"tag":1},"ret":"0xffffa00000000000"`;
const FREE = `{"fn":"VideoPortFreePool","args":{${EXT},"ptr":"0xffffa00000000000"}`;
const META = '{"tid":4,"ts":"2026-12-07T09:00:00.123Z","note":"a # and a } in a string"}';
const JSONL = `${HEADER}\n${ALLOC},"meta":${META}}\n${FREE}}\n`;
const TEXT = `#! vpdma-trace v1
r0 = VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=4096, tag=1) -> 0xffffa00000000000 meta ${META}
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=r0)
`;

/** The JSONL error for one call line. */
const callLine = (line: string): string => verdict(parseJsonl(`${HEADER}\n${line}\n`, 't.jsonl'));
const textLine = (line: string): string =>
  verdict(parseText(`#! vpdma-trace v1\n${line}\n`, 't.txt'));
const withMeta = (meta: string): string => `${FREE},"meta":${meta}}`;

describe('call meta in JSONL', () => {
  it('is read into a null-prototype copy and written back as it was', () => {
    const t = accepted(parseJsonl(JSONL));
    const meta = t.calls[0]?.meta;
    expect(meta).toEqual({
      tid: 4,
      ts: '2026-12-07T09:00:00.123Z',
      note: 'a # and a } in a string',
    });
    expect(Object.getPrototypeOf(meta)).toBe(null);
    expect(t.calls[1]).not.toHaveProperty('meta');
    expect(formatJsonl(t)).toBe(JSONL);
  });

  it('is written after ret and out wherever the line had it', () => {
    const t = accepted(
      parseJsonl(
        `${HEADER}\n{"meta":{"tid":1},"fn":"VideoPortFreePool","args":{${EXT},"ptr":"0x10"}}\n`,
      ),
    );
    expect(formatJsonl(t).split('\n')[1]).toBe(
      `${FREE.replace('0xffffa00000000000', '0x10')},"meta":{"tid":1}}`,
    );
  });

  it('must be a JSON object', () => {
    for (const [meta, got] of [
      ['null', 'null'],
      ['[1]', 'an array of 1'],
      ['"tid 4"', '"tid 4"'],
      ['4', '4'],
    ] as const) {
      expect(callLine(withMeta(meta))).toMatch(
        new RegExp(`^t\\.jsonl:2: meta: expected an object, got ${got}`),
      );
    }
  });

  it('refuses "__proto__" at any depth and keeps "constructor" as a plain key', () => {
    expect(callLine(withMeta('{"__proto__":{"polluted":1}}'))).toBe(
      't.jsonl:2: meta.__proto__: forbidden key "__proto__"',
    );
    expect(callLine(withMeta('{"a":[{"__proto__":1}]}'))).toBe(
      't.jsonl:2: meta.a[0].__proto__: forbidden key "__proto__"',
    );
    const t = accepted(parseJsonl(`${HEADER}\n${withMeta('{"constructor":"x"}')}\n`));
    expect(t.calls[0]?.meta?.['constructor']).toBe('x');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it(`holds at most callMetaBytesMax (${callMetaBytesMax}) bytes of JSON, counted in UTF-8`, () => {
    // {"s":"..."} is 8 bytes around the string.
    const fits = `{"s":"${'a'.repeat(callMetaBytesMax - 8)}"}`;
    expect(callLine(withMeta(fits))).toBe('accepted');
    const over = `{"s":"${'a'.repeat(callMetaBytesMax - 9)}é"}`;
    expect(callLine(withMeta(over))).toBe(
      `t.jsonl:2: meta: a call's meta is larger than ${callMetaBytesMax} bytes of JSON (callMetaBytesMax): keep per-call facts short, and capture-wide ones in the header's meta`,
    );
  });

  it('counts the bound exactly as JSON.stringify writes the meta, in UTF-8', () => {
    // ASCII with every control character, any code point, and whole graphemes.
    const units = ['binary-ascii', 'binary', 'grapheme'] as const;
    const json = fc.oneof(...units.map((stringUnit) => fc.jsonValue({ stringUnit, maxDepth: 3 })));
    fc.assert(
      fc.property(json, (x) => {
        const copy = validateMeta({ x, pad: '' });
        fc.pre(!(copy instanceof Bad));
        const room = callMetaBytesMax - new TextEncoder().encode(JSON.stringify(copy)).length;
        fc.pre(room >= 0);
        expect(validateCallMeta({ x, pad: 'a'.repeat(room) })).not.toBeInstanceOf(Bad);
        expect(validateCallMeta({ x, pad: 'a'.repeat(room + 1) })).toBeInstanceOf(Bad);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a key repeated in one object, as everywhere in a line', () => {
    expect(callLine(withMeta('{"tid":1,"tid":2}'))).toBe(
      't.jsonl:2: meta.tid: key appears twice in one object',
    );
  });
});

describe('call meta in the text format', () => {
  it('prints as a trailing `meta {...}` and reads back, a trailing comment after it', () => {
    const t = accepted(parseJsonl(JSONL));
    expect(printText(t)).toBe(TEXT);
    expect(accepted(parseText(TEXT))).toStrictEqual(t);
    const commented = TEXT.replace(`meta ${META}`, `meta ${META}   # thread 4`);
    expect(accepted(parseText(commented))).toStrictEqual(t);
  });

  it('escapes control characters and bidirectional overrides when printed', () => {
    const t = accepted(parseJsonl(`${HEADER}\n${withMeta('{"s":"\\u001b[2J\\u202e"}')}\n`));
    const text = printText(t);
    expect(text).toContain('meta {"s":"\\u001b[2J\\u202e"}');
    expect(accepted(parseText(text))).toStrictEqual(t);
  });

  it('names what is wrong with a meta', () => {
    const free = 'VideoPortFreePool(hwDeviceExtension=0x1000, ptr=0x10)';
    expect(textLine(`${free} meta {"tid":4`)).toBe(
      `t.txt:2: column ${free.length + 7}: meta's JSON object has no closing '}'`,
    );
    expect(textLine(`${free} meta {"tid":}`)).toMatch(
      /^t\.txt:2: column \d+: meta: invalid JSON: /,
    );
    expect(textLine(`${free} meta tid=4`)).toMatch(
      /expected a JSON object after meta, found 'tid=4'/,
    );
    expect(textLine(`${free} meta {"tid":1,"tid":2}`)).toMatch(/meta\.tid: key appears twice/);
    expect(textLine(`${free} meta {"__proto__":1}`)).toBe(
      't.txt:2: meta.__proto__: forbidden key "__proto__"',
    );
    expect(textLine(`${free} meta []`)).toMatch(/expected a JSON object after meta/);
    // meta comes last: after it only a comment.
    expect(textLine(`${free} meta {} -> 0`)).toMatch(/unexpected text, found '-> 0'/);
  });
});

describe('call meta in .vpt', () => {
  it('round-trips txt → JSONL → .vpt → txt byte for byte', () => {
    const fromText = accepted(parseText(TEXT));
    const viaJsonl = accepted(parseJsonl(formatJsonl(fromText)));
    const viaVpt = accepted(decodeVpt(encodeVpt(viaJsonl)));
    expect(printText(viaVpt)).toBe(TEXT);
    expect(Object.getPrototypeOf(viaVpt.calls[0]?.meta)).toBe(null);
  });

  it('leaves a call frame without meta byte for byte what the writer before it wrote', () => {
    const t: Trace = accepted(parseText(TEXT.replace(` meta ${META}`, '')));
    // Written by the .vpt writer of ced75ba (before calls had meta), for these two calls.
    expect(bytesToHex(new CallFramePacker().frame(t.calls))).toBe(
      'b600000010893ebb5c0000009493a2666ea461726773a372657494b16877446576696365457874656e73696f6ea8706f6f6c54797065ad6e756d6265724f664279746573a374616792a2666ea46172677392b16877446576696365457874656e73696f6ea37074729240b5566964656f506f7274416c6c6f63617465506f6f6c41cfffffe0000000100000cd100001cfffffa0000000000042b1566964656f506f727446726565506f6f6c43cfffffe00000001000cfffffa00000000000',
    );
  });

  it('holds meta as JSON text, checked on reading as JSONL checks it', () => {
    const t = accepted(parseText(TEXT));
    expect(new TextDecoder().decode(encodeVpt(t))).toContain(META);
    // Frames a hostile writer could make: the reader refuses them, naming the call.
    const call = t.calls[1] as TraceCall;
    const file = (meta: unknown): Uint8Array => {
      const parts = [
        vptPrelude(),
        headerFrame(t.header),
        new CallFramePacker().frame([call, { ...call, meta } as TraceCall]),
      ];
      return Uint8Array.from(parts.flatMap((p) => [...p]));
    };
    expect(verdict(decodeVpt(file(JSON.parse('{"a":{"__proto__":{"x":1}}}')), 't.vpt'))).toMatch(
      /^t\.vpt: byte \d+: call 1: meta\.a\.__proto__: forbidden key "__proto__"$/,
    );
    // Packed as JSON text once more: the reader finds a string where an object belongs.
    expect(verdict(decodeVpt(file('{"tid":4}'), 't.vpt'))).toMatch(
      /call 1: meta: expected an object, got "\{\\"tid\\":4\}"/,
    );
    const big = { s: 'a'.repeat(callMetaBytesMax) };
    expect(verdict(decodeVpt(file(big), 't.vpt'))).toMatch(
      /call 1: meta: a call's meta is larger than 4096 bytes/,
    );
  });
});
