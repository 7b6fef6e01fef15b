// Splits a byte stream into lines without ever holding more than one line beyond the current
// chunk: a line longer than lineBytesMax is an error, not an out-of-memory.
import { bytesArgMax, lineBytesMax } from '../core/limits.js';

/** What to do about a byte string over bytesArgMax, which is all that makes a line that long. */
export const SPLIT_BYTES_HINT = `split the @write or @read into events of at most ${bytesArgMax} bytes each`;

/** The message for a line over `max` bytes, ending with what to do. */
export function lineTooLongMessage(max: number): string {
  return `line longer than ${max} bytes; ${SPLIT_BYTES_HINT}`;
}

export type LineEvent =
  | {
      readonly kind: 'line';
      readonly text: string;
      readonly line: number;
      /** The input ended in this line, before its "\n": a writer may have been cut off. */
      readonly unterminated?: true;
    }
  | {
      readonly kind: 'error';
      readonly line: number;
      readonly message: string;
      readonly unterminated?: true;
    };

const NL = 0x0a;

/** Yields each line (without its "\n"; a final line without "\n" counts too). */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  bytesMax = lineBytesMax,
): AsyncGenerator<LineEvent> {
  for await (const batch of splitLineBatches(chunks, bytesMax)) yield* batch;
}

/**
 * The same lines a chunk at a time: every line the chunk completes, in one array (an error,
 * if any, last). A consumer that works through them synchronously pays one await per chunk
 * instead of one per line.
 */
export async function* splitLineBatches(
  chunks: AsyncIterable<Uint8Array>,
  bytesMax = lineBytesMax,
): AsyncGenerator<readonly LineEvent[]> {
  // A BOM is kept: the format's reader drops one before the header, and a second is an error.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let line = 1;
  for await (const chunk of chunks) {
    const out: LineEvent[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NL); nl !== -1; nl = chunk.indexOf(NL, start)) {
      if (pendingBytes + nl - start > bytesMax) {
        out.push(tooLong(line, bytesMax));
        yield out;
        return;
      }
      const bytes = join(pending, pendingBytes, chunk.subarray(start, nl));
      pending = [];
      pendingBytes = 0;
      const text = decode(decoder, bytes);
      if (text === undefined) {
        out.push({ kind: 'error', line, message: 'invalid UTF-8' });
        yield out;
        return;
      }
      out.push({ kind: 'line', text, line });
      line++;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      // Past bytesMax, stop here rather than read on to the line's newline (a gzip bomb of
      // one line would cost its whole inflate in CPU). A line of NUL bytes alone is the
      // zero-filled tail a crashed machine leaves: damage, as a cut in the last line is;
      // any other is bad input.
      if (pendingBytes > bytesMax) {
        const zeros = pending.every(allZero) && allZero(chunk.subarray(start));
        out.push(
          zeros ? { ...tooLong(line, bytesMax), unterminated: true } : tooLong(line, bytesMax),
        );
        yield out;
        return;
      }
      // Copy: the producer may reuse its chunk buffer.
      pending.push(chunk.slice(start));
    }
    if (out.length > 0) yield out;
  }
  if (pendingBytes > 0) {
    const text = decode(decoder, join(pending, pendingBytes, new Uint8Array(0)));
    // A cut may fall inside a multi-byte character: unterminated either way.
    if (text === undefined)
      yield [{ kind: 'error', line, message: 'invalid UTF-8', unterminated: true }];
    else yield [{ kind: 'line', text, line, unterminated: true }];
  }
}

function tooLong(line: number, max: number): LineEvent {
  return { kind: 'error', line, message: lineTooLongMessage(max) };
}

function allZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

function join(parts: readonly Uint8Array[], bytes: number, last: Uint8Array): Uint8Array {
  if (parts.length === 0) return last;
  const out = new Uint8Array(bytes + last.length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(last, at);
  return out;
}

function decode(decoder: InstanceType<typeof TextDecoder>, bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
