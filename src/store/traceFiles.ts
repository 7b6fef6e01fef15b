// Trace files on disk: the codec comes from the extension (.jsonl, .vpt, .txt). Reads stream,
// writes are atomic. Every failure, I/O included, comes back as a TraceError value.
import { stat } from 'node:fs/promises';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { Trace, TraceHeader } from '../trace/trace.js';
import type { TraceError } from '../trace/traceError.js';
import type { StreamOptions, TraceBatchItem, TraceItem } from '../trace/items.js';
import type { SalvagedTrace } from '../trace/items.js';
import { collectTrace, collectTracePrefix, perCall } from '../trace/items.js';
import { parseJsonl, readJsonlBatches } from '../trace/jsonl.js';
import { decodeVpt, readVptFrames } from '../trace/vpt.js';
import { parseText, readTextCalls } from '../trace/text.js';
import { wholeFileBytesMax } from '../trace/traceLimits.js';
import { fileChunks, ioMessage, readRegularFile } from './fileChunks.js';
import type { IoStatus } from './fileChunks.js';
import { gunzipChunks } from './gzipChunks.js';
import { isDir } from './ensureDir.js';
import { withFormatHint } from './formatHint.js';
import { formatOf, isGzipPath, UNKNOWN_FORMAT, type TraceFormat } from './traceFormat.js';

export { formatOf, isGzipPath, type TraceFormat } from './traceFormat.js';
export {
  writeTraceAtomic,
  writeTraceItemsAtomic,
  type Reopenable,
  type TraceSource,
} from './traceWrite.js';

/** How a trace file is read: its name in messages, and a compressed one's bounds. */
export interface ReadOptions extends StreamOptions {
  /** The trace's name in messages (default: its path); `<stdin>` for a spooled stdin. */
  readonly label?: string;
  /** Decompressed bytes a .gz may hold (a whole read's limit; default: none, it streams). */
  readonly bytesMax?: number;
  /**
   * Once aborted, the read ends at the next chunk with `cannot read: interrupted`: a stretch
   * of input that yields no item (comments, a long line) must not outlast a Ctrl-C.
   */
  readonly signal?: AbortSignal;
}

/** Files up to this size are read in one piece and decoded synchronously, bytes. */
const wholeReadBytesMax = 64 * 1024 * 1024;

/** Why `path` names no trace (undefined: it names one); a directory given for a file says so. */
export async function traceNameError(path: string): Promise<TraceError | undefined> {
  return formatOf(path) === undefined ? unknownFormat(path) : undefined;
}

async function unknownFormat(path: string): Promise<TraceError> {
  const message = (await isDir(path))
    ? 'is a directory: give one trace file (.jsonl, .vpt or .txt, or one of them .gz)'
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
  o: ReadOptions = {},
): AsyncGenerator<TraceBatchItem> {
  const format = formatOf(path);
  const name = o.label ?? path;
  if (format === undefined) {
    yield { kind: 'error', error: { ...(await unknownFormat(path)), file: name } };
    return;
  }
  const io: IoStatus = {};
  const gz = isGzipPath(path);
  const source = gz
    ? gunzipChunks(path, io, {
        ...(o.bytesMax === undefined ? {} : { bytesMax: o.bytesMax, limitNote: WHOLE_NOTE }),
        ...(o.onBytes === undefined ? {} : { onBytes: o.onBytes }),
      })
    : counted(fileChunks(path, io), o.onBytes);
  const raw = o.signal === undefined ? source : untilAborted(source, o.signal, io);
  // The decoder's end does not close the source: a .gz is drained on bad input (below).
  const chunks: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({ next: () => raw.next() }),
  };
  const items = untilIoError(
    format === 'vpt'
      ? readVptFrames(chunks, name, o)
      : format === 'jsonl'
        ? readJsonlBatches(chunks, name, o)
        : singly(readTextCalls(chunks, name)),
    io,
    name,
    gz ? () => drain(raw, io) : undefined,
  );
  try {
    for await (const item of items)
      yield item.kind === 'error'
        ? { ...item, error: await withFormatHint(path, format, item.error) }
        : item;
  } finally {
    await raw.return(undefined);
  }
}

