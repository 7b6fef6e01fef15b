// A gzip-compressed trace file (NAME.jsonl.gz, NAME.vpt.gz, NAME.txt.gz) as a stream of its
// decompressed bytes, through node:zlib in bounded memory. The input is untrusted: a cap on
// the decompressed bytes refuses a gzip bomb as it inflates, and a corrupt or cut-short stream
// ends the chunks with damage naming the compressed byte where zlib failed (the trace reader
// keeps everything before it, as for a truncated trace). Bytes after a whole gzip stream that
// are not gzip (trailing garbage) are damage too: every byte before them is kept.
import { once } from 'node:events';
import type { ReadStream } from 'node:fs';
import { constants, createGunzip, type Gunzip } from 'node:zlib';
import { CHUNK_BYTES, ioMessage, openRegular, openRegularOr, type IoStatus } from './fileChunks.js';

/** The first bytes of every gzip stream (RFC 1952). */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Decompressed output handed on at a time: the decoders' unit of work, bytes. */
const OUT_CHUNK_BYTES = 256 * 1024;
/**
 * Compressed bytes searched after zlib's last good step to place a failure exactly (past them:
 * zlib's estimate). A step inflates at most OUT_CHUNK_BYTES, from about as many compressed
 * bytes at worst (stored blocks), so the failing byte is within them.
 */
const pinpointBytesMax = 320 * 1024;

export interface GunzipOptions {
  /** Decompressed bytes allowed (the limit an uncompressed file of that size would meet). */
  readonly bytesMax?: number;
  /** What the limit is called in the refusal ("too large to read whole"). */
  readonly limitNote?: string;
  /** Hears the compressed bytes consumed so far, after each chunk (progress through the file). */
  readonly onBytes?: (compressedBytes: number) => void;
}

/**
 * The decompressed bytes of the gzip file at `path`, in fresh (never reused) chunks. A read
 * failure sets status.error; a refusal (too large) or damage (corrupt, cut short) sets
 * status.stop; either way the chunks end there.
 */
export async function* gunzipChunks(
  path: string,
  status: IoStatus,
  o: GunzipOptions = {},
): AsyncGenerator<Uint8Array> {
  const fh = await openRegularOr(path, status);
  if (fh === undefined) return;
  // The stream owns the handle from here: it closes it when it ends or is destroyed.
  const src = fh.createReadStream({ highWaterMark: CHUNK_BYTES });
  const gz = createGunzip({ chunkSize: OUT_CHUNK_BYTES });
  let readError: unknown;
  src.on('error', (e) => {
    readError = e;
    gz.destroy(e);
  });
  src.pipe(gz);
  let out = 0;
  let failure: Failure | undefined;
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (o.bytesMax !== undefined && out > o.bytesMax) {
        status.stop = { message: tooLarge(o.bytesMax, o.limitNote) };
        return;
      }
      o.onBytes?.(gz.bytesWritten);
      // zlib hands out slices of a buffer it never writes again: fresh, as the decoders need.
      yield chunk;
    }
  } catch (e) {
    if (readError !== undefined) status.error = ioMessage(readError);
    else failure = await gzipFailure(path, e, gz);
  } finally {
    const closing = closeStream(src); // destroys it now, before gz: nothing more is piped
    gz.destroy();
    await closing;
  }
  if (failure === undefined) return;
  let message = failure.message;
  if (failure.at !== undefined) {
    // zlib drops the output of the step that failed (up to a chunk, or a whole small file):
    // inflated again up to the failing byte, the bytes after those handed on already follow.
    const io = { out };
    for await (const chunk of inflatedBefore(path, failure.at, io)) {
      if (o.bytesMax !== undefined && io.out > o.bytesMax) {
        status.stop = { message: tooLarge(o.bytesMax, o.limitNote) };
        return;
      }
      yield chunk;
    }
    // zlib reads a gzip header only at a stream's start, and a next one only after a whole
    // stream: a header failure after output is what follows a whole stream.
    if (HEADER_FAILURES.has(failure.what) && io.out > 0)
      message = `gzip: trailing garbage after the gzip data, failing at compressed byte ${failure.at} (${failure.what})`;
  }
  status.stop = { message, damaged: true };
}

/** Where and why zlib failed: the one-line damage, and the compressed byte if it is known. */
interface Failure {
  readonly message: string;
  /** The compressed byte it failed at (undefined: cut short, or not placed). */
  readonly at?: number;
  /** zlib's words. */
  readonly what: string;
}

/**
 * zlib's words for a bad gzip header. Not gzip after one or more whole gzip streams (gzip(1):
 * "trailing garbage ignored") fails so: every call is there, but what followed is unknown (a
 * second stream, damaged?), so it is damage, reported as trailing garbage.
 */
const HEADER_FAILURES: ReadonlySet<string> = new Set([
  'incorrect header check',
  'unknown compression method',
  'unknown header flags set',
  'header crc mismatch',
]);

