// File bytes as a chunk stream, with I/O failures captured as a message instead of thrown,
// so trace readers (which never throw) can report them like any other bad input.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { jsonSyntaxMessage } from '../core/jsonSyntax.js';

export const CHUNK_BYTES = 1024 * 1024;

export interface IoStatus {
  /** A read failed (reported as `cannot read: ...`). */
  error?: string;
  /** The source ended the bytes early for this reason (a gzip stream's damage or refusal). */
  stop?: { readonly message: string; readonly damaged?: true };
}

/** The code openRegular's refusal carries (ioMessage says `not a regular file`). */
const NOT_REGULAR = 'VPDMA_NOT_REGULAR';

export function ioMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === NOT_REGULAR) return 'not a regular file';
  // JSON.parse's own message quotes the file's first bytes: never repeat it.
  if (e instanceof SyntaxError) return `invalid JSON: ${jsonSyntaxMessage(e)}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Opens a file to read only if it is a regular file: every trace and corpus file is opened
 * here. A symlink to /dev/zero never ends, and open() of a FIFO blocks a libuv thread until a
 * writer comes (no signal ends that), so the open never blocks (O_NONBLOCK) and the opened
 * file itself is checked (fstat), leaving no window for a swap between a stat and the open.
 * Throws an error ioMessage names (`not a regular file`, `is a directory`, ...).
 */
export async function openRegular(path: string): Promise<FileHandle> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = await fh.stat();
    if (!s.isFile())
      throw Object.assign(new Error(s.isDirectory() ? 'is a directory' : 'not a regular file'), {
        code: s.isDirectory() ? 'EISDIR' : NOT_REGULAR,
      });
  } catch (e) {
    await fh.close();
    throw e;
  }
  return fh;
}

/** A regular file's bytes, whole (openRegular's refusals thrown as it throws them). */
export async function readRegularFile(path: string): Promise<Buffer> {
  const fh = await openRegular(path);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** openRegular, its failure set as status.error (undefined then) rather than thrown. */
export async function openRegularOr(
  path: string,
  status: IoStatus,
): Promise<FileHandle | undefined> {
  try {
    return await openRegular(path);
  } catch (e) {
    status.error = ioMessage(e);
    return undefined;
  }
}

/** Yields fresh (never reused) chunks of the file; on failure sets status.error and stops. */
export async function* fileChunks(path: string, status: IoStatus): AsyncGenerator<Uint8Array> {
  const fh = await openRegularOr(path, status);
  if (fh === undefined) return;
  try {
    for (;;) {
      const buf = new Uint8Array(CHUNK_BYTES);
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield bytesRead === CHUNK_BYTES ? buf : buf.subarray(0, bytesRead);
    }
  } catch (e) {
    status.error = ioMessage(e);
  } finally {
    await fh.close();
  }
}
