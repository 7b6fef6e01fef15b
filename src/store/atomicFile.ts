// Atomic file replacement: write a temporary file in the target's directory, fsync it, rename
// it over the target, fsync the directory. Readers see the old file or the new one, never a
// partial one, even if the process dies mid-write. What the user named is honoured: a symlink
// is written through (its target replaced, the link kept), and a FIFO or a device
// (`--json /dev/stdout`) is written to directly, since renaming over it would replace the
// device node itself.
import { lstat, open, readdir, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Where to write for `path`, and whether to write there directly (not a regular file). */
async function destination(path: string): Promise<{ path: string; direct: boolean }> {
  const st = await stat(path).catch(() => undefined);
  if (st === undefined) {
    // Missing, or a symlink to a file not yet there: create what the link names.
    const l = await lstat(path).catch(() => undefined);
    if (l?.isSymbolicLink() !== true) return { path, direct: false };
    return { path: resolve(dirname(path), await readlink(path)), direct: false };
  }
  if (!st.isFile()) return { path, direct: true }; // FIFO, device (a directory fails to open)
  return (await lstat(path)).isSymbolicLink()
    ? { path: await realpath(path), direct: false }
    : { path, direct: false };
}

let counter = 0;

/** Buffers small writes into large ones. */
export class AtomicWriter {
  private parts: Uint8Array[] = [];
  private buffered = 0;
  private bytes = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly tempPath: string,
    readonly path: string,
    /** Writing straight into a FIFO or device: nothing to rename, nothing to undo. */
    private readonly direct = false,
  ) {}

  /**
   * `fresh`: the caller knows `path` is a new name in a directory of its own (corpus entries),
   * so what is there need not be looked at.
   */
  static async create(path: string, fresh = false): Promise<AtomicWriter> {
    const to = fresh ? { path, direct: false } : await destination(path);
    if (to.direct) return new AtomicWriter(await open(to.path, 'w'), to.path, to.path, true);
    // pid + counter: unique within this machine's live processes, and deterministic. The pid
    // also tells whose it is: removeStaleTemps() removes those of processes no longer running.
    const temp = join(dirname(to.path), `.${basename(to.path)}.${process.pid}.${counter++}.tmp`);
    return new AtomicWriter(await open(temp, 'wx'), temp, to.path);
  }

  get written(): number {
    return this.bytes + this.buffered;
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.parts.push(b);
    this.buffered += b.length;
    if (this.buffered >= 1024 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const data =
      this.parts.length === 1 ? (this.parts[0] as Uint8Array) : Buffer.concat(this.parts);
    this.parts = [];
    this.bytes += this.buffered;
    this.buffered = 0;
    let at = 0;
    while (at < data.length) at += (await this.fh.write(data, at)).bytesWritten;
  }

  /**
   * Flushes, fsyncs and renames over the target. Not `durable`: no fsync, so a power failure
   * may lose or damage the file; the process dying still leaves the old file or the new one.
   */
  async commit(durable = true): Promise<void> {
    await this.flush();
    if (this.direct) return this.fh.close();
    if (durable) await this.fh.sync();
    await this.fh.close();
    await rename(this.tempPath, this.path);
    if (durable) await syncDir(dirname(this.path));
  }

  /** Drops the temporary file; the target is untouched. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    if (!this.direct) await unlink(this.tempPath).catch(() => undefined);
  }
}

/** The pid in a temporary file's name (`.NAME.PID.N.tmp`, as create() makes it), else undefined. */
export function tempFileOwner(name: string): number | undefined {
  const m = /^\..+\.([0-9]{1,9})\.[0-9]+\.tmp$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** Whether process `pid` is running (one of another user's too: EPERM), or may be. */
function running(pid: number): boolean {
  if (pid === process.pid || pid < 1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * A temporary file younger than this is left alone even if its pid looks dead: a run in
 * another container sharing the directory has pids this one cannot see, and its writes take
 * milliseconds, not minutes.
 */
export const STALE_TEMP_AGE_MS = 10 * 60_000;

/**
 * Removes the temporary files in `dir` (its listing: `names`) left by writers that died
 * mid-write (SIGKILL, a crash, a power cut): those whose pid is not a running process and that
 * were last written STALE_TEMP_AGE_MS or more before `nowMs`, or, given `beforeMs`, before
 * that (a run holding the lock of the directory: before it took it). A live process's are left
 * alone, so a concurrent run's writes go on. Best effort: resolves to the number removed,
 * whatever failed.
 */
export async function removeStaleTemps(
  dir: string,
  names?: readonly string[],
  nowMs = Date.now(),
  beforeMs = nowMs - STALE_TEMP_AGE_MS,
): Promise<number> {
  const listed = names ?? (await readdir(dir).catch(() => []));
  let removed = 0;
  for (const name of listed) {
    const pid = tempFileOwner(name);
    if (pid === undefined || running(pid)) continue;
    const path = join(dir, name);
    const written = await lstat(path).then(
      (st) => st.mtimeMs,
      () => Infinity, // gone already: nothing to remove
    );
    if (written > beforeMs) continue;
    await unlink(path).then(
      () => removed++,
      () => undefined, // gone already (another run's sweep), or not ours to remove
    );
  }
  return removed;
}

async function syncDir(dir: string): Promise<void> {
  // Durability of the rename itself; not every platform lets a directory be fsynced.
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    /* best effort */
  }
}
