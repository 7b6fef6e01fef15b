import { describe, expect, it } from 'vitest';
import { parseText, printText, readTextCalls } from './text.js';
import { collectTrace } from './items.js';
import { accepted, verdict } from '../../test/support/testResult.js';
import type { Trace } from './trace.js';
import type { TraceCall } from '../model/values.js';

const EXT = 0xffffe00000001000n;
const ADAPTER = 0xffffc00000000010n;
const VA = 0xffffa00000004000n;
const LOGICAL = 0x1f000n;

const calls: TraceCall[] = [
  {
    fn: 'VideoPortGetDmaAdapter',
    args: {
      hwDeviceExtension: EXT,
      vpDeviceDescription: {
        scatterGather: true,
        dma32BitAddresses: true,
        dma64BitAddresses: false,
        maximumLength: 65536,
      },
    },
    ret: ADAPTER,
  },
  {
    fn: 'VideoPortAllocateCommonBuffer',
    args: {
      hwDeviceExtension: EXT,
      vpDmaAdapter: ADAPTER,
      desiredLength: 4096,
      cacheEnabled: true,
      reserved: 0n,
    },
    ret: VA,
    out: { logicalAddress: LOGICAL },
  },
  { fn: '@write', args: { va: VA + 0x10n, data: new Uint8Array([0xde, 0xad]) } },
  {
    fn: 'VideoPortMapDmaMemory',
    args: {
      hwDeviceExtension: EXT,
      pVrp: 0n,
      boardAddress: 0xe0000000n,
      length: 4096,
      inIoSpace: 0,
      mappedUserEvent: 0n,
      displayDriverEvent: 0n,
      virtualAddress: 0n,
    },
    ret: 0n,
    out: {},
  },
  {
    fn: 'VideoPortReleaseCommonBuffer',
    args: {
      hwDeviceExtension: EXT,
      vpDmaAdapter: ADAPTER,
      length: 4096,
      logicalAddress: LOGICAL,
      virtualAddress: VA,
      cacheEnabled: true,
    },
  },
  {
    fn: 'VideoPortWaitForSingleObject',
    args: { hwDeviceExtension: EXT, object: 0x99n, timeout: -10000n },
    ret: 258,
  },
];
const trace: Trace = {
  header: {
    format: 'vpdma-trace',
    version: 1,
    profile: 'reactos',
    device: { dma: { mapRegisters: 8 } },
    meta: { seed: 7 },
  },
  calls,
};

const parsed = (text: string): Trace => accepted(parseText(text, 'r.txt'));
const error = (text: string): string => verdict(parseText(text, 'r.txt'));

