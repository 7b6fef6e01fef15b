// Directory creation for output paths. Not mkdir({recursive: true}): on Node 20 that never
// settles for a path under /proc (libuv retries ENOENT there forever), which turned a bad --out
// into a hung run. One level at a time, each failure comes back at once.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Whether `dir` is an existing directory (false if it cannot be looked at). */
export async function isDir(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** Creates `dir` and any missing parents; rejects with the system's error if it cannot. */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw new Error(`${dir} exists and is not a directory`);
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
    await ensureDir(parent);
    try {
      await mkdir(dir); // once more, now that the parent exists: a second ENOENT is final
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/** Creates `dir` and writes and removes a file in it: a bad output path fails before the work. */
export async function checkWritableDir(dir: string): Promise<void> {
  await ensureDir(dir);
  const probe = join(dir, `.vpdma-probe-${process.pid}`);
  await writeFile(probe, '');
  await rm(probe);
}
