// Property: decoders never throw on damaged input. Valid files of every format are mutated
// (bit flips, truncation, insertion, deletion) and every decoder must return a Result whose
// error renders as one line; anything it accepts must be a valid trace (it re-encodes).
// .vpt frames are checksummed, so there damage is detected: a .vpt decodes to its own trace
// or, cut at a frame boundary, to the header and the calls before the cut, never to other
// content; and one flipped byte anywhere, the header frame included, is always an error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { traceArbitrary } from './traceArbitrary.js';
import { formatJsonl, parseJsonl, readJsonlCalls } from './jsonl.js';
import { decodeVpt, encodeVpt, readVptCalls } from './vpt.js';
import { parseText, printText, readTextCalls } from './text.js';
import { collectTrace } from './items.js';
import type { TraceItem } from './items.js';
import { formatTraceError } from './traceError.js';
import type { Result } from '../core/result.js';
import type { Trace } from './trace.js';
import type { TraceError } from './traceError.js';

type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 16 }),
  }),
);

function mutate(input: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = input;
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length > 0) {
      b = b.slice();
      b[at] = (b[at] as number) ^ m.mask;
    } else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'insert')
      b = new Uint8Array([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else if (m.kind === 'delete')
      b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.length)]);
  }
  return b;
}

function checkResult(r: Result<Trace, TraceError>): void {
  if (r.ok) {
    expect(() => encodeVpt(r.value)).not.toThrow();
    return;
  }
  const line = formatTraceError(r.error);
  expect(line).not.toMatch(/\n/);
  expect(r.error.message.length).toBeGreaterThan(0);
}

/** checkResult, and what a damaged .vpt decodes to is the original or a prefix of it. */
function checkVptResult(r: Result<Trace, TraceError>, original: Trace): void {
  checkResult(r);
  if (!r.ok) return;
  expect(r.value.header).toEqual(original.header);
  expect(r.value.calls).toEqual(original.calls.slice(0, r.value.calls.length));
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
  return Promise.resolve();
}

async function checkStream(items: AsyncIterable<TraceItem>): Promise<void> {
  checkResult(await collectTrace(items));
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const mutated = fc.tuple(
  traceArbitrary({ callsMax: 12 }),
  fc.array(mutation, { minLength: 1, maxLength: 4 }),
);

describe('decoders on damaged input', () => {
  it('.vpt: errors, never exceptions', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async ([t, ms]) => {
        const b = mutate(encodeVpt(t), ms);
        checkVptResult(decodeVpt(b, 'm.vpt'), t);
        checkVptResult(await collectTrace(readVptCalls(once(b), 'm.vpt')), t);
      }),
      { numRuns: 300 },
    );
  });

  it('.vpt: one flipped byte, anywhere or in the header frame, is always detected', async () => {
    const flip = fc.record({
      t: traceArbitrary({ callsMax: 12 }),
      inHeaderFrame: fc.boolean(),
      at: fc.nat(),
      mask: fc.integer({ min: 1, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(flip, async ({ t, inHeaderFrame, at, mask }) => {
        const b = encodeVpt(t);
        // The header frame: its 8-byte frame header and its payload, after the 6-byte prelude.
        const headerFrameBytes = 8 + new DataView(b.buffer, b.byteOffset).getUint32(6, true);
        const i = inHeaderFrame ? 6 + (at % headerFrameBytes) : at % b.length;
        b[i] = (b[i] as number) ^ mask;
        const whole = decodeVpt(b, 'm.vpt');
        expect(whole.ok).toBe(false);
        checkResult(whole);
        const streamed = await collectTrace(readVptCalls(once(b), 'm.vpt'));
        expect(streamed.ok).toBe(false);
        checkResult(streamed);
      }),
      { numRuns: 300 },
    );
  });

  it('JSONL: errors, never exceptions', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async ([t, ms]) => {
        const b = mutate(bytes(formatJsonl(t)), ms);
        checkResult(parseJsonl(text(b), 'm.jsonl'));
        await checkStream(readJsonlCalls(once(b), 'm.jsonl'));
      }),
      { numRuns: 300 },
    );
  });

  it('text: errors, never exceptions', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async ([t, ms]) => {
        const b = mutate(bytes(printText(t)), ms);
        checkResult(parseText(text(b), 'm.txt'));
        await checkStream(readTextCalls(once(b), 'm.txt'));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes: errors, never exceptions', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const withMagic = new Uint8Array([0x56, 0x50, 0x44, 0x54, 1, 0, ...b]);
        checkResult(decodeVpt(withMagic, 'r.vpt'));
        checkResult(parseJsonl(text(b), 'r.jsonl'));
        checkResult(parseText(text(b), 'r.txt'));
      }),
      { numRuns: 300 },
    );
  });
});
