import { describe, expect, it } from 'vitest';
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
    expect([s.calls, s.capturedCalls, s.profile, s.profileExplicit]).toEqual([3, 2, 'docs', false]);
    expect(s.device.dma.mapRegisters).toBe(4);
    expect(s.device.dma.maximumLength).toBe(1048576);
  });

  it('formats as comment lines', () => {
    const lines = formatSummary(summarize(trace), 'x.vpt');
    expect(lines.every((l) => l.startsWith('#'))).toBe(true);
    expect(lines).toContain('# calls: 3; captured: partly (2 of 3 calls record ret/out)');
    expect(lines).toContain('# objects created: sgElement 1, sgList 1');
  });
});
