import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatedKey } from './duplicateKeys.js';
import { parseJsonl } from './jsonl.js';
import { parseText } from './textParse.js';
import { formatTraceError } from './traceError.js';

const check = (text: string): string | undefined => repeatedKey(text, JSON.parse(text));

describe('repeatedKey', () => {
  it('names the first key an object repeats, by its path', () => {
    expect(check('{"fn":"a","args":{"x":1,"x":2}}')).toBe('args.x');
    expect(check('{"ret":"0x0","ret":"0x1"}')).toBe('ret');
    expect(check('{"a":[{"k":1},{"k":1,"k":2}]}')).toBe('a[1].k');
    expect(check('{"__proto__":1,"__proto__":2}')).toBe('__proto__');
    expect(check('{"a\\"b":1,"a\\u0022b":2}')).toBe('a"b');
  });

  it('passes equal keys in different objects and colons inside strings', () => {
    expect(check('{"a":{"k":1},"b":{"k":1},"k":"x:y:z"}')).toBeUndefined();
    expect(check('{"meta":{"description":"a: b: c"},"x":[1,2,{"y":"::"}]}')).toBeUndefined();
  });

  it('agrees with a Map-based count on random JSON objects', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'a:b', '"', '\\');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(1, 'x:', null, true),
        fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }),
        fc.array(tie('node'), { maxLength: 3 }).map((a) => ({ list: a })),
      ),
    }));
    // Serialize entry lists as objects by hand, so keys may repeat.
    const text = (v: unknown): string => {
      if (Array.isArray(v))
        return `{${(v as [string, unknown][]).map(([k, x]) => `${JSON.stringify(k)}:${text(x)}`).join(',')}}`;
      if (typeof v === 'object' && v !== null && 'list' in v)
        return `[${(v as { list: unknown[] }).list.map(text).join(',')}]`;
      return JSON.stringify(v);
    };
    const repeats = (v: unknown): boolean => {
      if (Array.isArray(v)) {
        const ks = (v as [string, unknown][]).map(([k]) => k);
        return new Set(ks).size !== ks.length || v.some(([, x]) => repeats(x));
      }
      if (typeof v === 'object' && v !== null && 'list' in v)
        return (v as { list: unknown[] }).list.some(repeats);
      return false;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(key, tree.node), { maxLength: 5 }), (entries) => {
        const t = text(entries);
        expect(check(t) !== undefined).toBe(repeats(entries));
      }),
    );
  });

  it('handles nesting deeper than the call stack', () => {
    const depth = 200_000;
    const arrays = `{"a":${'['.repeat(depth)}${']'.repeat(depth)},"k":1,"k":2}`;
    expect(check(arrays)).toBe('k');
    const objects = `{"a":${'{"b":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    expect(check(objects)).toBeUndefined();
    // Through the decoder: an error value naming the field, not a crash.
    const header = '{"format":"vpdma-trace","version":1}';
    const r = parseJsonl(`${header}\n{"fn":"@write","args":${objects.replace('"a"', '"va"')}}\n`);
    expect(r.ok ? '' : formatTraceError(r.error)).toMatch(
      /^<input>:2: args\.va: expected a pointer/,
    );
  });

  it('is a one-line trace error naming line and field', () => {
    const header = '{"format":"vpdma-trace","version":1}';
    const call =
      '{"fn":"VideoPortAllocatePool","args":{"hwDeviceExtension":"0x1","poolType":0,"numberOfBytes":16,"numberOfBytes":32,"tag":1}}';
    const r = parseJsonl(`${header}\n${call}\n`, 't.jsonl');
    expect(r.ok ? '' : formatTraceError(r.error)).toBe(
      't.jsonl:2: args.numberOfBytes: key appears twice in one object',
    );
  });

  it("reaches the text format's header JSON too", () => {
    const r = parseText(
      '#! vpdma-trace v1\n#! device {"dma":{"mapRegisters":4,"mapRegisters":8}}\n',
      'r.txt',
    );
    expect(r.ok ? '' : formatTraceError(r.error)).toBe(
      'r.txt:2: device.dma.mapRegisters: key appears twice in one object',
    );
  });
});
