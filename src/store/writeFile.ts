// Whole-file atomic writes for reports and small artifacts.
import { dirname } from 'node:path';
import { AtomicWriter } from './atomicFile.js';
import { ensureDir } from './ensureDir.js';

export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await ensureDir(dirname(path));
  const w = await AtomicWriter.create(path);
  try {
    await w.write(content);
    await w.commit();
  } catch (e) {
    await w.abort();
    throw e;
  }
}
