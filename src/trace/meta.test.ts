import { describe, expect, it } from 'vitest';
import { formatJsonl, parseJsonl } from './jsonl.js';
import { validateMeta } from './meta.js';
import { parseText } from './textParse.js';
import { printText } from './textPrint.js';
import type { Trace } from './trace.js';
import { decodeVpt, encodeVpt } from './vpt.js';

const META = '{"constructor":"board rev B","prototype":{"constructor":1,"prototype":[2]},"n":3}';
const HEADER = `{"format":"vpdma-trace","version":1,"profile":"docs","device":{},"meta":${META}}`;

function ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('validateMeta', () => {
  it('keeps "constructor" and "prototype" as plain own keys, in null-prototype objects', () => {
    const m = validateMeta(JSON.parse(META));
    if (!('n' in m)) throw new Error(`refused: ${JSON.stringify(m)}`);
    expect(JSON.stringify(m)).toBe(META);
    expect(Object.getPrototypeOf(m)).toBe(null);
    expect(Object.getPrototypeOf(m['prototype'])).toBe(null);
    // A key meta lacks is absent, not inherited.
    expect(validateMeta({})).not.toHaveProperty('toString');
    expect(({} as Record<string, unknown>)['prototype']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('n');
  });

  it('still refuses "__proto__", nested too', () => {
    expect(validateMeta(JSON.parse('{"a":{"__proto__":{"p":1}}}'))).toMatchObject({
      field: 'a.__proto__',
      message: 'forbidden key "__proto__"',
    });
  });

  it('keeps them through JSONL, .vpt and text', () => {
    const t: Trace = ok(parseJsonl(`${HEADER}\n`));
    const vpt = ok(decodeVpt(encodeVpt(t)));
    const text = ok(parseText(printText(vpt)));
    expect(formatJsonl(text)).toBe(`${HEADER}\n`);
  });
});
