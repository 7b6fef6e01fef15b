import { describe, expect, it } from 'vitest';
import { validateCall } from './validate.js';
import { accepted, verdict } from '../../test/support/testResult.js';
import type { TraceCall } from '../model/values.js';

const where = { file: 't.jsonl', line: 3 };
const EXT = '0xffffe00000001000';
const VRP = {
  ioControlCode: 0x230000,
  statusBlock: '0xffffe00000003000',
  inputBuffer: '0xffffe00000004000',
  inputBufferLength: 4096,
  outputBuffer: '0x0',
  outputBufferLength: 0,
};
const lockPages = (pVrp: unknown, extra: object = {}): unknown => ({
  fn: 'VideoPortLockPages',
  args: { hwDeviceExtension: EXT, pVrp, pUEvent: '0x0', pDisplayEvent: '0x0', dmaFlags: 3 },
  ...extra,
});

const valid = (raw: unknown): TraceCall => accepted(validateCall(raw, where));
const line = (raw: unknown): string => verdict(validateCall(raw, where));

describe('validateCall: structures', () => {
  it('vrp: an object with all six fields, or NULL as "0x0"', () => {
    expect(valid(lockPages(VRP)).args['pVrp']).toEqual({
      ioControlCode: 0x230000,
      statusBlock: 0xffffe00000003000n,
      inputBuffer: 0xffffe00000004000n,
      inputBufferLength: 4096,
      outputBuffer: 0n,
      outputBufferLength: 0,
    });
    expect(valid(lockPages('0x0')).args['pVrp']).toBe(0n);
    expect(line(lockPages('0x10'))).toBe(
      't.jsonl:3: args.pVrp: expected a VIDEO_REQUEST_PACKET object or "0x0", got "0x10"',
    );
    expect(line(lockPages({ ...VRP, inputBufferLength: -1 }))).toBe(
      't.jsonl:3: args.pVrp.inputBufferLength: expected an unsigned 32-bit integer, got -1',
    );
    const short: Record<string, unknown> = { ...VRP };
    delete short['outputBufferLength'];
    expect(line(lockPages(short))).toBe('t.jsonl:3: args.pVrp.outputBufferLength: missing field');
    expect(line(lockPages({ ...VRP, extra: 1 }))).toBe(
      't.jsonl:3: args.pVrp.extra: unknown field "extra"',
    );
  });

  it('devdesc and sglist', () => {
    const desc = {
      scatterGather: true,
      dma32BitAddresses: true,
      dma64BitAddresses: false,
      maximumLength: 65536,
    };
    const get = (d: unknown): unknown => ({
      fn: 'VideoPortGetDmaAdapter',
      args: { hwDeviceExtension: EXT, vpDeviceDescription: d },
    });
    expect(valid(get(desc)).args['vpDeviceDescription']).toEqual(desc);
    expect(valid(get('0x0')).args['vpDeviceDescription']).toBe(0n);
    expect(line(get({ ...desc, scatterGather: 1 }))).toBe(
      't.jsonl:3: args.vpDeviceDescription.scatterGather: expected true or false, got 1',
    );
    const exec = (elements: unknown): unknown => ({
      fn: '@executeDma',
      args: { vpDmaAdapter: '0x1' },
      out: { sgList: '0x2', elements },
    });
    expect(valid(exec([{ address: '0x1000', length: 4096 }])).out?.['elements']).toEqual([
      { address: 0x1000n, length: 4096 },
    ]);
    expect(
      line(
        exec([
          { address: '0x1000', length: 1 },
          { address: '0x1', length: 2 ** 32 },
        ]),
      ),
    ).toBe(
      't.jsonl:3: out.elements[1].length: expected an unsigned 32-bit integer, got 4294967296',
    );
    const tooMany = Array.from({ length: 4097 }, () => ({ address: '0x0', length: 0 }));
    expect(line(exec(tooMany))).toMatch(/out.elements: expected an array of at most 4096/);
  });
});

