// Whole-file atomic writes for reports and small artifacts.
import { dirname } from 'node:path';
import { AtomicWriter } from './atomicFile.js';
import { ensureDir } from './ensureDir.js';

export interface WriteOptions {
  /** Make the directory first (default true; false when the caller knows it exists). */
  readonly makeDir?: boolean;
  /** Survive a power failure, not only the process dying (fsync; default true). */
  readonly durable?: boolean;
  /** A new name in a directory of the caller's own: skip looking for a link or device there. */
  readonly fresh?: boolean;
}

export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  o: WriteOptions = {},
): Promise<void> {
  if (o.makeDir !== false) await ensureDir(dirname(path));
  const w = await AtomicWriter.create(path, o.fresh === true);
  try {
    await w.write(content);
    await w.commit(o.durable !== false);
  } catch (e) {
    await w.abort();
    throw e;
  }
}
