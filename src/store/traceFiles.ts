// Trace files on disk: the codec comes from the extension (.jsonl, .vpt, .txt). Reads stream,
// writes are atomic. Every failure, I/O included, comes back as a TraceError value.
import { readFile, stat } from 'node:fs/promises';
import { assert } from '../core/assert.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { Trace } from '../trace/trace.js';
import type { TraceError } from '../trace/traceError.js';
import type { StreamOptions, TraceBatchItem, TraceItem } from '../trace/items.js';
import type { SalvagedTrace } from '../trace/items.js';
import { collectTrace, collectTracePrefix, perCall, traceItems } from '../trace/items.js';
import {
  encodeJsonlCall,
  encodeJsonlHeader,
  parseJsonl,
  readJsonlBatches,
} from '../trace/jsonl.js';
import { decodeVpt, readVptFrames, VptWriter } from '../trace/vpt.js';
import { parseText, printText, readTextCalls } from '../trace/text.js';
import { printTextStreamed } from '../trace/textStream.js';
import { wholeFileBytesMax } from '../trace/traceLimits.js';
import { fileChunks, ioMessage } from './fileChunks.js';
import type { IoStatus } from './fileChunks.js';
import { AtomicWriter } from './atomicFile.js';
import { isDir } from './ensureDir.js';
import { withFormatHint } from './formatHint.js';

export type TraceFormat = 'jsonl' | 'vpt' | 'txt';

export function formatOf(path: string): TraceFormat | undefined {
  const m = /\.(jsonl|vpt|txt)$/i.exec(path);
  return m === null ? undefined : (m[1]?.toLowerCase() as TraceFormat);
}

/** Files up to this size are read in one piece and decoded synchronously, bytes. */
const wholeReadBytesMax = 64 * 1024 * 1024;

const UNKNOWN_FORMAT = 'unknown trace format: the name must end in .jsonl, .vpt or .txt';

/** Why `path` names no trace (undefined: it names one); a directory given for a file says so. */
export async function traceNameError(path: string): Promise<TraceError | undefined> {
  return formatOf(path) === undefined ? unknownFormat(path) : undefined;
}

async function unknownFormat(path: string): Promise<TraceError> {
  const message = (await isDir(path))
    ? 'is a directory: give one trace file (.jsonl, .vpt or .txt)'
    : UNKNOWN_FORMAT;
  return { file: path, message };
}

/** Streams a trace file: header, calls, then an error item if anything is wrong. */
export function streamTraceCalls(path: string): AsyncGenerator<TraceItem> {
  return perCall(streamTraceBatches(path));
}

/**
 * Streams a trace file in batches of calls (a .vpt frame, the lines of a JSONL chunk; a text
 * trace a call at a time): for consumers that work through calls synchronously. `traceCallsMax`
 * applies to .vpt and JSONL (a text trace, written by hand, keeps callsMax).
 */
export async function* streamTraceBatches(
  path: string,
  o: StreamOptions = {},
): AsyncGenerator<TraceBatchItem> {
  const format = formatOf(path);
  if (format === undefined) {
    yield { kind: 'error', error: await unknownFormat(path) };
    return;
  }
  const io: IoStatus = {};
  const chunks = counted(fileChunks(path, io), o.onBytes);
  const items = untilIoError(
    format === 'vpt'
      ? readVptFrames(chunks, path, o)
      : format === 'jsonl'
        ? readJsonlBatches(chunks, path, o)
        : singly(readTextCalls(chunks, path)),
    io,
    path,
  );
  for await (const item of items)
    yield item.kind === 'error'
      ? { ...item, error: await withFormatHint(path, format, item.error) }
      : item;
}

