import fc from 'fast-check';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../store/traceFiles.js';
import { parseText, printText } from '../trace/text.js';
import { REPRO_NOTES, printTextAnnotated } from '../trace/textAnnotate.js';
import { traceArbitrary } from '../trace/traceArbitrary.js';
import type { Trace } from '../trace/trace.js';
import { oracleAnswers, printRepro } from './reproText.js';

function parsed(text: string): Trace {
  const r = parseText(text, 'repro.txt');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The calls of a repro as text, without the header lines and the notes. */
function body(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#!') && !REPRO_NOTES.includes(l))
    .join('\n');
}

const HEADER = '#! vpdma-trace v1 profile=docs\n';

describe('printRepro', () => {
  it('names the violation under its call, after the oracle, without changing the trace', () => {
    const bare = `${HEADER}VideoPortCreateEvent(hwDeviceExtension=0xffffe00000001000, eventFlag=0, unused=0x0)
VideoPortReadStateEvent(hwDeviceExtension=0xffffe00000001000, pEvent=0xffffe00010000000)
`;
    const trace = parsed(bare);
    const message = 'VideoPortReadStateEvent ret: expected 0 (docs oracle), got 1\nsecond line';
    const found = { callIndex: 1, kind: 'return-mismatch', message };
    const text = printRepro(trace, { found });
    expect(body(text).split('\n').slice(-3)).toEqual([
      '# oracle at call 1: -> 0',
      '# violation at call 1: return-mismatch: VideoPortReadStateEvent ret: expected 0 (docs oracle), got 1 second line',
      '',
    ]);
    expect(parsed(text)).toEqual(trace);
    // Only under its own call: another index adds nothing there.
    expect(printRepro(trace, { found: { ...found, callIndex: 0 } })).toContain(
      'unused=0x0)\n# oracle at call 0: -> 0 out(ppEvent=0xffffe00010000000)\n# violation at call 0:',
    );
    expect(printRepro(trace)).not.toContain('# violation');
  });

  it("says what the oracle answered and which call produced a later argument's value", () => {
    // Probe R's finding B: UnmapDmaMemory of the view MapMemory made, 0x800000000000 unexplained.
    const bare = `${HEADER}VideoPortMapMemory(hwDeviceExtension=0xffffe00000001000, physicalAddress=0xe0000000, length=4096, inIoSpace=0, virtualAddress=0xffffffffffffffff)
VideoPortUnmapDmaMemory(hwDeviceExtension=0xffffe00000001000, virtualAddress=0x800000000000, processHandle=0x0, boardMemoryHandle=0x0)
`;
    const trace = parsed(bare);
    const text = printRepro(trace);
    expect(body(text)).toMatchInlineSnapshot(`
      "VideoPortMapMemory(hwDeviceExtension=0xffffe00000001000, physicalAddress=0xe0000000, length=4096, inIoSpace=0, virtualAddress=0xffffffffffffffff)
      # oracle at call 0: -> 0 out(virtualAddress=0x800000000000)
      VideoPortUnmapDmaMemory(hwDeviceExtension=0xffffe00000001000, virtualAddress=0x800000000000, processHandle=0x0, boardMemoryHandle=0x0)  # virtualAddress = call 0's *VirtualAddress
      # oracle at call 1: -> false
      "
    `);
    // Comments only: the same trace as the bare text, recording nothing the replay would check.
    expect(parsed(text)).toStrictEqual(trace);
    expect(text.split('\n')[0]).toBe('#! vpdma-trace v1 profile=docs');
    expect(text).toContain('length=4096 means *Length == 4096');
  });

  it('names structure fields and interior addresses; says when nothing was written', () => {
    const trace =
      parsed(`${HEADER}VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=4096, tag=1)
VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0x0, inputBufferLength=0, outputBuffer=0xffffa00000000010, outputBufferLength=64}, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0x0)
@write(va=0xffffa00000000180, data=x"00112233445566778899aabbccddeeff0011")
@read(va=0xffffa00000000180, length=18)
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
`);
    const text = printRepro(trace);
    expect(body(text)).toMatchInlineSnapshot(`
      "VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=4096, tag=1)
      # oracle at call 0: -> 0xffffa00000000000
      VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0x0, inputBufferLength=0, outputBuffer=0xffffa00000000010, outputBufferLength=64}, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0x0)  # pVrp.outputBuffer = call 0's return value + 0x10
      # oracle at call 1: -> 0x0, out-parameters unchanged
      @write(va=0xffffa00000000180, data=x"00112233445566778899aabbccddeeff0011")  # va = call 0's return value + 0x180
      @read(va=0xffffa00000000180, length=18)  # va = call 0's return value + 0x180
      # oracle at call 3: -> x"00112233445566778899aabbccddeeff..." (18 bytes)
      VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)  # ptr = call 0's return value
      VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)  # ptr = call 0's return value (freed at call 4)
      # oracle at call 5: misuse: free-unknown-pool
      "
    `);
    expect(parsed(text)).toStrictEqual(trace);
  });

  it('says an argument names a freed object, and names the newest live producer', () => {
    // The probe's trace: a literal base address freed again and again; call 0's base went at 1.
    const pair = `VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0)
VideoPortFreeDeviceBase(hwDeviceExtension=0xffffe00000001000, mappedAddress=0xffffc00000000000)
`;
    const lines = body(printRepro(parsed(`${HEADER}${pair.repeat(500)}`))).split('\n');
    const frees = lines.filter((l) => l.startsWith('VideoPortFreeDeviceBase'));
    expect(frees).toHaveLength(500);
    expect(frees[0]).toMatch(/  # mappedAddress = call 0's return value$/);
    for (const l of frees.slice(1))
      expect(l).toMatch(/  # mappedAddress = call 0's return value \(freed at call 1\)$/);
    expect(lines.at(-2)).toBe('# oracle at call 999: misuse: free-unknown-base');
    // Recreated at the same address (a capture records it): each free names its own producer.
    const ret = ' -> 0xffffc00000000000';
    const captured = pair.replace('inIoSpace=0)', `inIoSpace=0)${ret}`).repeat(3);
    const text = printRepro(parsed(`${HEADER}${captured}`));
    expect(text).not.toContain('freed at');
    expect(text).toContain('r2 = VideoPortGetDeviceBase(');
    expect(text).toContain('mappedAddress=r2)\n');
    // A misused free ends nothing: the pool a locked MDL holds is still call 0's, live.
    const pool = `${HEADER}VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=4096, tag=1)
VideoPortLockBuffer(hwDeviceExtension=0xffffe00000001000, baseAddress=0xffffa00000000000, length=4096, operation=2)
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
VideoPortUnlockBuffer(hwDeviceExtension=0xffffe00000001000, mdl=0xffffe00010000000)
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
`;
    const freed = body(printRepro(parsed(pool)))
      .split('\n')
      .filter((l) => l.includes('FreePool('));
    expect(freed.map((l) => l.slice(l.indexOf('  # ')))).toEqual([
      "  # ptr = call 0's return value",
      "  # ptr = call 0's return value",
      "  # ptr = call 0's return value (freed at call 4)",
    ]);
  });

  it('prefers a live range holding an address to a freed one', () => {
    // Made-up overlapping blocks: the newer 4 KiB one, inside the 16 KiB one, is freed first.
    const trace =
      parsed(`${HEADER}VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=16384, tag=1) -> 0xffffa00000000000
VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=4096, tag=1) -> 0xffffa00000001000
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000001000)
@read(va=0xffffa00000001010, length=4)
VideoPortFreePool(hwDeviceExtension=0xffffe00000001000, ptr=0xffffa00000000000)
@read(va=0xffffa00000001010, length=4)
`);
    const reads = body(printRepro(trace))
      .split('\n')
      .filter((l) => l.startsWith('@read'));
    // Both freed: the newest producer, as before either was.
    expect(reads).toEqual([
      '@read(va=r0+0x1010, length=4)',
      "@read(va=r1+0x10, length=4)  # va = call 1's return value + 0x10 (freed at call 2)",
    ]);
  });

  it('says which out-parameters a failing call leaves to the implementation', () => {
    const trace = parsed(
      `${HEADER}VideoPortMapMemory(hwDeviceExtension=0xffffe00000001000, physicalAddress=0x1000, length=4096, inIoSpace=0, virtualAddress=0x0)\n`,
    );
    expect(body(printRepro(trace))).toContain(
      '# oracle at call 0: -> 87, any value accepted in *VirtualAddress, *Length',
    );
  });

  it("shows a capture's answers in its own values, and where it recorded something else", () => {
    // Recorded with other addresses than the oracle's: they are learned and translated back.
    const trace =
      parsed(`${HEADER}VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=8192, tag=1) -> 0xffff900000000000
VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576}) -> 0xffff800000000040
VideoPortLockBuffer(hwDeviceExtension=0xffffe00000001000, baseAddress=0xffff900000000000, length=8192, operation=2) -> 0xffff800000000100
VideoPortStartDma(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0xffff800000000040, mdl=0xffff800000000100, offset=0, pLength=8192, executeDmaRoutine=0xfffff80000a01000, context=0x0, writeToDevice=true) -> 0 out(pLength=4096)
`);
    const text = printRepro(trace);
    expect(body(text)).toMatchInlineSnapshot(`
      "r0 = VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=8192, tag=1) -> 0xffff900000000000
      # oracle at call 0: as recorded
      r1 = VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576}) -> 0xffff800000000040
      # oracle at call 1: as recorded
      r2 = VideoPortLockBuffer(hwDeviceExtension=0xffffe00000001000, baseAddress=r0, length=8192, operation=2) -> 0xffff800000000100
      # oracle at call 2: as recorded
      VideoPortStartDma(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=r1, mdl=r2, offset=0, pLength=8192, executeDmaRoutine=0xfffff80000a01000, context=0x0, writeToDevice=true) -> 0 out(pLength=4096)
      # oracle at call 3: -> 0, out-parameters unchanged
      "
    `);
    expect(parsed(text)).toStrictEqual(trace);
  });

  it('is what docs/text-format.md shows in its example', async () => {
    const doc = await readFile(join(import.meta.dirname, '../../docs/text-format.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Repros explained in comments'));
    const example = /^```text\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? '';
    expect(example).toContain('# oracle at call 1: -> 0 out(virtualAddress=0x800000000000)');
    expect(printRepro(parsed(example))).toBe(example);
  });

  it('parses to the trace it annotates: every corpus trace, and any valid trace', async () => {
    const dir = join(import.meta.dirname, '../../corpus');
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl'))) {
      const r = await readTrace(join(dir, name));
      if (!r.ok) throw new Error(r.error.message);
      const text = printTextAnnotated(r.value, oracleAnswers(r.value));
      expect(parsed(text), name).toStrictEqual(r.value);
      expect(text.length).toBeGreaterThan(printText(r.value).length);
    }
    fc.assert(
      fc.property(traceArbitrary({ callsMax: 12 }), (t) => {
        // Not printRepro, which falls back to the bare text: the annotation itself must hold.
        expect(parsed(printTextAnnotated(t, oracleAnswers(t)))).toStrictEqual(t);
      }),
      { numRuns: 200 },
    );
  });
});