/**
 * The decompressed bytes of the file's first `at` compressed bytes past the first `io.out`
 * (those handed on already), counted into `io.out`. They inflate without failing before `at`
 * (zlib failed first there); a stream cut there, or a read failure, ends them.
 */
async function* inflatedBefore(
  path: string,
  at: number,
  io: { out: number },
): AsyncGenerator<Uint8Array> {
  if (at === 0) return;
  let fh;
  try {
    fh = await openRegular(path);
  } catch {
    return; // the file could not be opened again: what was recovered stands
  }
  // The stream owns the handle from here, as in gunzipChunks.
  const src = fh.createReadStream({ start: 0, end: at - 1, highWaterMark: CHUNK_BYTES });
  const gz = createGunzip({ chunkSize: OUT_CHUNK_BYTES, finishFlush: constants.Z_SYNC_FLUSH });
  src.on('error', (e) => gz.destroy(e));
  src.pipe(gz);
  let skip = io.out;
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      const fresh = skip >= chunk.length ? undefined : chunk.subarray(skip);
      skip = Math.max(0, skip - chunk.length);
      if (fresh === undefined) continue;
      io.out += fresh.length;
      yield fresh;
    }
  } catch {
    // the file could not be read again: what was recovered stands
  } finally {
    const closing = closeStream(src); // destroys it now, before gz: nothing more is piped
    gz.destroy();
    await closing;
  }
}

/**
 * Destroys a read stream and waits until it has closed its file: destroy() alone closes it a
 * moment later, so a reader stopped early (bad input, a stop) would return with it still open.
 */
async function closeStream(src: ReadStream): Promise<void> {
  if (src.closed) return;
  const closed = once(src, 'close').catch(() => undefined); // an error: nothing more to wait for
  src.destroy();
  await closed;
}

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

function tooLarge(bytesMax: number, note = 'the most vpdma reads'): string {
  return `gzip: decompresses to more than ${mib(bytesMax)} (limit ${mib(bytesMax)}, ${note}); refused without reading the rest`;
}

/** The one-line damage: what zlib said, and the compressed byte it failed at. */
async function gzipFailure(path: string, e: unknown, gz: Gunzip): Promise<Failure> {
  const code = (e as { code?: unknown }).code;
  const what = e instanceof Error ? e.message : String(e);
  // A cut-short stream fails once every byte there is was consumed: the end is the place,
  // and zlib's last step, given no input, had no output to drop.
  if (code === 'Z_BUF_ERROR')
    return { message: `gzip: cut short at compressed byte ${gz.bytesWritten} (${what})`, what };
  const at = await pinpoint(path, gz.bytesWritten).catch(() => undefined);
  const place =
    at === undefined
      ? `at or after compressed byte ${gz.bytesWritten}`
      : `at compressed byte ${at}`;
  const message = `gzip: corrupt data ${place} (${what})`;
  return at === undefined ? { message, what } : { message, at, what };
}

/**
 * Where zlib fails, exactly: zlib reports the input it consumed only at the end of each step,
 * so the failing step began at `from`. Inflating again, the bytes before it in bulk (their
 * output dropped) and then a few at a time, the piece whose arrival makes zlib fail holds the
 * byte; once more, that piece a byte at a time names it.
 */
async function pinpoint(path: string, from: number): Promise<number | undefined> {
  const piece = await failingStep(path, from, pieceBytes, pinpointBytesMax);
  return piece === undefined ? undefined : failingStep(path, piece, 1, pieceBytes);
}

/** Bytes fed at a time in pinpoint's first search. */
const pieceBytes = 1024;

/**
 * The offset of the first `step`-byte piece after `from` (up to `span` bytes on) at whose
 * arrival zlib fails, the bytes before `from` fed in bulk; undefined if none does.
 */
async function failingStep(
  path: string,
  from: number,
  step: number,
  span: number,
): Promise<number | undefined> {
  const fh = await openRegular(path);
  const gz = createGunzip();
  gz.resume();
  // Once zlib fails, a write's callback may never come: the failure answers it instead.
  let fail: () => void = () => undefined;
  const failed = new Promise<false>((resolve) => {
    fail = () => resolve(false);
  });
  gz.on('error', () => fail());
  const feed = (b: Uint8Array): Promise<boolean> =>
    Promise.race([
      failed,
      new Promise<boolean>((resolve) => {
        gz.write(b, (e) => resolve(e === undefined || e === null));
      }),
    ]);
  try {
    for (let at = 0; at < from;) {
      const buf = new Uint8Array(Math.min(CHUNK_BYTES, from - at));
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead === 0 || !(await feed(buf.subarray(0, bytesRead)))) return undefined;
      at += bytesRead;
    }
    const tail = new Uint8Array(span);
    const { bytesRead } = await fh.read(tail, 0, tail.length, from);
    for (let i = 0; i < bytesRead; i += step)
      if (!(await feed(tail.subarray(i, Math.min(i + step, bytesRead))))) return from + i;
    return undefined;
  } finally {
    gz.destroy();
    await fh.close();
  }
}