/** The chunks, telling `onBytes` the bytes read so far after each. */
async function* counted(
  chunks: AsyncGenerator<Uint8Array>,
  onBytes: ((bytesRead: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  if (onBytes === undefined) {
    yield* chunks;
    return;
  }
  let n = 0;
  for await (const c of chunks) {
    n += c.length;
    onBytes(n);
    yield c;
  }
}

async function* singly(items: AsyncIterable<TraceItem>): AsyncGenerator<TraceBatchItem> {
  for await (const item of items)
    yield item.kind === 'call' ? { kind: 'calls', calls: [item.call] } : item;
}

async function* untilIoError<T extends { readonly kind: string }>(
  items: AsyncIterable<T>,
  io: IoStatus,
  path: string,
): AsyncGenerator<T | { kind: 'error'; error: TraceError }> {
  for await (const item of items) {
    // An I/O failure ends the chunks early; report it, not the truncation it looks like.
    if (io.error !== undefined) break;
    yield item;
    if (item.kind === 'error') return;
  }
  if (io.error !== undefined) yield ioFailure(path, io.error);
}

function ioFailure(path: string, error: string): { kind: 'error'; error: TraceError } {
  return { kind: 'error', error: { file: path, message: `cannot read: ${error}` } };
}

/** Reads a whole trace. JSONL and text files above wholeFileBytesMax are refused. */
export async function readTrace(path: string): Promise<Result<Trace, TraceError>> {
  const format = formatOf(path);
  if (format === undefined) return err(await unknownFormat(path));
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return err({ file: path, message: 'cannot read: not a regular file' });
    size = s.size;
  } catch (e) {
    return err({ file: path, message: `cannot read: ${ioMessage(e)}` });
  }
  if (format !== 'vpt' && size > wholeFileBytesMax) {
    const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;
    return err({
      file: path,
      message: `${mib(size)} is too large to read whole (limit ${mib(wholeFileBytesMax)}); convert it to .vpt, which streams`,
    });
  }
  if (size > wholeReadBytesMax) return collectTrace(streamTraceBatches(path));
  // Small files: one read and the synchronous decoders, which skip the per-call async steps.
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return err({ file: path, message: `cannot read: ${ioMessage(e)}` });
  }
  if (format === 'vpt') return hinted(path, format, decodeVpt(bytes, path));
  let text: string;
  try {
    // The BOM kept, as the line reader keeps it (the format's reader drops one).
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // The line reader names the line (and sees a cut inside the last line's character).
    return collectTrace(streamTraceBatches(path));
  }
  return hinted(path, format, format === 'jsonl' ? parseJsonl(text, path) : parseText(text, path));
}

async function hinted(
  path: string,
  format: 'jsonl' | 'vpt' | 'txt',
  r: Result<Trace, TraceError>,
): Promise<Result<Trace, TraceError>> {
  return r.ok ? r : err(await withFormatHint(path, format, r.error));
}

/**
 * readTrace for a trace that may be damaged (TraceError.damaged): its intact part and the
 * damage instead of an error. Any other problem is an error as readTrace gives it.
 */
export async function readTracePrefix(path: string): Promise<Result<SalvagedTrace, TraceError>> {
  const whole = await readTrace(path);
  if (whole.ok) return ok({ trace: whole.value });
  if (whole.error.damaged !== true) return whole;
  return collectTracePrefix(streamTraceBatches(path));
}

/**
 * Writes a trace atomically in the format its name says. `text` is the .txt form to write
 * instead of printText's (an annotated repro, which must parse to `trace`); other formats
 * ignore it.
 */
export async function writeTraceAtomic(
  path: string,
  trace: Trace,
  text?: string,
): Promise<Result<{ calls: number }, TraceError>> {
  if (text !== undefined && formatOf(path) === 'txt')
    return writeAtomic(path, { text, calls: trace.calls.length });
  return writeTraceItemsAtomic(path, traceItems(trace));
}

type Items = AsyncIterable<TraceItem | TraceBatchItem> | Iterable<TraceItem | TraceBatchItem>;

/** A trace's text already printed (writeTraceAtomic's `text`). */
interface Printed {
  readonly text: string;
  readonly calls: number;
}

/** A trace that can be read again from its start (a file): `open` is called once per pass. */
export interface Reopenable {
  readonly file: string;
  readonly open: () => AsyncIterable<TraceBatchItem>;
}

/**
 * Where a write reads from: a stream of items, or a reopenable trace (then .txt streams in
 * two passes, in bounded memory, instead of collecting the trace).
 */
export type TraceSource = Items | Reopenable;

const isReopenable = (s: TraceSource): s is Reopenable => 'open' in s;

