// The line splitter stops at the line limit: bytes pulled from the source are counted, so a
// reader that read on to find the line's end (a gzip bomb's whole inflate) fails here.
import { describe, expect, it } from 'vitest';
import { lineBytesMax } from '../core/limits.js';
import { splitLines, type LineEvent } from './lines.js';
import { quietLineCharsMin, readTextCalls } from './textParse.js';

const chunkBytes = 1 << 20;

/** `head`, then `fill` bytes without end (up to 64 MiB), counting what was pulled. */
function source(head: string, fill: number, pulled: { bytes: number }): AsyncGenerator<Uint8Array> {
  return (async function* () {
    const first = new TextEncoder().encode(head);
    pulled.bytes += first.length;
    yield first;
    for (let i = 0; i < 64; i++) {
      pulled.bytes += chunkBytes;
      yield new Uint8Array(chunkBytes).fill(fill);
    }
    return Promise.resolve();
  })();
}

async function lastOf(events: AsyncIterable<LineEvent>): Promise<LineEvent | undefined> {
  let last: LineEvent | undefined;
  for await (const e of events) last = e;
  return last;
}

describe('splitLines past the line limit', () => {
  it('stops within a chunk of the limit: bad input for text, damage for zeros', async () => {
    const text = { bytes: 0 };
    expect(await lastOf(splitLines(source('ok\n', 0x78, text)))).toEqual({
      kind: 'error',
      line: 2,
      message: expect.stringMatching(/^line longer than 4194304 bytes/) as unknown,
    });
    expect(text.bytes).toBeLessThanOrEqual(lineBytesMax + 2 * chunkBytes);
    // A crashed machine's zero-filled tail: damage (the calls before it are kept), at once too.
    const zeros = { bytes: 0 };
    expect(await lastOf(splitLines(source('ok\n', 0, zeros)))).toMatchObject({
      kind: 'error',
      line: 2,
      unterminated: true,
    });
    expect(zeros.bytes).toBeLessThanOrEqual(lineBytesMax + 2 * chunkBytes);
  });
});

describe('a streamed .txt of comments', () => {
  it('is refused once its comment and blank text passes the bound, reading no further', async () => {
    const pulled = { bytes: 0 };
    // Lines of 1 KiB: the header's 31 characters and 1,024 of them pass 1 MiB at line 1,025.
    const lines = (async function* () {
      const head = new TextEncoder().encode('#! vpdma-trace v1 profile=docs\n');
      pulled.bytes += head.length;
      yield head;
      const chunk = new TextEncoder().encode(`${'#'.repeat(1023)}\n`.repeat(1024));
      for (let i = 0; i < 64; i++) {
        pulled.bytes += chunk.length;
        yield chunk;
      }
      return Promise.resolve();
    })();
    const items = [];
    for await (const item of readTextCalls(lines, 'c.txt', 1 << 20)) items.push(item);
    expect(items).toEqual([
      {
        kind: 'error',
        error: {
          file: 'c.txt',
          line: 1025,
          message: 'more than 1 MiB of comments and blank lines; refused without reading the rest',
        },
      },
    ]);
    expect(pulled.bytes).toBeLessThanOrEqual(3 << 20);
  });

  it('counts a short comment or blank line as quietLineCharsMin characters', async () => {
    const lines = (async function* () {
      yield new TextEncoder().encode('#! vpdma-trace v1 profile=docs\n');
      const chunk = new TextEncoder().encode('\n'.repeat(1 << 14));
      for (let i = 0; i < 64; i++) yield chunk;
      return Promise.resolve();
    })();
    const items = [];
    for await (const item of readTextCalls(lines, 'c.txt', 1 << 20)) items.push(item);
    // The header's directive counts as well: the line after 1 MiB / quietLineCharsMin passes it
    // (a newline counted as one character, it would be about a million lines later).
    const line = Math.floor((1 << 20) / quietLineCharsMin) + 1;
    expect(items.at(-1)).toEqual({
      kind: 'error',
      error: {
        file: 'c.txt',
        line,
        message: 'more than 1 MiB of comments and blank lines; refused without reading the rest',
      },
    });
  });
});