/** Bytes (decompressed) read to find a trace's header: a header is far smaller. */
export const headerBytesMax = 1024 * 1024;

/**
 * The header of the trace at `path` from its first `bytesMax` bytes (decompressed), or
 * undefined when it has none there or cannot be read. Reads no further, and never drains a
 * .gz, whatever follows: a gzip bomb or a file of blank lines costs `bytesMax`, not the file.
 */
export async function readTraceHeader(
  path: string,
  bytesMax = headerBytesMax,
): Promise<TraceHeader | undefined> {
  const format = formatOf(path);
  if (format === undefined) return undefined;
  const io: IoStatus = {};
  const raw = isGzipPath(path) ? gunzipChunks(path, io) : fileChunks(path, io);
  const prefix = upTo(raw, bytesMax);
  const items =
    format === 'vpt'
      ? readVptFrames(prefix, path, {})
      : format === 'jsonl'
        ? readJsonlBatches(prefix, path, {})
        : singly(readTextCalls(prefix, path));
  try {
    const first = await items.next();
    return first.done !== true && first.value.kind === 'header' ? first.value.header : undefined;
  } catch {
    return undefined;
  } finally {
    await items.return(undefined).catch(() => undefined);
    await raw.return(undefined).catch(() => undefined);
  }
}

/** The chunks of `source` up to `bytesMax` bytes in all; the source is left open (its caller closes it). */
async function* upTo(
  source: AsyncIterator<Uint8Array>,
  bytesMax: number,
): AsyncGenerator<Uint8Array> {
  let left = bytesMax;
  while (left > 0) {
    const next = await source.next();
    if (next.done === true) return;
    const chunk = next.value.length > left ? next.value.subarray(0, left) : next.value;
    left -= chunk.length;
    yield chunk;
  }
}

const WHOLE_NOTE = 'too large to read whole: convert it to .vpt, which streams';

/** Decompressed bytes a .gz is inflated past bad input to see whether the gzip data is sound. */
const drainBytesMax = 512 * 1024 * 1024;

/**
 * The rest of a .gz after its decoder found bad input: corrupt gzip data often inflates to
 * garbage a while before zlib's checksum says so, and then the damage is what to report.
 */
async function drain(raw: AsyncGenerator<Uint8Array>, io: IoStatus): Promise<void> {
  let n = 0;
  for (let r = await raw.next(); r.done !== true && io.stop === undefined; r = await raw.next()) {
    n += r.value.length;
    if (n > drainBytesMax) return;
  }
}

/** The chunks until `signal` aborts, which ends them as a read failure would. */
async function* untilAborted(
  chunks: AsyncGenerator<Uint8Array>,
  signal: AbortSignal,
  io: IoStatus,
): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    if (signal.aborted) {
      io.error = 'interrupted';
      return;
    }
    yield c;
  }
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
  name: string,
  drainOnError?: () => Promise<void>,
): AsyncGenerator<T | { kind: 'error'; error: TraceError }> {
  for await (const item of items) {
    // An I/O failure ends the chunks early; report it, not the truncation it looks like.
    if (io.error !== undefined || io.stop !== undefined) break;
    if (item.kind === 'error') {
      await drainOnError?.();
      // Damage found draining is the cause; the drain's own limit is not the decoder's.
      const after: IoStatus = io; // set by the drain
      if (after.error !== undefined || after.stop?.damaged === true) break;
    }
    yield item;
    if (item.kind === 'error') return;
  }
  if (io.error !== undefined) yield ioFailure(name, io.error);
  else if (io.stop !== undefined) yield { kind: 'error', error: { file: name, ...io.stop } };
}

function ioFailure(path: string, error: string): { kind: 'error'; error: TraceError } {
  return { kind: 'error', error: { file: path, message: `cannot read: ${error}` } };
}

/**
 * Reads a whole trace. JSONL and text files above wholeFileBytesMax are refused (a .gz by its
 * decompressed bytes, as they inflate). `label` names it in messages (default: `path`).
 */
