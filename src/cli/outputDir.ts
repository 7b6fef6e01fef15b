// Output directories are checked before the work, not after an hour of fuzzing.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkWritableDir } from '../store/ensureDir.js';
import { UserError } from './context.js';

function notWritable(flag: string, path: string, e: unknown): UserError {
  return new UserError(
    `${flag} ${path}: not writable (${e instanceof Error ? e.message : String(e)})`,
  );
}

/** `dir` (named by `flag` in the message) exists or is created, and takes a file. */
export async function checkOutputDir(flag: string, dir: string): Promise<void> {
  await checkWritableDir(dir).catch((e: unknown) => {
    throw notWritable(flag, dir, e);
  });
}

/**
 * `file` can be written: an existing FIFO or device (`--json /dev/stdout`) is written into,
 * so it only needs to be writable; anything else goes through its directory.
 */
export async function checkOutputFile(flag: string, file: string): Promise<void> {
  const st = await stat(file).catch(() => undefined);
  if (st === undefined || st.isFile() || st.isDirectory())
    return checkOutputDir(flag, dirname(file));
  await access(file, constants.W_OK).catch((e: unknown) => {
    throw notWritable(flag, file, e);
  });
}
