import { describe, expect, it } from 'vitest';
import { headerToJson, validateHeader } from './header.js';
import { accepted, verdict } from '../../test/support/testResult.js';
import type { TraceHeader } from './trace.js';

const where = { file: 'h.jsonl', line: 1 };
const base = { format: 'vpdma-trace', version: 1 };

const valid = (raw: unknown): TraceHeader => accepted(validateHeader(raw, where));
const line = (raw: unknown): string => verdict(validateHeader(raw, where));

describe('validateHeader', () => {
  it('accepts the minimal header and keeps device as written', () => {
    expect(valid(base)).toEqual({ ...base, device: {}, meta: {} });
    const h = valid({
      ...base,
      profile: 'reactos',
      device: { dma: { mapRegisters: 8 } },
      meta: { seed: 1 },
    });
    expect(h).toEqual({
      ...base,
      profile: 'reactos',
      device: { dma: { mapRegisters: 8 } },
      meta: { seed: 1 },
    });
  });

  it('reads device integers spelled as a call\'s are: "0x..." and 64-bit MessagePack ints', () => {
    const ap = { name: 'fb', base: '0xe0000000', length: '0x1000000', space: 'memory' };
    const h = valid({
      ...base,
      device: { apertures: [ap], systemMemoryBytes: '0x10000000', dma: { mapRegisters: 8n } },
    });
    expect(h.device).toEqual({
      apertures: [{ ...ap, base: 0xe0000000n, length: 0x1000000 }],
      systemMemoryBytes: 0x10000000,
      dma: { mapRegisters: 8 },
    });
    expect(line({ ...base, device: { systemMemoryBytes: '4096' } })).toMatch(
      /^h\.jsonl:1: device\.systemMemoryBytes: expected an integer in \[1, 68719476736\], got "4096"$/,
    );
  });

  it('rejects a wrong format, an unsupported version and unknown keys', () => {
    expect(line({ format: 'vpdma', version: 1 })).toBe(
      'h.jsonl:1: format: expected "vpdma-trace", got "vpdma"',
    );
    expect(line({ ...base, version: 2 })).toBe(
      'h.jsonl:1: version: unsupported version 2 (this vpdma reads version 1)',
    );
    expect(line({ format: 'vpdma-trace' })).toBe(
      'h.jsonl:1: version: unsupported version nothing (this vpdma reads version 1)',
    );
    expect(line({ ...base, seed: 5 })).toBe(
      'h.jsonl:1: seed: unknown header key "seed" (a header holds only format, version, profile, device and meta: a capture tool\'s own fields, such as its name and version, belong in meta)',
    );
    expect(line({ ...base, profile: 'windows' })).toBe(
      'h.jsonl:1: profile: expected "docs" or "reactos", got "windows"',
    );
    expect(line('{}')).toBe('h.jsonl:1: expected a header object, got "{}"');
  });

  it('names the key a misspelt one is close to, and a forbidden key before format', () => {
    expect(line({ ...base, Meta: {} })).toBe(
      'h.jsonl:1: Meta: unknown header key "Meta"; did you mean "meta"?',
    );
    expect(line({ ...base, device: { dma: { mapRegister: 8 } } })).toBe(
      'h.jsonl:1: device.dma.mapRegister: unknown dma field "mapRegister"; did you mean "mapRegisters"?',
    );
    // JSON.parse makes "__proto__" an own key: the header's fields under it are not read.
    const hidden = JSON.parse('{"__proto__":{"format":"vpdma-trace","version":1}}') as unknown;
    expect(line(hidden)).toBe('h.jsonl:1: __proto__: forbidden key "__proto__"');
  });

  it('types and bounds every device field', () => {
    const ap = { name: 'fb', base: '0xe0000000', length: 4096, space: 'memory' };
    expect(valid({ ...base, device: { apertures: [ap] } }).device.apertures).toEqual([
      { name: 'fb', base: 0xe0000000n, length: 4096, space: 'memory' },
    ]);
    expect(line({ ...base, device: { apertures: [{ ...ap, space: 'port' }] } })).toBe(
      'h.jsonl:1: device.apertures[0].space: expected "memory" or "io", got "port"',
    );
    expect(line({ ...base, device: { apertures: [{ ...ap, length: 0 }] } })).toMatch(
      /^h.jsonl:1: device.apertures\[0\]\.length: expected an integer in \[1, 68719476736\], got 0$/,
    );
    expect(line({ ...base, device: { apertures: [{ ...ap, base: '0xfffffffffffff001' }] } })).toBe(
      'h.jsonl:1: device.apertures[0].length: aperture ends beyond 2^64',
    );
    expect(line({ ...base, device: { gpu: true } })).toBe(
      'h.jsonl:1: device.gpu: unknown device field "gpu"',
    );
    expect(line({ ...base, device: { dma: { mapRegisters: -1 } } })).toMatch(
      /device.dma.mapRegisters: expected an integer/,
    );
    expect(line({ ...base, device: { dma: { scatterGather: 'yes' } } })).toBe(
      'h.jsonl:1: device.dma.scatterGather: expected true or false, got "yes"',
    );
    expect(line({ ...base, device: { systemMemoryBytes: 0 } })).toMatch(/device.systemMemoryBytes/);
  });

  it('bounds meta and rejects prototype keys in it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = { d: deep };
    expect(line({ ...base, meta: deep })).toMatch(/^h.jsonl:1: meta(\.d)+: nested deeper than 8$/);
    expect(line({ ...base, meta: { s: 'x'.repeat(70_000) } })).toMatch(
      /meta is larger than 65536 bytes/,
    );
    expect(
      line(JSON.parse('{"format":"vpdma-trace","version":1,"meta":{"a":{"__proto__":{"p":1}}}}')),
    ).toBe('h.jsonl:1: meta.a.__proto__: forbidden key "__proto__"');
    expect(line({ ...base, device: JSON.parse('{"constructor":{}}') as unknown })).toBe(
      'h.jsonl:1: device.constructor: forbidden key "constructor"',
    );
    expect(line({ ...base, meta: { bad: '\ud800' } })).toMatch(
      /meta.bad: string is not valid Unicode/,
    );
  });

  it('headerToJson is the JSONL spelling and validates back to the same header', () => {
    const h = valid({
      ...base,
      device: {
        apertures: [{ name: 'vga', base: '0x3c0', length: 32, space: 'io' }],
        systemMemoryBytes: 4096,
      },
      meta: { tool: 'x', n: [1, null, { k: true }] },
    });
    const json = headerToJson(h);
    expect(json['device']).toEqual({
      apertures: [{ name: 'vga', base: '0x3c0', length: 32, space: 'io' }],
      systemMemoryBytes: 4096,
    });
    expect(valid(JSON.parse(JSON.stringify(json)))).toEqual(h);
  });
});
