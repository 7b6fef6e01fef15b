import { describe, expect, it } from 'vitest';
import { validateCall } from './validate.js';
import { accepted } from '../../test/support/testResult.js';
import { formatTraceError } from './traceError.js';
import type { TraceError } from './traceError.js';
import type { TraceCall } from '../model/values.js';

const where = { file: 'corpus/x.jsonl', line: 7 };
const EXT = '0xffffe00000001000';

const valid = (raw: unknown): TraceCall => accepted(validateCall(raw, where));
function invalid(raw: unknown): TraceError {
  const r = validateCall(raw, where);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(r.value, (_k, v: unknown) => String(v))}`);
  return r.error;
}
const line = (raw: unknown): string => formatTraceError(invalid(raw));

/** A call taking one argument of the given type, with the arg set to `v`. */
const withArg: Record<string, (v: unknown) => unknown> = {
  ptr: (v) => ({ fn: 'VideoPortFreePool', args: { hwDeviceExtension: EXT, ptr: v } }),
  u8: (v) => ({
    fn: 'VideoPortGetDeviceBase',
    args: { hwDeviceExtension: EXT, ioAddress: '0xe0000000', numberOfUchars: 16, inIoSpace: v },
  }),
  u32: (v) => ({ fn: '@read', args: { va: EXT, length: v } }),
  usize: (v) => ({
    fn: 'VideoPortAllocatePool',
    args: { hwDeviceExtension: EXT, poolType: 0, numberOfBytes: v, tag: 1 },
  }),
  u64: (v) => ({ fn: '@deviceDma', args: { sgList: '0x10', deviceAddress: v } }),
  i64: (v) => ({
    fn: 'VideoPortWaitForSingleObject',
    args: { hwDeviceExtension: EXT, object: '0x1', timeout: v },
  }),
  bool: (v) => ({
    fn: 'VideoPortCompleteDma',
    args: { hwDeviceExtension: EXT, vpDmaAdapter: '0x1', vpScatterGather: '0x2', writeToDevice: v },
  }),
  bytes: (v) => ({ fn: '@write', args: { va: EXT, data: v } }),
};
const argOf: Record<string, string> = {
  ptr: 'ptr',
  u8: 'inIoSpace',
  u32: 'length',
  usize: 'numberOfBytes',
  u64: 'deviceAddress',
  i64: 'timeout',
  bool: 'writeToDevice',
  bytes: 'data',
};
const normalized = (type: string, v: unknown): unknown => {
  const f = withArg[type] as (v: unknown) => unknown;
  return valid(f(v)).args[argOf[type] as string];
};

describe('validateCall: scalar types', () => {
  it('ptr: hex strings and safe numbers become bigint, within 64 bits', () => {
    expect(normalized('ptr', '0x0')).toBe(0n);
    expect(normalized('ptr', '0xFFFFFFFFFFFFFFFF')).toBe(0xffffffffffffffffn);
    expect(normalized('ptr', 4096)).toBe(4096n);
    expect(normalized('ptr', 0x1000n)).toBe(0x1000n);
    expect(line(withArg['ptr']?.('0x10000000000000000'))).toBe(
      'corpus/x.jsonl:7: args.ptr: expected a pointer ("0x..." of at most 16 hex digits), got "0x10000000000000000"',
    );
    expect(invalid(withArg['ptr']?.(-1)).field).toBe('args.ptr');
    expect(invalid(withArg['ptr']?.(2 ** 53)).field).toBe('args.ptr');
    expect(invalid(withArg['ptr']?.('4096')).field).toBe('args.ptr');
    expect(invalid(withArg['ptr']?.(null)).field).toBe('args.ptr');
  });

  it('u8, u32, usize: range-checked numbers, hex strings accepted', () => {
    expect(normalized('u8', 255)).toBe(255);
    expect(normalized('u8', '0xff')).toBe(255);
    expect(invalid(withArg['u8']?.(256)).message).toBe(
      'expected an unsigned 8-bit integer, got 256',
    );
    expect(normalized('u32', 0xffffffff)).toBe(0xffffffff);
    expect(normalized('u32', '0xffffffff')).toBe(0xffffffff);
    expect(Object.is(normalized('u32', -0), 0)).toBe(true);
    expect(line(withArg['u32']?.(-1))).toBe(
      'corpus/x.jsonl:7: args.length: expected an unsigned 32-bit integer, got -1',
    );
    expect(invalid(withArg['u32']?.(0x100000000)).field).toBe('args.length');
    expect(invalid(withArg['u32']?.('0x100000000')).field).toBe('args.length');
    expect(invalid(withArg['u32']?.(1.5)).field).toBe('args.length');
    expect(invalid(withArg['u32']?.(true)).field).toBe('args.length');
    expect(normalized('usize', Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(invalid(withArg['usize']?.(2 ** 53)).field).toBe('args.numberOfBytes');
  });

  it('i32: signed range; hex is read as a 32-bit pattern', () => {
    const setEvent = (v: unknown): unknown => ({
      fn: 'VideoPortSetEvent',
      args: { hwDeviceExtension: EXT, pEvent: '0x1' },
      ret: v,
    });
    expect(valid(setEvent(-0x80000000)).ret).toBe(-0x80000000);
    expect(valid(setEvent(0x7fffffff)).ret).toBe(0x7fffffff);
    expect(valid(setEvent('0xffffffff')).ret).toBe(-1);
    expect(invalid(setEvent(0x80000000)).field).toBe('ret');
    expect(invalid(setEvent(-0x80000001)).message).toMatch(/signed 32-bit/);
  });

  it('u64 and i64: bigint; i64 hex is two\u2019s complement', () => {
    expect(normalized('u64', '0xffffffffffffffff')).toBe(0xffffffffffffffffn);
    expect(normalized('u64', 17)).toBe(17n);
    expect(invalid(withArg['u64']?.(-1)).field).toBe('args.deviceAddress');
    expect(normalized('i64', -10000)).toBe(-10000n);
    expect(normalized('i64', '0xffffffffffffffff')).toBe(-1n);
    expect(normalized('i64', '0x8000000000000000')).toBe(-(1n << 63n));
    expect(normalized('i64', '0x7fffffffffffffff')).toBe((1n << 63n) - 1n);
    expect(invalid(withArg['i64']?.(2 ** 60)).field).toBe('args.timeout');
    expect(invalid(withArg['i64']?.(1n << 63n)).field).toBe('args.timeout');
  });

  it('bool and bytes', () => {
    expect(normalized('bool', false)).toBe(false);
    expect(invalid(withArg['bool']?.(0)).message).toBe('expected true or false, got 0');
    expect(normalized('bytes', '00ff')).toEqual(new Uint8Array([0, 255]));
    expect(normalized('bytes', '')).toEqual(new Uint8Array(0));
    expect(invalid(withArg['bytes']?.('0f0')).field).toBe('args.data');
    expect(invalid(withArg['bytes']?.('zz')).field).toBe('args.data');
    // Too long, in either spelling, says what to do; the other reasons do not.
    const split = 'split the @write or @read into events of at most 1048576 bytes each';
    expect(invalid(withArg['bytes']?.('00'.repeat(1024 * 1024 + 1))).message).toBe(
      `expected a hex byte string of at most 1048576 bytes, got 1048577 bytes; ${split}`,
    );
    expect(invalid(withArg['bytes']?.(new Uint8Array(1024 * 1024 + 1))).message).toBe(
      `expected a hex byte string of at most 1048576 bytes, got 1048577 bytes; ${split}`,
    );
    expect(invalid(withArg['bytes']?.('0f0')).message).not.toContain('split');
    // Each reason by name, not all of them read as "too long".
    expect(invalid(withArg['bytes']?.('0f0')).message).toMatch(
      /got an odd number of hex digits \(3\)$/,
    );
    expect(invalid(withArg['bytes']?.('0fz0')).message).toMatch(
      /got "z" at hex digit 3, not a hex digit$/,
    );
  });

  it('names an integer JSON cannot carry without echoing its rounded value', () => {
    // 2^53 + 1: JSON.parse reads 9007199254740992, which the file does not say.
    const raw = JSON.parse('9007199254740993') as number;
    expect(line(withArg['usize']?.(raw))).toBe(
      'corpus/x.jsonl:7: args.numberOfBytes: expected a non-negative safe integer, got an integer beyond 2^53, which a JSON number cannot hold exactly',
    );
  });
});

describe('byte strings', () => {
  it('decode like core/hex.ts for every digit case and reject anything else', async () => {
    const { hexToBytes } = await import('../core/hex.js');
    const all = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join('');
    for (const text of [all, all.toUpperCase(), 'aB0f', '']) {
      expect(normalized('bytes', text)).toEqual(hexToBytes(text));
    }
    for (const bad of ['0g', 'g0', '0 ', '0\u0130', '\u00ff0']) {
      expect(invalid(withArg['bytes']?.(bad)).field, bad).toBe('args.data');
    }
  });
});

describe('hexOfBytes', () => {
  it('matches core/hex.ts bytesToHex for every byte value', async () => {
    const { bytesToHex } = await import('../core/hex.js');
    const { hexOfBytes } = await import('./json.js');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(hexOfBytes(all)).toBe(bytesToHex(all));
    expect(hexOfBytes(new Uint8Array(0))).toBe('');
  });
});

describe('required arguments', () => {
  it('an optional argument present does not stand in for a missing required one', () => {
    const wait = (args: Record<string, unknown>): unknown => ({
      fn: 'VideoPortWaitForSingleObject',
      args: { hwDeviceExtension: EXT, ...args },
    });
    expect(line(wait({ timeout: '0x0' }))).toContain(
      'args.object: missing argument of VideoPortWaitForSingleObject',
    );
    expect(valid(wait({ object: '0x1' })).args).toEqual({
      hwDeviceExtension: BigInt(EXT),
      object: 1n,
    });
  });
});
