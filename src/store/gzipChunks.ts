// A gzip-compressed trace file (NAME.jsonl.gz, NAME.vpt.gz, NAME.txt.gz) as a stream of its
// decompressed bytes, through node:zlib in bounded memory. The input is untrusted: a cap on
// the decompressed bytes refuses a gzip bomb as it inflates, and a corrupt or cut-short stream
// ends the chunks with damage naming the compressed byte where zlib failed (the trace reader
// keeps everything before it, as for a truncated trace).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { CHUNK_BYTES, ioMessage, type IoStatus } from './fileChunks.js';

/** The first bytes of every gzip stream (RFC 1952). */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Decompressed output handed on at a time: the decoders' unit of work, bytes. */
const OUT_CHUNK_BYTES = 256 * 1024;
/** Compressed bytes fed one at a time to place a failure exactly (past it: zlib's estimate). */
const pinpointBytesMax = 64 * 1024;

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
  const src = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gz = createGunzip({ chunkSize: OUT_CHUNK_BYTES });
  let readError: unknown;
  src.on('error', (e) => {
    readError = e;
    gz.destroy(e);
  });
  src.pipe(gz);
  let out = 0;
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
    else status.stop = { message: await gzipFailure(path, e, gz), damaged: true };
  } finally {
    src.destroy();
    gz.destroy();
  }
}

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

function tooLarge(bytesMax: number, note = 'the most vpdma reads'): string {
  return `gzip: decompresses to more than ${mib(bytesMax)} (limit ${mib(bytesMax)}, ${note}); refused without reading the rest`;
}

/** The one-line damage: what zlib said, and the compressed byte it failed at. */
async function gzipFailure(path: string, e: unknown, gz: Gunzip): Promise<string> {
  const code = (e as { code?: unknown }).code;
  const what = e instanceof Error ? e.message : String(e);
  // A cut-short stream fails once every byte there is was consumed: the end is the place.
  if (code === 'Z_BUF_ERROR')
    return `gzip: cut short at compressed byte ${gz.bytesWritten} (${what})`;
  const at = await pinpoint(path, gz.bytesWritten).catch(() => undefined);
  const place =
    at === undefined
      ? `at or after compressed byte ${gz.bytesWritten}`
      : `at compressed byte ${at}`;
  return `gzip: corrupt data ${place} (${what})`;
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
const pieceBytes = 256;

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
  const fh = await open(path, 'r');
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
