// Property: every format converts to and from the in-memory trace without loss, and through
// each other (JSONL → .vpt → text → JSONL) back to the same bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { traceArbitrary } from './traceArbitrary.js';
import { formatJsonl, parseJsonl, readJsonlCalls } from './jsonl.js';
import { decodeVpt, encodeVpt, readVptCalls } from './vpt.js';
import { parseText, printText } from './text.js';
import { collectTrace } from './items.js';
import { formatTraceError } from './traceError.js';
import type { Result } from '../core/result.js';
import type { Trace } from './trace.js';
import type { TraceError } from './traceError.js';

function value(r: Result<Trace, TraceError>): Trace {
  if (!r.ok) throw new Error(formatTraceError(r.error));
  return r.value;
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  return Promise.resolve();
}

describe('format round trips', () => {
  it('JSONL, .vpt and text are lossless for any valid trace', () => {
    fc.assert(
      fc.property(traceArbitrary(), (t) => {
        expect(value(parseJsonl(formatJsonl(t)))).toStrictEqual(t);
        expect(value(decodeVpt(encodeVpt(t)))).toStrictEqual(t);
        expect(value(parseText(printText(t)))).toStrictEqual(t);
      }),
    );
  });

  it('JSONL → .vpt → text → JSONL reproduces the same bytes', () => {
    fc.assert(
      fc.property(traceArbitrary(), (t) => {
        const jsonl = formatJsonl(t);
        const viaVpt = value(decodeVpt(encodeVpt(value(parseJsonl(jsonl)))));
        const viaText = value(parseText(printText(viaVpt)));
        expect(formatJsonl(viaText)).toBe(jsonl);
      }),
    );
  });

  it('the streaming readers agree with the whole-buffer decoders at any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        traceArbitrary({ callsMax: 10 }),
        fc.integer({ min: 1, max: 300 }),
        async (t, size) => {
          const vpt = encodeVpt(t);
          expect(value(await collectTrace(readVptCalls(pieces(vpt, size))))).toStrictEqual(t);
          const jsonl = new TextEncoder().encode(formatJsonl(t));
          expect(value(await collectTrace(readJsonlCalls(pieces(jsonl, size))))).toStrictEqual(t);
        },
      ),
      { numRuns: 50 },
    );
  });
});