export async function readTrace(path: string, label = path): Promise<Result<Trace, TraceError>> {
  const format = formatOf(path);
  if (format === undefined) return err({ ...(await unknownFormat(path)), file: label });
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return err({ file: label, message: 'cannot read: not a regular file' });
    size = s.size;
  } catch (e) {
    return err({ file: label, message: `cannot read: ${ioMessage(e)}` });
  }
  const limited = format === 'vpt' ? {} : { bytesMax: wholeFileBytesMax };
  if (isGzipPath(path)) {
    const held = await gunzipHeld(path, limited.bytesMax);
    if ('error' in held) return err({ file: label, ...held.error });
    if (held.bytes === undefined)
      return collectTrace(streamTraceBatches(path, { label, ...limited }));
    return decodeWhole(path, label, format, held.bytes);
  }
  if (format !== 'vpt' && size > wholeFileBytesMax) {
    const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;
    return err({
      file: label,
      message: `${mib(size)} is too large to read whole (limit ${mib(wholeFileBytesMax)}); convert it to .vpt, which streams`,
    });
  }
  if (size > wholeReadBytesMax) return collectTrace(streamTraceBatches(path, { label }));
  // Small files: one read and the synchronous decoders, which skip the per-call async steps.
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path);
  } catch (e) {
    return err({ file: label, message: `cannot read: ${ioMessage(e)}` });
  }
  return decodeWhole(path, label, format, bytes);
}

/** A trace's bytes, held whole, decoded by the synchronous decoders. */
async function decodeWhole(
  path: string,
  label: string,
  format: TraceFormat,
  bytes: Uint8Array,
): Promise<Result<Trace, TraceError>> {
  if (format === 'vpt') return hinted(path, format, decodeVpt(bytes, label));
  let text: string;
  try {
    // The BOM kept, as the line reader keeps it (the format's reader drops one).
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // The line reader names the line (and sees a cut inside the last line's character).
    return collectTrace(streamTraceBatches(path, { label }));
  }
  return hinted(
    path,
    format,
    format === 'jsonl' ? parseJsonl(text, label) : parseText(text, label),
  );
}

/**
 * A .gz's decompressed bytes if they are few enough to hold (wholeReadBytesMax); undefined
 * bytes when they are more, or the gzip data is damaged (the stream then tells the calls
 * before it); an error for a read that failed or more than `bytesMax`.
 */
async function gunzipHeld(
  path: string,
  bytesMax: number | undefined,
): Promise<{ bytes: Uint8Array | undefined } | { error: Omit<TraceError, 'file'> }> {
  const io: IoStatus = {};
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of gunzipChunks(path, io, {
    ...(bytesMax === undefined ? {} : { bytesMax, limitNote: WHOLE_NOTE }),
  })) {
    n += c.length;
    // Past what is held, only counted: the stream reads it again, bounded by bytesMax.
    if (n <= wholeReadBytesMax) parts.push(c);
    else parts.length = 0;
  }
  if (io.error !== undefined) return { error: { message: `cannot read: ${io.error}` } };
  if (io.stop !== undefined && io.stop.damaged !== true) return { error: io.stop };
  if (io.stop !== undefined || n > wholeReadBytesMax) return { bytes: undefined };
  const bytes = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes };
}

async function hinted(
  path: string,
  format: TraceFormat,
  r: Result<Trace, TraceError>,
): Promise<Result<Trace, TraceError>> {
  return r.ok ? r : err(await withFormatHint(path, format, r.error));
}

/**
 * readTrace for a trace that may be damaged (TraceError.damaged): its intact part and the
 * damage instead of an error. Any other problem is an error as readTrace gives it.
 */
export async function readTracePrefix(
  path: string,
  label = path,
): Promise<Result<SalvagedTrace, TraceError>> {
  const whole = await readTrace(path, label);
  if (whole.ok) return ok({ trace: whole.value });
  if (whole.error.damaged !== true) return whole;
  const limited = formatOf(path) === 'vpt' ? {} : { bytesMax: wholeFileBytesMax };
  return collectTracePrefix(
    streamTraceBatches(path, { label, ...(isGzipPath(path) ? limited : {}) }),
  );
}
