import { describe, expect, it } from 'vitest';
import { tableRevision } from '../model/calls.js';
import { formatSummary, summarize } from './summary.js';
import type { Trace } from './trace.js';

const trace: Trace = {
  header: { format: 'vpdma-trace', version: 1, device: { dma: { mapRegisters: 4 } }, meta: {} },
  calls: [
    {
      fn: '@executeDma',
      args: { vpDmaAdapter: 0x10n },
      out: {
        sgList: 0x5000n,
        context: 0n,
        elements: [
          { address: 0x20000n, length: 4096 },
          { address: 0n, length: 0 },
        ],
      },
    },
    {
      fn: 'VideoPortCreateEvent',
      args: { hwDeviceExtension: 1n, eventFlag: 0, unused: 0n },
      ret: 8,
      out: { ppEvent: 0n },
    },
    { fn: 'VideoPortCreateEvent', args: { hwDeviceExtension: 1n, eventFlag: 0, unused: 0n } },
  ],
};

describe('summarize', () => {
  it('counts calls per function, non-NULL produced objects and captured calls', () => {
    const s = summarize(trace);
    expect(s.perFunction).toEqual([
      ['VideoPortCreateEvent', 2],
      ['@executeDma', 1],
    ]);
    expect(s.objects).toEqual([
      ['sgElement', 1],
      ['sgList', 1],
    ]);
    expect([s.calls, s.capturedCalls, s.capturableCalls]).toEqual([3, 2, 3]);
    expect([s.profile, s.profileExplicit]).toEqual(['docs', false]);
    expect(s.device.dma.mapRegisters).toBe(4);
    expect(s.device.dma.maximumLength).toBe(1048576);
  });

  it('formats as comment lines', () => {
    const lines = formatSummary(summarize(trace), 'x.vpt');
    expect(lines.every((l) => l.startsWith('#'))).toBe(true);
    expect(lines).toContain(
      '# calls: 3; captured: partly (2 of the 3 calls with a result record ret/out)',
    );
    // The second CreateEvent recorded nothing: it may have created an event too.
    expect(lines).toContain(
      '# objects created: sgElement 1, sgList 1 recorded; unknown for 1 call that can create one (results not captured)',
    );
  });

  it('does not say "none" for a trace whose calls create objects without recording them', () => {
    // Probe R: a generated repro (no results) whose first call maps a view.
    const map = {
      fn: 'VideoPortMapMemory',
      args: {
        hwDeviceExtension: 0xffffe00000001000n,
        physicalAddress: 0xe0000000n,
        length: 4096,
        inIoSpace: 0,
        virtualAddress: 0n,
      },
    };
    const unmap = {
      fn: 'VideoPortUnmapDmaMemory',
      args: {
        hwDeviceExtension: 0xffffe00000001000n,
        virtualAddress: 0x20000000000n,
        processHandle: 0n,
        boardMemoryHandle: 0n,
      },
    };
    const generated = summarize({ ...trace, calls: [map, unmap] });
    expect([generated.objects, generated.unrecordedCreators]).toEqual([[], 1]);
    expect(formatSummary(generated, 'repro.txt')).toContain(
      '# objects created: unknown (results not captured: 1 call that can create one)',
    );
    // Recorded, it is counted as before; and a trace of calls that create nothing says none.
    const recorded = { ...map, ret: 0, out: { length: 4096, virtualAddress: 0x20000000000n } };
    expect(formatSummary(summarize({ ...trace, calls: [recorded, unmap] }), 'r.txt')).toContain(
      '# objects created: view 1',
    );
    expect(formatSummary(summarize({ ...trace, calls: [unmap] }), 'r.txt')).toContain(
      '# objects created: none',
    );
  });

  it('keeps every line a comment when names carry line breaks', () => {
    const device = {
      apertures: [
        { name: 'fb\nVideoPortFreePool(x=1)', base: 0xe0000000n, length: 4096, space: 'memory' },
        { name: 'mmio', base: 0xf0000000n, length: 4096, space: 'memory' },
      ],
    } as const;
    const odd = { ...trace, header: { ...trace.header, device } } as Trace;
    const lines = formatSummary(summarize(odd), 'a\nb.vpt').flatMap((l) => l.split('\n'));
    expect(lines.every((l) => l.startsWith('#'))).toBe(true);
    expect(lines).toContain(
      '# device: apertures "fb\\nVideoPortFreePool(x=1)" memory 0xe0000000+0x1000, mmio memory 0xf0000000+0x1000',
    );
  });

  it('a VOID call without out-parameters has nothing to record: fully captured without it', () => {
    const captured = trace.calls.filter((c) => c.ret !== undefined || c.out !== undefined);
    const free = { fn: 'VideoPortFreePool', args: { hwDeviceExtension: 1n, ptr: 0x10n } };
    const s = summarize({ ...trace, calls: [...captured, free] });
    expect([s.calls, s.capturedCalls, s.capturableCalls]).toEqual([3, 2, 2]);
    expect(formatSummary(s, 'x.vpt')).toContain(
      '# calls: 3; captured: yes (every call with a result records ret/out)',
    );
  });

  it('always has the call-table line, saying when the trace does not record the revision', () => {
    const ours = tableRevision();
    const line = (modelRevision?: string): string | undefined =>
      formatSummary(
        { ...summarize(trace), ...(modelRevision === undefined ? {} : { modelRevision }) },
        'x.vpt',
      ).find((l) => l.startsWith('# call table:'));
    expect(line()).toBe(`# call table: not recorded in this trace (this vpdma has ${ours})`);
    expect(line(ours)).toBe(`# call table: ${ours} (the same as this vpdma's)`);
    expect(line('0123abcd')).toBe(
      `# call table: 0123abcd, written by another vpdma (this one has ${ours})`,
    );
  });
});
