import { describe, expect, it } from 'vitest';
import {
  formatJsonl,
  parseJsonl,
  readJsonlBatches,
  readJsonlCalls,
  trailingBlankCharsMax,
} from './jsonl.js';
import { collectTrace, collectTracePrefix } from './items.js';
import type { TraceBatchItem, TraceItem } from './items.js';
import { accepted, verdict } from '../../test/support/testResult.js';
import { formatTraceError, type TraceError } from './traceError.js';
import type { Trace } from './trace.js';

const HEADER =
  '{"format":"vpdma-trace","version":1,"profile":"docs","device":{},"meta":{"note":"é"}}';
const MAP =
  '{"fn":"VideoPortMapDmaMemory","args":{"hwDeviceExtension":"0xffffe00000001000","pVrp":"0x0",' +
  '"boardAddress":"0xe0000000","length":4096,"inIoSpace":0,"mappedUserEvent":"0x0",' +
  '"displayDriverEvent":"0x0","virtualAddress":"0x0"},"ret":"0x0","out":{"length":4096}}';
const FREE = '{"fn":"VideoPortFreePool","args":{"hwDeviceExtension":"0x1","ptr":"0x2"}}';

const parsed = (text: string): Trace => accepted(parseJsonl(text, 'a.jsonl'));
const error = (text: string): string => verdict(parseJsonl(text, 'a.jsonl'));
async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  return Promise.resolve();
}
async function items(text: string, size: number): Promise<TraceItem[]> {
  const out: TraceItem[] = [];
  for await (const item of readJsonlCalls(chunked(text, size), 'a.jsonl')) out.push(item);
  return out;
}

describe('parseJsonl', () => {
  it('reads a header and calls, with or without a final newline', () => {
    const t = parsed(`${HEADER}\n${MAP}\n${FREE}\n`);
    expect(t.calls.map((c) => c.fn)).toEqual(['VideoPortMapDmaMemory', 'VideoPortFreePool']);
    expect(t.calls[0]?.ret).toBe(0n);
    expect(t.header.meta).toEqual({ note: 'é' });
    expect(parsed(`${HEADER}\n${MAP}`).calls).toEqual([t.calls[0]]);
    expect(parsed(`${HEADER}\n`).calls).toEqual([]);
  });

  it('names the line of bad JSON, a bad header or a bad call', () => {
    expect(error(`${HEADER}\n${MAP}\n{"fn":\n`)).toMatch(/^a.jsonl:3: invalid JSON: /);
    expect(error(`${MAP}\n`)).toBe('a.jsonl:1: format: expected "vpdma-trace", got nothing');
    expect(error(`${HEADER.replace('"version":1', '"version":3')}\n`)).toBe(
      'a.jsonl:1: version: unsupported version 3 (this vpdma reads version 1)',
    );
    expect(error(`${HEADER}\n${FREE.replace('"0x2"', '-2')}\n`)).toBe(
      'a.jsonl:2: args.ptr: expected a pointer ("0x..." of at most 16 hex digits), got -2',
    );
    // The same words as the stream's for an empty file (see 'rejects ... an empty stream').
    expect(error('')).toBe('a.jsonl: empty file: no header');
    expect(error(`\n${HEADER}\n`)).toBe('a.jsonl:1: line 1 is blank, but it must be the header');
    expect(error(`${HEADER}\n${FREE}\n${HEADER}\n${FREE}\n`)).toBe(
      'a.jsonl:3: a second header: two captures concatenated? split them (a trace has one header, before its calls)',
    );
  });

  it('accepts CRLF line ends and a UTF-8 byte-order mark', () => {
    expect(parsed(`\uFEFF${HEADER}\r\n${FREE}\r\n`).calls).toHaveLength(1);
    expect(error(`\uFEFF\uFEFF${HEADER}\n`)).toBe(
      'a.jsonl:1: a byte-order mark where JSON belongs (one is allowed, at the very start)',
    );
  });

  it('allows empty lines only at the very end', () => {
    expect(parsed(`${HEADER}\n${FREE}\n\n\n`).calls).toHaveLength(1);
    expect(error(`${HEADER}\n\n${FREE}\n`)).toBe(
      'a.jsonl:2: empty line: a .jsonl trace has one JSON object on every line, blank lines only at its end (remove it; a .txt trace may have blank lines anywhere)',
    );
  });

  it('formats what it parses, byte for byte in the canonical spelling', () => {
    const text = `${HEADER}\n${MAP}\n${FREE}\n`;
    expect(formatJsonl(parsed(text))).toBe(text);
  });
});