describe('validateCall: call shape', () => {
  const free = { fn: 'VideoPortFreePool', args: { hwDeviceExtension: EXT, ptr: '0x10' } };

  it('rejects unknown functions, arguments and keys, naming the field', () => {
    expect(line({ fn: 'VideoPortMapDmaMemoryEx', args: {} })).toBe(
      't.jsonl:3: fn: unknown function "VideoPortMapDmaMemoryEx"; did you mean "VideoPortMapDmaMemory"?',
    );
    expect(line({ args: {} })).toBe('t.jsonl:3: fn: expected a function name, got nothing');
    expect(line({ ...free, args: { ...free.args, size: 1 } })).toBe(
      't.jsonl:3: args.size: unknown argument of VideoPortFreePool "size" (VideoPortFreePool\'s arguments: hwDeviceExtension, ptr)',
    );
    expect(line({ ...free, when: 1 })).toBe(
      't.jsonl:3: when: unknown key "when" (a call holds only fn, args, ret, out and meta: put a capture tool\'s per-call fields, such as a thread id or a timestamp, in the call\'s meta)',
    );
    expect(line({ fn: free.fn })).toBe('t.jsonl:3: args: expected an object, got nothing');
    expect(line([free])).toBe('t.jsonl:3: expected a call object, got an array of 1');
  });

  it('names the function, argument or key a capture tool most likely meant', () => {
    const args = { hwDeviceExtension: EXT, ioAddress: '0x0', numberOfUchars: 16, inIoSpace: 0 };
    expect(line({ fn: 'GetDeviceBase', args })).toBe(
      't.jsonl:3: fn: unknown function "GetDeviceBase"; did you mean "VideoPortGetDeviceBase"?',
    );
    expect(line({ fn: 'videoportgetdevicebase', args })).toBe(
      't.jsonl:3: fn: unknown function "videoportgetdevicebase"; did you mean "VideoPortGetDeviceBase"?',
    );
    const { hwDeviceExtension, ...rest } = args;
    expect(
      line({
        fn: 'VideoPortGetDeviceBase',
        args: { HwDeviceExtension: hwDeviceExtension, ...rest },
      }),
    ).toBe(
      't.jsonl:3: args.HwDeviceExtension: unknown argument of VideoPortGetDeviceBase "HwDeviceExtension"; did you mean "hwDeviceExtension"? (names are the C parameter names with the first letter lowered)',
    );
    expect(line({ ...free, arg: free.args, args: undefined })).toBe(
      't.jsonl:3: arg: unknown key "arg"; did you mean "args"?',
    );
    expect(line({ ...free, Meta: { tid: 4 } })).toBe(
      't.jsonl:3: Meta: unknown key "Meta"; did you mean "meta"?',
    );
    expect(line({ fn: '@read', args: { va: '0x10', lenght: 1 } })).toBe(
      't.jsonl:3: args.lenght: unknown argument of @read "lenght"; did you mean "length"?',
    );
  });

  it('quotes a huge name or key from the input in bounded length', () => {
    const huge = 'A'.repeat(1 << 20);
    expect(line({ fn: huge, args: {} })).toBe(
      `t.jsonl:3: fn: unknown function "${'A'.repeat(40)}..."`,
    );
    const key = line({ ...free, [huge]: 1 });
    expect(key.length).toBeLessThan(700);
    expect(key).toMatch(
      /^t\.jsonl:3: A{120}\.\.\. \(1048576 characters\): unknown key "A+\.\.\. \(\d+ characters\)$/,
    );
  });

  it('requires every argument except out-only and optional ones', () => {
    expect(line({ fn: free.fn, args: { ptr: '0x10' } })).toBe(
      't.jsonl:3: args.hwDeviceExtension: missing argument of VideoPortFreePool',
    );
    const alloc = {
      fn: 'VideoPortAllocateCommonBuffer',
      args: {
        hwDeviceExtension: EXT,
        vpDmaAdapter: '0x1',
        desiredLength: 4096,
        cacheEnabled: true,
        reserved: '0x0',
      },
    };
    expect(valid(alloc).args['logicalAddress']).toBeUndefined();
    expect(
      valid({ ...alloc, args: { ...alloc.args, logicalAddress: '0xcccccccccccccccc' } }).args[
        'logicalAddress'
      ],
    ).toBe(0xccccccccccccccccn);
    const wait = {
      fn: 'VideoPortWaitForSingleObject',
      args: { hwDeviceExtension: EXT, object: '0x1' },
    };
    expect(Object.keys(valid(wait).args)).toEqual(['hwDeviceExtension', 'object']);
  });

  it('checks ret and out against the table', () => {
    expect(line({ ...free, ret: '0x0' })).toBe(
      't.jsonl:3: ret: VideoPortFreePool returns VOID: no ret allowed',
    );
    const create = {
      fn: 'VideoPortCreateEvent',
      args: { hwDeviceExtension: EXT, eventFlag: 0, unused: '0x0' },
    };
    expect(valid({ ...create, ret: 0, out: { ppEvent: '0x77' } })).toEqual({
      fn: 'VideoPortCreateEvent',
      args: { hwDeviceExtension: 0xffffe00000001000n, eventFlag: 0, unused: 0n },
      ret: 0,
      out: { ppEvent: 0x77n },
    });
    expect(line({ ...create, out: { pEvent: '0x77' } })).toBe(
      't.jsonl:3: out.pEvent: unknown out-parameter of VideoPortCreateEvent "pEvent"; did you mean "ppEvent"?',
    );
    expect(line({ ...create, ret: 'NO_ERROR' })).toBe(
      't.jsonl:3: ret: expected an unsigned 32-bit integer, got "NO_ERROR"',
    );
    expect(valid({ ...create, out: {} }).out).toEqual({});
    expect('ret' in valid(create)).toBe(false);
  });

  it('rejects prototype keys anywhere and never pollutes Object.prototype', () => {
    const polluted = JSON.parse(
      `{"fn":"VideoPortFreePool","args":{"hwDeviceExtension":"${EXT}","ptr":"0x1","__proto__":{"x":1}}}`,
    ) as unknown;
    expect(line(polluted)).toBe('t.jsonl:3: args.__proto__: forbidden key "__proto__"');
    expect(line(JSON.parse('{"fn":"@read","args":{},"constructor":1}'))).toBe(
      't.jsonl:3: constructor: forbidden key "constructor"',
    );
    expect(line(lockPages(JSON.parse(`{"prototype":1}`)))).toBe(
      't.jsonl:3: args.pVrp.prototype: forbidden key "prototype"',
    );
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('puts args in table order whatever order the input used', () => {
    const c = valid({ fn: free.fn, args: { ptr: '0x10', hwDeviceExtension: EXT } });
    expect(Object.keys(c.args)).toEqual(['hwDeviceExtension', 'ptr']);
  });
});