describe('text format', () => {
  it('prints names for produced values that later calls use', () => {
    expect(printText(trace)).toMatchInlineSnapshot(`
      "#! vpdma-trace v1 profile=reactos
      #! device {"dma":{"mapRegisters":8}}
      #! meta {"seed":7}
      r0 = VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=65536}) -> 0xffffc00000000010
      r1 = VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=r0, desiredLength=4096, cacheEnabled=true, reserved=0x0) -> 0xffffa00000004000 out(logicalAddress=<r2=>0x1f000)
      @write(va=r1+0x10, data=x"dead")
      VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0x0) -> 0x0 out()
      VideoPortReleaseCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=r0, length=4096, logicalAddress=r2, virtualAddress=r1, cacheEnabled=true)
      VideoPortWaitForSingleObject(hwDeviceExtension=0xffffe00000001000, object=0x99, timeout=-10000) -> 258
      "
    `);
  });

  it('parses what it prints, exactly (absent vs empty out, signed i64, offsets)', () => {
    expect(parsed(printText(trace))).toEqual(trace);
  });

  it('prints a header-only trace and the default profile', () => {
    const t: Trace = {
      header: { format: 'vpdma-trace', version: 1, device: {}, meta: {} },
      calls: [],
    };
    expect(printText(t)).toMatchInlineSnapshot(`
      "#! vpdma-trace v1
      "
    `);
    expect(parsed(printText(t))).toEqual(t);
  });

  it('prints no control or bidi character of the header raw, and reads them back the same', () => {
    // C1 CSI (a terminal's ESC [), DEL, a right-to-left override, in meta and an aperture name.
    const odd = 'a\u009b31m\u007f\u202eb';
    const t: Trace = {
      header: {
        format: 'vpdma-trace',
        version: 1,
        device: {
          apertures: [{ name: odd, base: 0xe0000000n, length: 0x1000, space: 'memory' }],
        },
        meta: { [odd]: [odd, { note: odd }] },
      },
      calls: [],
    };
    const text = printText(t);
    expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain('a\\u009b31m\\u007f\\u202eb');
    expect(parsed(text)).toEqual(t);
  });

  it('prints structures, lists and NULL structures by field type', () => {
    const t: Trace = {
      header: { format: 'vpdma-trace', version: 1, profile: 'docs', device: {}, meta: {} },
      calls: [
        {
          fn: '@executeDma',
          args: { vpDmaAdapter: ADAPTER },
          out: { sgList: 0x5000n, context: 0n, elements: [{ address: 0x20000n, length: 4096 }] },
        },
        { fn: '@deviceDma', args: { sgList: 0x5000n, deviceAddress: 0xe0000000n }, ret: 4096 },
        {
          fn: 'VideoPortLockPages',
          args: {
            hwDeviceExtension: EXT,
            pVrp: {
              ioControlCode: 1,
              statusBlock: 0n,
              inputBuffer: 0x20010n,
              inputBufferLength: 16,
              outputBuffer: 0n,
              outputBufferLength: 0,
            },
            pUEvent: 0n,
            pDisplayEvent: 0n,
            dmaFlags: 3,
          },
        },
      ],
    };
    expect(printText(t)).toMatchInlineSnapshot(`
      "#! vpdma-trace v1 profile=docs
      @executeDma(vpDmaAdapter=0xffffc00000000010) out(sgList=<r0=>0x5000, context=0x0, elements=[{address=<r1=>0x20000, length=4096}])
      @deviceDma(sgList=r0, deviceAddress=0xe0000000) -> 4096
      VideoPortLockPages(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=1, statusBlock=0x0, inputBuffer=r1+0x10, inputBufferLength=16, outputBuffer=0x0, outputBufferLength=0}, pUEvent=0x0, pDisplayEvent=0x0, dmaFlags=3)
      "
    `);
    expect(parsed(printText(t))).toEqual(t);
  });

  it('accepts comments, blank lines, any argument order and spacing', () => {
    const text = [
      '# a repro',
      '#! vpdma-trace v1',
      '',
      '  @read( length = 16 ,va=0x10 ) -> x"00FF"   ',
      '# done',
    ].join('\n');
    expect(parsed(text).calls).toEqual([
      { fn: '@read', args: { va: 0x10n, length: 16 }, ret: new Uint8Array([0, 255]) },
    ]);
  });

  it('rejects a line over 4 MiB saying how to split it', () => {
    const huge = `#! vpdma-trace v1\n@write(va=0x10000, data=x"${'00'.repeat(2 * 1024 * 1024 + 1)}")\n`;
    expect(error(huge)).toBe(
      'r.txt:2: line longer than 4194304 bytes; split the @write or @read into events of at most 1048576 bytes each',
    );
  });

  it('rejects bad lines with file, line, column or field', () => {
    const h = '#! vpdma-trace v1\n';
    expect(error(`${h}@read(va=0x10, length=16`)).toBe(
      "r.txt:2: column 25: expected ',' at the end of the line",
    );
    expect(error(`${h}@read(va=r3, length=16)`)).toBe('r.txt:2: column 10: undefined name r3');
    expect(error(`${h}@read(va=0x10, length=-1)`)).toBe(
      'r.txt:2: args.length: expected an unsigned 32-bit integer, got -1',
    );
    expect(error(`${h}@read(va=0x10, va=0x10, length=1)`)).toBe(
      'r.txt:2: column 16: duplicate "va"',
    );
    expect(error(`${h}@read(va=0x10, __proto__=1, length=1)`)).toBe(
      'r.txt:2: column 16: forbidden key "__proto__"',
    );
    expect(error(`${h}Nope(a=1)`)).toBe('r.txt:2: fn: unknown function "Nope"');
    expect(error(`${h}@read(va=0x10, length=1)\n${h}`)).toBe(
      'r.txt:3: a second header: two captures concatenated? split them (a trace has one header, before its calls)',
    );
    expect(error('@read(va=0x10, length=1)')).toBe(
      'r.txt:1: missing "#! vpdma-trace v1" header line before the first call',
    );
    // Header errors name the line the bad field is written on, not where the header ends.
    expect(error('#! vpdma-trace v2\n')).toBe(
      'r.txt:1: version: unsupported version 2 (this vpdma reads version 1)',
    );
    expect(error('#! vpdma-trace v1 profile=weird\n#! meta {}\n\n\n@read(va=0x10, length=1)')).toBe(
      'r.txt:1: profile: expected "docs" or "reactos", got "weird"',
    );
    // An empty profile is not the absent one: the writer meant to name one.
    expect(error('#! vpdma-trace v1 profile=\n')).toBe(
      'r.txt:1: column 27: expected a profile (docs or reactos) at the end of the line',
    );
    expect(
      error('#! vpdma-trace v1\n#! device {"dma":{"mapRegisters":-1}}\n\n@read(va=0x10, length=1)'),
    ).toBe('r.txt:2: device.dma.mapRegisters: expected an integer in [0, 65536], got -1');
    expect(error(`${h}#! gpu {}\n`)).toBe('r.txt:2: unknown directive "gpu"');
    expect(error(`${h}#! meta {\n`)).toMatch(/^r.txt:2: meta: invalid JSON/);
    expect(error(`${h}@read(va=0x10, length=1)\n#! meta {}`)).toBe(
      'r.txt:3: header directives must come before the calls',
    );
    expect(error(`${h}r0 = @read(va=0x10, length=1)`)).toMatch(
      /r0 names the result, but the call has no '-> value'/,
    );
    expect(error(`${h}@read(va=[[[[[0]]]]], length=1)`)).toMatch(/nested too deeply/);
  });

  it('streams the same trace as parseText', async () => {
    const text = printText(trace);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const b = new TextEncoder().encode(text);
      for (let i = 0; i < b.length; i += 5) yield b.subarray(i, i + 5);
      return Promise.resolve();
    }
    expect(await collectTrace(readTextCalls(chunks(), 'r.txt'))).toEqual({
      ok: true,
      value: trace,
    });
  });
});
