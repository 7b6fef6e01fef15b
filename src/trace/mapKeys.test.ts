import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapKeyScanner } from './mapKeys.js';

// MessagePack by hand (only codec.ts may use msgpackr), in the several sizes of each header.
type Node =
  | { readonly scalar: Uint8Array }
  | { readonly list: readonly Node[]; readonly wide: boolean }
  | { readonly entries: readonly (readonly [string | number, Node])[]; readonly wide: boolean };

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
function str(s: string, wide: boolean): Uint8Array {
  const u = new TextEncoder().encode(s);
  return concat([wide ? bytes(0xd9, u.length) : bytes(0xa0 + u.length), u]);
}
function encode(n: Node): Uint8Array {
  if ('scalar' in n) return n.scalar;
  const count = 'list' in n ? n.list.length : n.entries.length;
  const [narrow, wide] = 'list' in n ? [0x90, 0xdc] : [0x80, 0xde];
  const head = n.wide ? bytes(wide, count >> 8, count & 0xff) : bytes(narrow + count);
  if ('list' in n) return concat([head, ...n.list.map(encode)]);
  const key = (k: string | number): Uint8Array =>
    typeof k === 'number' ? bytes(k) : str(k, n.wide);
  return concat([head, ...n.entries.flatMap(([k, v]) => [key(k), encode(v)])]);
}

/** Names joined by dots, an index (`[1]`) without one. */
function dotted(path: readonly string[]): string {
  return path.map((p, i) => (i === 0 || p.startsWith('[') ? p : `.${p}`)).join('');
}

/** The reference: the first repeated or non-string key in stream order, and its path. */
function firstProblem(n: Node, path: readonly string[] = []): string | undefined {
  if ('scalar' in n) return undefined;
  if ('list' in n) {
    for (const [i, el] of n.list.entries()) {
      const p = firstProblem(el, [...path, `[${i}]`]);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (const [k, v] of n.entries) {
    if (typeof k !== 'string') return `${dotted(path)}: map key is not a string`;
    if (seen.has(k)) return `${dotted([...path, k])}: key appears twice in one map`;
    seen.add(k);
    const p = firstProblem(v, [...path, k]);
    if (p !== undefined) return p;
  }
  return undefined;
}

const scanned = (b: Uint8Array, structures: string[][] = []): string | undefined => {
  const p = new MapKeyScanner(b, structures, false).problemIn(0);
  return p === undefined ? undefined : `${p.field}: ${p.message}`;
};

const scalar = fc.constantFrom(
  bytes(0x05),
  bytes(0xc0),
  bytes(0xc4, 2, 0x80, 0x81), // bin 8 holding what looks like a map header
  bytes(0xd6, 0xff, 0, 0, 0, 1), // a timestamp
  bytes(0xcf, 0x8f, 0x8f, 0x8f, 0x8f, 0x8f, 0x8f, 0x8f, 0x8f),
  str('x\u00e9', false),
);
const node = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar.map((s) => ({ scalar: s })),
    fc.record({ list: fc.array(tie('node'), { maxLength: 3 }), wide: fc.boolean() }),
    fc.record({
      entries: fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom('a', 'b', '', '\uFEFFa', '\u00e9'), fc.constant(1)),
          tie('node'),
        ),
        { maxLength: 4 },
      ),
      wide: fc.boolean(),
    }),
  ),
}));

describe('MapKeyScanner', () => {
  it('agrees with a reference on random maps: first repeated or non-string key, by path', () => {
    fc.assert(
      fc.property(node.node, (n) => {
        expect(scanned(encode(n))).toBe(firstProblem(n));
      }),
    );
  });

  it('reads records by the structure list and answers per element of a list', () => {
    const twice = {
      entries: [
        ['k', { scalar: bytes(1) }],
        ['k', { scalar: bytes(2) }],
      ],
      wide: false,
    } as const;
    const record = concat([bytes(0x40), bytes(0x07), encode(twice)]); // structure 0: [n, m]
    const clean = concat([bytes(0x40), bytes(0x07), bytes(0x80)]);
    const frame = concat([bytes(0x93), clean, record, clean]);
    const s = new MapKeyScanner(frame, [['n', 'm']], true);
    expect(s.problemIn(0)).toBeUndefined();
    expect(s.problemIn(1)).toEqual({
      item: 1,
      field: 'm.k',
      message: 'key appears twice in one map',
    });
    expect(s.problemIn(2)).toBeUndefined();
  });

  it('follows the value msgpackr extensions read after them, and stops at inline records', () => {
    const set = concat([
      bytes(0xd4, 0x73, 0),
      encode({
        entries: [
          ['a', { scalar: bytes(1) }],
          ['a', { scalar: bytes(1) }],
        ],
        wide: false,
      }),
    ]);
    expect(scanned(concat([bytes(0x81), str('s', false), set]))).toBe(
      's.a: key appears twice in one map',
    );
    const inline = concat([bytes(0x92, 0x80, 0xd4, 0x72, 0x00, 0x91), str('k', false), bytes(1)]);
    const s = new MapKeyScanner(inline, [], true);
    expect(s.problemIn(0)).toBeUndefined();
    expect(s.problemIn(1)?.message).toBe(
      'an inline record definition (msgpackr extension 0x72), which a .vpt frame does not use',
    );
  });

  it('stops, without reading past the end, on truncated input', () => {
    expect(scanned(bytes(0x82, 0xa1))).toBe(': MessagePack ends inside a value');
    expect(scanned(bytes(0xdf, 0xff, 0xff, 0xff, 0xff))).toBe(': MessagePack ends inside a value');
  });
});
