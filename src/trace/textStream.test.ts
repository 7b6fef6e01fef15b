import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceBatchItem } from './items.js';
import { parseText, printText } from './text.js';
import { printTextStreamed, type TextChunk } from './textStream.js';
import { traceArbitrary } from './traceArbitrary.js';
import type { Trace } from './trace.js';

/** The trace as a stream of batches of `size` calls, then `tail` (an error, say). */
async function* batches(t: Trace, size: number, tail: TraceBatchItem[] = []) {
  yield { kind: 'header', header: t.header } as const;
  for (let i = 0; i < t.calls.length; i += size)
    yield { kind: 'calls', calls: t.calls.slice(i, i + size) } as const;
  yield* tail;
  return Promise.resolve();
}

async function collect(chunks: AsyncIterable<TextChunk>): Promise<TextChunk[]> {
  const out: TextChunk[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

const textOf = (chunks: TextChunk[]): string =>
  chunks.map((c) => (c.kind === 'text' ? c.text : `<error ${c.error.message}>`)).join('');

describe('printTextStreamed', () => {
  it('prints exactly what printText prints, in any batching', async () => {
    await fc.assert(
      fc.asyncProperty(traceArbitrary(), fc.integer({ min: 1, max: 7 }), async (t, size) => {
        const chunks = await collect(
          printTextStreamed({ file: 't.vpt', open: () => batches(t, size) }),
        );
        expect(textOf(chunks)).toBe(printText(t));
      }),
      { numRuns: 150 },
    );
  });

  it('numbers the calls in any batching (numbers), and reads back the same trace', async () => {
    await fc.assert(
      fc.asyncProperty(traceArbitrary(), fc.integer({ min: 1, max: 7 }), async (t, size) => {
        const open = (): AsyncGenerator<TraceBatchItem> => batches(t, size);
        const text = textOf(await collect(printTextStreamed({ file: 't', open, numbers: true })));
        const calls = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
        expect(calls.map((l) => /# call (\d+)$/.exec(l)?.[1])).toEqual(
          t.calls.map((_c, i) => String(i)),
        );
        const back = parseText(text, 't.txt');
        expect(back.ok && back.value).toStrictEqual(t);
      }),
      { numRuns: 100 },
    );
  });

  it('stays lossless when old produced values are forgotten (they print as literals)', async () => {
    let forgot = 0;
    await fc.assert(
      fc.asyncProperty(traceArbitrary(), async (t) => {
        const text = textOf(
          await collect(printTextStreamed({ file: 't', open: () => batches(t, 3), exactKept: 1 })),
        );
        const back = parseText(text, 't.txt');
        expect(back.ok && back.value).toStrictEqual(t);
        if (text !== printText(t)) forgot++;
      }),
      { numRuns: 150 },
    );
    // The bound really bit in some runs (else this property proved nothing).
    expect(forgot).toBeGreaterThan(0);
  });

  it('keeps naming a handle the trace keeps using, however much else it produces', async () => {
    const EXT = 0xffffe00000001000n;
    const ADAPTER = 0xffffc00000000010n;
    const desc = {
      scatterGather: true,
      dma32BitAddresses: true,
      dma64BitAddresses: false,
      maximumLength: 65536,
    };
    const t: Trace = {
      header: { format: 'vpdma-trace', version: 1, device: {}, meta: {} },
      calls: [
        {
          fn: 'VideoPortGetDmaAdapter',
          args: { hwDeviceExtension: EXT, vpDeviceDescription: desc },
          ret: ADAPTER,
        },
        ...Array.from({ length: 6 }, (_, i) => ({
          fn: 'VideoPortAllocateCommonBuffer',
          args: {
            hwDeviceExtension: EXT,
            vpDmaAdapter: ADAPTER,
            desiredLength: 4096,
            cacheEnabled: false,
            reserved: 0n,
          },
          ret: 0xffffa00000004000n + BigInt(i) * 0x1000n,
          out: { logicalAddress: 0x1f000n + BigInt(i) * 0x1000n },
        })),
      ],
    };
    // Three values kept, each call producing two more: the adapter it uses stays named.
    const text = textOf(
      await collect(printTextStreamed({ file: 't', open: () => batches(t, 2), exactKept: 3 })),
    );
    expect(text).toBe(printText(t));
    expect(text.split('\n').filter((l) => l.includes('vpDmaAdapter=r0'))).toHaveLength(6);
  });

  it('reports a bad trace from the first pass and prints nothing', async () => {
    const t: Trace = {
      header: { format: 'vpdma-trace', version: 1, device: {}, meta: {} },
      calls: [],
    };
    const bad: TraceBatchItem = {
      kind: 'error',
      error: { file: 't.vpt', offset: 99, message: 'crc' },
    };
    const chunks = await collect(
      printTextStreamed({ file: 't.vpt', open: () => batches(t, 1, [bad]) }),
    );
    expect(chunks).toStrictEqual([bad]);
  });

  it('ends in an error when the file changed between the passes', async () => {
    const t = fc.sample(
      traceArbitrary({ callsMax: 10 }).filter((x) => x.calls.length > 2),
      {
        numRuns: 1,
        seed: 7,
      },
    )[0] as Trace;
    let opened = 0;
    const open = () =>
      opened++ === 0 ? batches(t, 2) : batches({ ...t, calls: t.calls.slice(0, 1) }, 2);
    const chunks = await collect(printTextStreamed({ file: 'cap.vpt', open }));
    const last = chunks[chunks.length - 1];
    expect(last?.kind === 'error' && last.error).toMatchObject({
      file: 'cap.vpt',
      message: `changed while being read: ${t.calls.length} calls, then 1`,
    });
  });
});
