// File bytes as a chunk stream, with I/O failures captured as a message instead of thrown,
// so trace readers (which never throw) can report them like any other bad input.
import { open } from 'node:fs/promises';

export const CHUNK_BYTES = 1024 * 1024;

export interface IoStatus {
  /** A read failed (reported as `cannot read: ...`). */
  error?: string;
  /** The source ended the bytes early for this reason (a gzip stream's damage or refusal). */
  stop?: { readonly message: string; readonly damaged?: true };
}

export function ioMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Yields fresh (never reused) chunks of the file; on failure sets status.error and stops. */
export async function* fileChunks(path: string, status: IoStatus): AsyncGenerator<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    status.error = ioMessage(e);
    return;
  }
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
