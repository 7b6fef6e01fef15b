// The bounds of every integer type a trace can hold, in JSONL and in text: the minimum and
// the maximum are read as those values, one past them (and a negative value for the unsigned
// types) is refused with the usual one line naming the field and the value, in decimal and
// in hex. Hex is read as a bit pattern of the type's width: for i32 and i64 0xff... is -1,
// and a hex literal wider than the type is refused, never wrapped.
import { describe, expect, it } from 'vitest';
import { EXPECTED } from './scalars.js';
import { parseJsonl } from './jsonl.js';
import { parseText } from './text.js';
import { formatTraceError } from './traceError.js';
import type { Result } from '../core/result.js';
import type { Trace } from './trace.js';
import type { TraceError } from './traceError.js';
import type { ArgType } from '../model/callTypes.js';

const EXT = '0xffffe00000001000';
const HEADER = '{"format":"vpdma-trace","version":1,"device":{},"meta":{}}';

interface Site {
  readonly field: string;
  /** The call as a JSONL line and as a text line, with `v` spelled in each format's way. */
  readonly jsonl: (v: string) => string;
  readonly text: (v: string) => string;
  readonly read: (t: Trace) => unknown;
}

const arg =
  (name: string) =>
  (t: Trace): unknown =>
    t.calls[0]?.args[name];

/** One call with an argument (or a ret) of each integer type. */
const SITES: Record<'ptr' | 'u8' | 'u32' | 'i32' | 'usize' | 'u64' | 'i64', Site> = {
  ptr: {
    field: 'args.ptr',
    jsonl: (v) => `{"fn":"VideoPortFreePool","args":{"hwDeviceExtension":"${EXT}","ptr":${v}}}`,
    text: (v) => `VideoPortFreePool(hwDeviceExtension=${EXT}, ptr=${v})`,
    read: arg('ptr'),
  },
  u8: {
    field: 'args.inIoSpace',
    jsonl: (v) =>
      `{"fn":"VideoPortGetDeviceBase","args":{"hwDeviceExtension":"${EXT}","ioAddress":"0xe0000000","numberOfUchars":16,"inIoSpace":${v}}}`,
    text: (v) =>
      `VideoPortGetDeviceBase(hwDeviceExtension=${EXT}, ioAddress=0xe0000000, numberOfUchars=16, inIoSpace=${v})`,
    read: arg('inIoSpace'),
  },
  u32: {
    field: 'args.length',
    jsonl: (v) => `{"fn":"@read","args":{"va":"${EXT}","length":${v}}}`,
    text: (v) => `@read(va=${EXT}, length=${v})`,
    read: arg('length'),
  },
  i32: {
    field: 'ret',
    jsonl: (v) =>
      `{"fn":"VideoPortSetEvent","args":{"hwDeviceExtension":"${EXT}","pEvent":"0x1"},"ret":${v}}`,
    text: (v) => `VideoPortSetEvent(hwDeviceExtension=${EXT}, pEvent=0x1) -> ${v}`,
    read: (t) => t.calls[0]?.ret,
  },
  usize: {
    field: 'args.numberOfBytes',
    jsonl: (v) =>
      `{"fn":"VideoPortAllocatePool","args":{"hwDeviceExtension":"${EXT}","poolType":0,"numberOfBytes":${v},"tag":1}}`,
    text: (v) =>
      `VideoPortAllocatePool(hwDeviceExtension=${EXT}, poolType=0, numberOfBytes=${v}, tag=1)`,
    read: arg('numberOfBytes'),
  },
  u64: {
    field: 'args.deviceAddress',
    jsonl: (v) => `{"fn":"@deviceDma","args":{"sgList":"0x10","deviceAddress":${v}}}`,
    text: (v) => `@deviceDma(sgList=0x10, deviceAddress=${v})`,
    read: arg('deviceAddress'),
  },
  i64: {
    field: 'args.timeout',
    jsonl: (v) =>
      `{"fn":"VideoPortWaitForSingleObject","args":{"hwDeviceExtension":"${EXT}","object":"0x1","timeout":${v}}}`,
    text: (v) => `VideoPortWaitForSingleObject(hwDeviceExtension=${EXT}, object=0x1, timeout=${v})`,
    read: arg('timeout'),
  },
};

const SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1
const REFUSED = Symbol('refused');
const UNSIGNED_64: readonly (readonly [string, unknown])[] = [
  ['0', 0n],
  ['0x0', 0n],
  [String(SAFE), BigInt(SAFE)],
  ['0xffffffffffffffff', (1n << 64n) - 1n],
  ['0x10000000000000000', REFUSED],
  ['-1', REFUSED],
];
/** Spellings (decimal, or "0x..." hex) and what each reads as. */
const BOUNDS: Record<keyof typeof SITES, readonly (readonly [string, unknown])[]> = {
  u8: [
    ['0', 0],
    ['0x0', 0],
    ['255', 255],
    ['0xff', 255],
    ['256', REFUSED],
    ['0x100', REFUSED],
    ['-1', REFUSED],
  ],
  u32: [
    ['0', 0],
    ['0x0', 0],
    ['4294967295', 0xffffffff],
    ['0xffffffff', 0xffffffff],
    ['4294967296', REFUSED],
    ['0x100000000', REFUSED],
    ['-1', REFUSED],
  ],
  i32: [
    ['-2147483648', -0x80000000],
    ['0x80000000', -0x80000000],
    ['2147483647', 0x7fffffff],
    ['0x7fffffff', 0x7fffffff],
    ['-1', -1],
    ['0xffffffff', -1],
    ['2147483648', REFUSED],
    ['-2147483649', REFUSED],
    ['0x100000000', REFUSED],
    ['0x1ffffffff', REFUSED],
  ],
  usize: [
    ['0', 0],
    ['0x0', 0],
    [String(SAFE), SAFE],
    ['0x1fffffffffffff', SAFE],
    ['0x20000000000000', REFUSED],
    ['-1', REFUSED],
  ],
  // A pointer is a 64-bit unsigned value on the wire.
  ptr: UNSIGNED_64,
  u64: UNSIGNED_64,
  i64: [
    [String(-SAFE), BigInt(-SAFE)],
    ['0x8000000000000000', -(1n << 63n)],
    [String(SAFE), BigInt(SAFE)],
    ['0x7fffffffffffffff', (1n << 63n) - 1n],
    ['-1', -1n],
    ['0xffffffffffffffff', -1n],
    ['0x10000000000000000', REFUSED],
  ],
};

const isHex = (v: string): boolean => v.startsWith('0x');
const jsonl = (site: Site, v: string): Result<Trace, TraceError> =>
  parseJsonl(`${HEADER}\n${site.jsonl(isHex(v) ? `"${v}"` : v)}\n`, 'b.jsonl');
const text = (site: Site, v: string): Result<Trace, TraceError> =>
  parseText(`#! vpdma-trace v1\n${site.text(v)}\n`, 'b.txt');
const outcome = (site: Site, r: Result<Trace, TraceError>): unknown =>
  r.ok ? site.read(r.value) : formatTraceError(r.error);

describe('integer bounds, in JSONL and in text', () => {
  for (const [type, rows] of Object.entries(BOUNDS)) {
    const site = SITES[type as keyof typeof SITES];
    it(`${type}: min and max are read, one past them is refused naming field and value`, () => {
      for (const [v, want] of rows) {
        const got = isHex(v) ? `"${v}"` : v;
        for (const [file, parse] of [
          ['b.jsonl', jsonl],
          ['b.txt', text],
        ] as const) {
          const expected =
            want === REFUSED
              ? `${file}:2: ${site.field}: expected ${EXPECTED[type as ArgType]}, got ${got}`
              : want;
          expect(outcome(site, parse(site, v)), `${type} ${v} in ${file}`).toBe(expected);
        }
      }
    });
  }

  it('past the safe integers, decimal is refused in both formats: hex carries 64-bit values', () => {
    for (const [type, site] of Object.entries(SITES)) {
      for (const v of [String(SAFE + 1), String(-SAFE - 1), '18446744073709551615']) {
        expect(outcome(site, jsonl(site, v)), `${type} ${v}`).toBe(
          `b.jsonl:2: ${site.field}: expected ${EXPECTED[type as ArgType]}, got an integer beyond 2^53, which a JSON number cannot hold exactly`,
        );
        const column = site.text(v).indexOf(v) + 1;
        expect(outcome(site, text(site, v)), `${type} ${v}`).toBe(
          `b.txt:2: column ${column}: integer ${v} is outside the safe range`,
        );
      }
    }
  });

  it('a negative hex literal is refused: "-0x1" in JSONL, -0x1 in text', () => {
    for (const [type, site] of Object.entries(SITES)) {
      expect(outcome(site, jsonl(site, '"-0x1"')), type).toBe(
        `b.jsonl:2: ${site.field}: expected ${EXPECTED[type as ArgType]}, got "-0x1"`,
      );
      expect(outcome(site, text(site, '-0x1')), type).toMatch(
        /^b\.txt:2: column \d+: hex literals are unsigned: write a negative value in decimal/,
      );
    }
  });
});