/**
 * Writes a stream of items atomically: .vpt and .jsonl in bounded memory; .txt in two passes
 * when the source can be reopened, else by collecting the trace first (names need the whole
 * trace). An error item aborts; the target is untouched.
 */
export async function writeTraceItemsAtomic(
  path: string,
  source: TraceSource,
): Promise<Result<{ calls: number }, TraceError>> {
  return writeAtomic(path, source);
}

async function writeAtomic(
  path: string,
  source: TraceSource | Printed,
): Promise<Result<{ calls: number }, TraceError>> {
  const format = formatOf(path);
  if (format === undefined) return err({ file: path, message: UNKNOWN_FORMAT });
  let w: AtomicWriter;
  try {
    w = await AtomicWriter.create(path);
  } catch (e) {
    return err({ file: path, message: `cannot write: ${ioMessage(e)}` });
  }
  try {
    const r =
      'text' in source
        ? await writePrinted(w, source)
        : format !== 'txt'
          ? await writeStreamed(w, isReopenable(source) ? source.open() : source, format)
          : isReopenable(source)
            ? await writeTextStreamed(w, source)
            : await writeText(w, source);
    if (!r.ok) {
      await w.abort();
      return r;
    }
    await w.commit();
    return r;
  } catch (e) {
    await w.abort();
    if (e instanceof Error && 'code' in e)
      return err({ file: path, message: `cannot write: ${ioMessage(e)}` });
    throw e;
  }
}

async function writeStreamed(
  w: AtomicWriter,
  items: Items,
  format: 'vpt' | 'jsonl',
): Promise<Result<{ calls: number }, TraceError>> {
  let vpt: VptWriter | undefined;
  let lines: string[] = [];
  let lineChars = 0;
  let calls = 0;
  let header = false;
  for await (const item of items) {
    if (item.kind === 'error') return err(item.error);
    if (item.kind === 'header') {
      assert(!header, 'a trace stream has one header');
      header = true;
      if (format === 'vpt') {
        vpt = new VptWriter(item.header);
        await w.write(vpt.start());
      } else lines.push(encodeJsonlHeader(item.header));
      continue;
    }
    assert(header, 'a trace stream starts with its header');
    for (const call of item.kind === 'call' ? [item.call] : item.calls) {
      calls++;
      if (vpt !== undefined) {
        const frame = vpt.push(call);
        if (frame !== undefined) await w.write(frame);
      } else {
        const line = encodeJsonlCall(call);
        lines.push(line);
        lineChars += line.length;
        // Bounded by size, not count: one line can hold a megabyte of hex.
        if (lineChars >= 1 << 20) {
          await w.write(`${lines.join('\n')}\n`);
          lines = [];
          lineChars = 0;
        }
      }
    }
  }
  if (!header) return err({ file: w.path, message: 'nothing to write: the input has no header' });
  const last = vpt?.finish();
  if (last !== undefined) await w.write(last);
  if (lines.length > 0) await w.write(`${lines.join('\n')}\n`);
  return ok({ calls });
}

async function writeTextStreamed(
  w: AtomicWriter,
  source: Reopenable,
): Promise<Result<{ calls: number }, TraceError>> {
  let calls = 0;
  let header = false;
  const chunks = printTextStreamed({
    ...source,
    onItem: (item) => {
      if (item.kind === 'calls') calls += item.calls.length;
      else if (item.kind === 'header') header = true;
    },
  });
  for await (const chunk of chunks) {
    if (chunk.kind === 'error') return err(chunk.error);
    await w.write(chunk.text);
  }
  if (!header) return err({ file: w.path, message: 'nothing to write: the input has no header' });
  return ok({ calls });
}

async function writePrinted(
  w: AtomicWriter,
  p: Printed,
): Promise<Result<{ calls: number }, TraceError>> {
  await w.write(p.text);
  return ok({ calls: p.calls });
}

async function writeText(
  w: AtomicWriter,
  items: Items,
): Promise<Result<{ calls: number }, TraceError>> {
  const trace = await collectTrace(items);
  if (!trace.ok) return trace;
  await w.write(printText(trace.value));
  return ok({ calls: trace.value.calls.length });
}