describe('readJsonlCalls', () => {
  const text = `${HEADER}\n${MAP}\n${FREE}\n`;

  it('streams the same trace as parseJsonl at any chunk size (UTF-8 split across chunks)', async () => {
    for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
      const r = await collectTrace(readJsonlCalls(chunked(text, size), 'a.jsonl'));
      expect(r).toEqual(parseJsonl(text, 'a.jsonl'));
    }
  });

  it('yields everything before a bad line, then the error', async () => {
    const got = await items(`${HEADER}\n${FREE}\n{oops}\n${FREE}\n`, 5);
    expect(got.map((i) => i.kind)).toEqual(['header', 'call', 'error']);
    const last = got[2];
    expect(last?.kind === 'error' && formatTraceError(last.error)).toMatch(
      /^a.jsonl:3: invalid JSON/,
    );
  });

  it('reports a line longer than lineBytesMax as an error instead of buffering it', async () => {
    const huge = `${HEADER}\n{"fn":"@write","args":{"va":"0x1","data":"${'00'.repeat(2.5 * 1024 * 1024)}"}}\n`;
    const got = await items(huge, 1 << 16);
    expect(got.map((i) => i.kind)).toEqual(['header', 'error']);
    const last = got[1];
    expect(last?.kind === 'error' && formatTraceError(last.error)).toBe(
      'a.jsonl:2: line longer than 4194304 bytes; split the @write or @read into events of at most 1048576 bytes each',
    );
  });

  it('refuses more than trailingBlankCharsMax of blank lines at the end, without reading on', async () => {
    const blank = `${' '.repeat((1 << 16) - 1)}\n`;
    let read = 0;
    async function* tail(lines: number): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(`${HEADER}\n${FREE}\n`);
      const bytes = new TextEncoder().encode(blank);
      for (let i = 0; i < lines; i++, read++) yield bytes;
      return Promise.resolve();
    }
    const at = trailingBlankCharsMax / (1 << 16);
    const fits = await collectTrace(readJsonlCalls(tail(at), 'a.jsonl'));
    expect(fits.ok && fits.value.calls).toHaveLength(1);
    read = 0;
    const got: TraceItem[] = [];
    for await (const item of readJsonlCalls(tail(10 * at), 'a.jsonl')) got.push(item);
    const last = got[got.length - 1];
    expect(last?.kind === 'error' && formatTraceError(last.error)).toBe(
      `a.jsonl:${at + 3}: more than 4194304 characters of blank lines from line 3 on; refused without reading the rest`,
    );
    expect(read).toBeLessThanOrEqual(at + 2);
  });

  it('rejects invalid UTF-8 and an empty stream', async () => {
    async function* bad(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(`${HEADER}\n`);
      yield new Uint8Array([0x7b, 0xff, 0x7d, 0x0a]);
      return Promise.resolve();
    }
    const got: TraceItem[] = [];
    for await (const i of readJsonlCalls(bad(), 'a.jsonl')) got.push(i);
    expect(got[1]?.kind === 'error' && formatTraceError(got[1].error)).toBe(
      'a.jsonl:2: invalid UTF-8',
    );
    const empty = await items('', 4);
    expect(empty.map((i) => i.kind === 'error' && formatTraceError(i.error))).toEqual([
      'a.jsonl: empty file: no header',
    ]);
  });
});

describe('readJsonlBatches', () => {
  const lines = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? MAP : FREE));
  const text = `${HEADER}\n${lines.join('\n')}\n`;
  async function batches(input: string, size: number): Promise<TraceBatchItem[]> {
    const out: TraceBatchItem[] = [];
    for await (const item of readJsonlBatches(chunked(input, size), 'a.jsonl')) out.push(item);
    return out;
  }

  it('holds the calls of each chunk in one batch, the same calls as parseJsonl', async () => {
    for (const size of [1, 7, 1000, 1 << 16]) {
      const got = await batches(text, size);
      expect(await collectTrace(got)).toEqual(parseJsonl(text, 'a.jsonl'));
      const sizes = got.flatMap((i) => (i.kind === 'calls' ? [i.calls.length] : []));
      // A chunk of 64 KiB completes every line here: one batch. A byte at a time: one each.
      if (size === 1 << 16) expect(sizes).toEqual([200]);
      if (size === 1) expect(sizes.every((n) => n === 1)).toBe(true);
    }
  });

  it('holds to callsMax unless told otherwise (a reader that keeps no calls)', async () => {
    const three = `${HEADER}\n${FREE}\n${FREE}\n${FREE}\n`;
    const kinds = async (traceCallsMax?: number): Promise<string[]> => {
      const out: string[] = [];
      const o = traceCallsMax === undefined ? {} : { traceCallsMax };
      for await (const i of readJsonlBatches(chunked(three, 1 << 16), 'a.jsonl', o))
        out.push(i.kind === 'error' ? formatTraceError(i.error) : i.kind);
      return out;
    };
    expect(await kinds(2)).toEqual(['header', 'calls', 'a.jsonl:4: more than 2 calls']);
    expect(await kinds()).toEqual(['header', 'calls']);
    expect(await kinds(Number.POSITIVE_INFINITY)).toEqual(['header', 'calls']);
  });

  it('yields the calls before a bad line in the same chunk, then the error', async () => {
    const bad = `${HEADER}\n${FREE}\n${FREE}\n{oops}\n${FREE}\n`;
    const got = await batches(bad, 1 << 16);
    expect(got.map((i) => (i.kind === 'calls' ? i.calls.length : i.kind))).toEqual([
      'header',
      2,
      'error',
    ]);
    const last = got[2];
    expect(last?.kind === 'error' && formatTraceError(last.error)).toMatch(
      /^a.jsonl:4: invalid JSON/,
    );
  });
});

