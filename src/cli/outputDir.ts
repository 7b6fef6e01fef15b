// Output directories are checked before the work, not after an hour of fuzzing.
import { checkWritableDir } from '../store/ensureDir.js';
import { UserError } from './context.js';

/** `dir` (named by `flag` in the message) exists or is created, and takes a file. */
export async function checkOutputDir(flag: string, dir: string): Promise<void> {
  try {
    await checkWritableDir(dir);
  } catch (e) {
    throw new UserError(
      `${flag} ${dir}: not writable (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}
