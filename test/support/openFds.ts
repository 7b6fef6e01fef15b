// Test support: the file descriptors this process holds open on a file, to show that a path
// which opens it closes it on every way out (a FileHandle left to the GC is an fd leak in a
// long nightly, and Node's DEP0137 warning only says so much later, from nowhere).
import { existsSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

const PROC_FDS = '/proc/self/fd';

/**
 * How many of this process's file descriptors are open on `path`. Without /proc (macOS), every
 * descriptor the process holds (/dev/fd) is counted: compare a count before with one after.
 */
export function fdsOn(path: string): number {
  if (!existsSync(PROC_FDS)) return readdirSync('/dev/fd').length;
  const real = realpathSync(path);
  let n = 0;
  for (const fd of readdirSync(PROC_FDS)) {
    let target;
    try {
      target = readlinkSync(join(PROC_FDS, fd));
    } catch {
      continue; // closed since the listing (readdir's own descriptor among them)
    }
    if (target === real) n++;
  }
  return n;
}