describe('a JSONL capture cut off mid-line (damage, readable up to it)', () => {
  const cut = `${HEADER}\n${MAP}\n${FREE.slice(0, 20)}`;
  async function streamed(bytes: Uint8Array, size: number): Promise<TraceBatchItem[]> {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      return Promise.resolve();
    }
    const out: TraceBatchItem[] = [];
    for await (const item of readJsonlBatches(chunks(), 'a.jsonl')) out.push(item);
    return out;
  }
  const errorOf = (got: readonly TraceBatchItem[]): TraceError | undefined => {
    const last = got.at(-1);
    return last?.kind === 'error' ? last.error : undefined;
  };

  it('marks an unparsable last line without its newline as damage, whole or streamed', async () => {
    const whole = parseJsonl(cut, 'a.jsonl');
    expect(whole.ok ? undefined : whole.error).toMatchObject({ line: 3, damaged: true });
    expect(error(cut)).toMatch(
      /^a\.jsonl:3: truncated: the last line stops before its newline \(invalid JSON: /,
    );
    for (const size of [1, 7, 1 << 16]) {
      const got = await streamed(new TextEncoder().encode(cut), size);
      expect(errorOf(got)).toEqual(whole.ok ? undefined : whole.error);
      const salvaged = await collectTracePrefix(got);
      expect(salvaged.ok && salvaged.value.trace.calls).toEqual(
        parsed(`${HEADER}\n${MAP}\n`).calls,
      );
    }
  });

  it('marks a cut inside the last line’s multi-byte character as damage too', async () => {
    const bytes = new TextEncoder().encode(`${HEADER}\n${MAP}\n{"fn":"é`);
    const got = await streamed(bytes.subarray(0, bytes.length - 1), 3);
    expect(errorOf(got)).toMatchObject({ line: 3, damaged: true });
  });

  it('marks a line of zeros longer than lineBytesMax as damage, any other as bad input, reading no further', async () => {
    const tail = '\u0000'.repeat(5 << 20); // a crashed machine's file, padded with zeros
    const cutLong = await streamed(new TextEncoder().encode(`${HEADER}\n${MAP}\n${tail}`), 1 << 16);
    expect(errorOf(cutLong)).toMatchObject({ line: 3, damaged: true });
    expect(formatTraceError(errorOf(cutLong) ?? { message: '' })).toBe(
      'a.jsonl:3: truncated: the last line stops before its newline (line longer than 4194304 bytes; split the @write or @read into events of at most 1048576 bytes each)',
    );
    expect((await collectTracePrefix(cutLong)).ok).toBe(true);
    const long = 'x'.repeat(5 << 20);
    const whole = await streamed(new TextEncoder().encode(`${HEADER}\n${long}`), 1 << 16);
    expect(errorOf(whole)).toEqual({
      file: 'a.jsonl',
      line: 2,
      message:
        'line longer than 4194304 bytes; split the @write or @read into events of at most 1048576 bytes each',
    });
  });

  it('is not damage when a line ends in its newline, when the header is cut, or when the JSON is whole', () => {
    const notDamage = (text: string): TraceError | undefined => {
      const r = parseJsonl(text, 'a.jsonl');
      expect(r.ok).toBe(false);
      return r.ok ? undefined : r.error;
    };
    expect(notDamage(`${HEADER}\n${FREE.slice(0, 20)}\n`)?.damaged).toBeUndefined();
    expect(notDamage(`${HEADER}\n{oops}\n${FREE}\n`)?.damaged).toBeUndefined();
    expect(notDamage(HEADER.slice(0, 30))?.damaged).toBeUndefined();
    // A whole last line that is not a valid call is a wrong trace, not a cut one.
    expect(notDamage(`${HEADER}\n${FREE.replace('"0x2"', '-2')}`)?.damaged).toBeUndefined();
  });
});
