// `-` as a trace: standard input, spooled to a temporary file. The pool's workers (and show's
// and convert's two passes) read a file, so stdin is written out once, bounded, named for the
// format its first bytes show, and removed afterwards: at the end, on an error, and on a
// signal or process.exit (a second Ctrl-C).
import { rmSync, writeSync } from 'node:fs';
import { mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatByContent } from '../store/formatHint.js';
import { GZIP_MAGIC, gunzipChunks } from '../store/gzipChunks.js';
import { openRegular, type IoStatus } from '../store/fileChunks.js';
import { sizeText } from '../core/sizeText.js';
import { UserError } from './context.js';
import { EXIT } from './exitCodes.js';

/** The trace path that means standard input. */
export const STDIN_TRACE = '-';
/** How standard input is named in messages and reports. */
export const STDIN_LABEL = '<stdin>';
/** Bytes of standard input spooled (as they come, compressed or not): 4 GiB. */
export const stdinBytesMax = 4 * 1024 * 1024 * 1024;

export interface SpooledTrace {
  /** The temporary file holding what came on stdin, named FILE.jsonl, FILE.vpt.gz, ... */
  readonly path: string;
  readonly label: string;
  /** Removes the file (again is harmless). */
  dispose(): Promise<void>;
}

/**
 * Standard input written to a temporary file, at most `bytesMax` bytes (more is refused,
 * and nothing is left behind). `input` is the stream to read (process.stdin).
 */
export async function spoolStdin(
  input: AsyncIterable<Uint8Array | string> = process.stdin,
  bytesMax = stdinBytesMax,
): Promise<SpooledTrace> {
  if (input === process.stdin && process.stdin.isTTY)
    throw new UserError(
      `${STDIN_TRACE} reads a trace from standard input, which is a terminal: pipe one in (vpdma ... - < trace.jsonl.gz)`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'vpdma-stdin-'));
  const removeNow = (): void => rmSync(dir, { recursive: true, force: true });
  // Nothing has begun, so nothing is there to finish: the spool goes, and the process, at once.
  const onSignal = (name: NodeJS.Signals): void => {
    removeNow();
    say(
      `vpdma: ${name} while reading the trace on standard input: stopped before anything was done with it; nothing written\n`,
    );
    process.exit(EXIT.interrupted);
  };
  process.on('exit', removeNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const dispose = async (): Promise<void> => {
    process.off('exit', removeNow);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const raw = join(dir, 'stdin');
    const fh = await open(raw, 'wx');
    let n = 0;
    try {
      for await (const chunk of input) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        n += b.length;
        if (n > bytesMax)
          throw new UserError(
            `${STDIN_LABEL}: more than ${sizeText(bytesMax)} on standard input, the most vpdma spools; save it to a file and name that`,
          );
        await fh.write(b);
      }
    } finally {
      await fh.close();
    }
    const path = join(dir, `stdin.${await sniff(raw)}`);
    await rename(raw, path);
    return { path, label: STDIN_LABEL, dispose };
  } catch (e) {
    await dispose();
    throw e;
  } finally {
    // From here a signal goes to the command's own handling; its finally disposes.
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** One line to stderr, synchronously: the process exits right after. */
function say(text: string): void {
  try {
    writeSync(process.stderr.fd, text);
  } catch {
    // stderr gone: the exit code says it.
  }
}

/** The extension for the spooled bytes: gzip by its magic, then the format inside. */
async function sniff(path: string): Promise<string> {
  const head = await firstBytes(path);
  const gz = GZIP_MAGIC.every((b, i) => head[i] === b);
  const inner = gz ? await firstInflated(path) : head;
  // JSONL's header line starts with `{`; anything else is read as text, which names the line.
  const format = formatByContent(inner) ?? (gz || head.length === 0 ? 'jsonl' : 'txt');
  return gz ? `${format}.gz` : format;
}

async function firstBytes(path: string): Promise<Uint8Array> {
  const fh = await openRegular(path);
  try {
    const buf = new Uint8Array(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first decompressed bytes (none if the gzip data is bad: the read says so later). */
async function firstInflated(path: string): Promise<Uint8Array> {
  const io: IoStatus = {};
  for await (const chunk of gunzipChunks(path, io)) return chunk.subarray(0, 8);
  return new Uint8Array(0);
}
