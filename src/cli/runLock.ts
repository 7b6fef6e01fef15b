// Exclusive lock files for runs that read something, work for a while, then rewrite it: a
// `--history` file, an `--out` directory. Two nightlies sharing one history each read it,
// and the last to write it dropped the other's findings; two sharing one `--out` counted one
// night twice. The lock is a file made with O_EXCL holding who holds it; a run that finds
// one held refuses (a user error, exit 2), and takes over one whose holder is no longer
// running on this machine, or that nobody touched for minutes (the holder touches it every
// half minute). Released when the run ends, however it ends short of SIGKILL: by its end, or
// by process.exit (a second Ctrl-C, a signal before any work began: bin/vpdma.js).
import { hostname } from 'node:os';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { UserError } from './context.js';
import { ensureDir } from '../store/ensureDir.js';
import { ioMessage } from '../store/fileChunks.js';
import { dirname, join } from 'node:path';
import { plural } from '../core/plural.js';
import { removeOutTemps } from './outTemps.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/**
 * The holder touches its lock this often; one untouched for staleMs is left over, whoever
 * held it: a run killed on another machine sharing the file system, or an --out directory a
 * CI cache saved with the lock in it and restored on another runner.
 */
const heartbeatMs = 30_000;
const staleMs = 5 * 60_000;
const lockBytesMax = 4096;

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

/** What process.exit must still remove: held locks, and a lock's file being made. */
const atExit = new Set<() => void>();
let exitHooked = false;

/** `undo` runs if the process exits before the function returned is called. */
function untilExit(undo: () => void): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => {
      for (const f of atExit) f();
    });
  }
  atExit.add(undo);
  return () => void atExit.delete(undo);
}

const unlinkNow = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
};

function parseHolder(text: string): Holder | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return undefined;
    const { pid, host, since } = v as Record<string, unknown>;
    return Number.isSafeInteger(pid) && typeof host === 'string' && typeof since === 'string'
      ? { pid: pid as number, host, since }
      : undefined;
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return code(e) !== 'ESRCH';
  }
}

/**
 * Who holds the lock at `path`, and, when it is left over, why (what the line taking it over
 * says after its path).
 */
async function heldBy(path: string): Promise<{ holder?: Holder; leftOver?: string }> {
  const [text, st] = await Promise.all([
    readFile(path, 'utf8').catch(() => undefined),
    stat(path).catch(() => undefined),
  ]);
  // Gone meanwhile: free.
  if (text === undefined || st === undefined) return { leftOver: '' };
  const holder = text.length <= lockBytesMax ? parseHolder(text) : undefined;
  // Unreadable: its writer may be writing it right now, unless it has long stopped.
  const untouched = Date.now() - st.mtimeMs > staleMs;
  if (holder === undefined) return untouched ? { leftOver: ', left unreadable' } : {};
  if (holder.host === hostname() && !running(holder.pid))
    return { holder, leftOver: ` of pid ${holder.pid}, which is no longer running` };
  const away = ` of pid ${holder.pid} on ${holder.host}, untouched for over ${staleMs / 60_000} minutes`;
  return untouched ? { holder, leftOver: away } : { holder };
}

/** The lock in an --out directory, there while a run writes into it. */
export const OUT_LOCK = '.vpdma.lock';

export interface HeldLock {
  release(): Promise<void>;
}

/** Every lock a run took, released together when it ends. */
export class RunLocks {
  private readonly held: HeldLock[] = [];

  /**
   * Takes the lock at `path` for `what` (`--history h.json`), or throws a UserError naming
   * its holder. `note` hears of a left-over lock taken over.
   */
  async take(path: string, what: string, note: (line: string) => void): Promise<void> {
    const unwritable = (e: unknown): UserError =>
      new UserError(`${what}: not writable (its lock file ${path}: ${ioMessage(e)})`);
    await ensureDir(dirname(path)).catch((e: unknown) => {
      throw unwritable(e);
    });
    const mine = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    });
    // Twice at most: a left-over lock is removed once, then someone else may win the race.
    for (let attempt = 0; attempt < 2; attempt++) {
      // From the moment it may exist, process.exit removes it if it holds this run's line.
      const exiting = untilExit(() => {
        if (readTextNow(path)?.trim() === mine) unlinkNow(path);
      });
      const made = await create(path, `${mine}\n`).catch((e: unknown) => {
        exiting();
        return Promise.reject(unwritable(e));
      });
      if (made) {
        const beat = setInterval(() => {
          const now = new Date();
          utimes(path, now, now).catch(() => undefined);
        }, heartbeatMs);
        beat.unref();
        this.held.push({
          release: async () => {
            clearInterval(beat);
            await releaseIfMine(path, mine);
            exiting();
          },
        });
        return;
      }
      exiting();
      const h = await heldBy(path);
      if (h.leftOver === undefined || attempt > 0) throw new UserError(inUse(path, what, h.holder));
      note(`vpdma: ${what}: taking over the lock ${path}${h.leftOver}\n`);
      await unlink(path).catch(() => undefined);
    }
  }

  /** The --history file's lock, when there is one: held from its reading to its writing. */
  history(path: string | undefined, note: (line: string) => void): Promise<void> {
    return path === undefined
      ? Promise.resolve()
      : this.take(`${path}.lock`, `--history ${path}`, note);
  }

  /**
   * The --out directory's (made already): two runs writing one would mix their files. Once
   * held, the temporary files of a run killed while writing there are removed (outTemps.ts),
   * and `note` hears how many.
   */
  async out(dir: string, note: (line: string) => void): Promise<void> {
    const asked = Date.now();
    await this.take(join(dir, OUT_LOCK), `--out ${dir}`, note);
    const removed = await removeOutTemps(dir, asked);
    if (removed > 0)
      note(
        `vpdma: --out ${dir}: removed ${plural(removed, 'temporary file')} of a run killed while writing there\n`,
      );
  }

  async releaseAll(): Promise<void> {
    for (const l of this.held.splice(0).reverse()) await l.release();
  }
}

/**
 * Makes the lock file with its content in one step, or answers false if it exists: written
 * beside it, then hard-linked to its name (which fails if the name is taken), so that a run
 * finding it never reads it half written. A file system without hard links gets O_EXCL.
 */
async function create(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const exiting = untilExit(() => unlinkNow(temp));
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await link(temp, path);
    return true;
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code(e) ?? '')) throw e;
  } finally {
    await unlink(temp).catch(() => undefined);
    exiting();
  }
  let file;
  try {
    file = await open(path, 'wx');
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    await file.writeFile(content);
  } finally {
    await file.close();
  }
  return true;
}

function inUse(path: string, what: string, holder: Holder | undefined): string {
  const who =
    holder === undefined
      ? 'another vpdma run'
      : `another vpdma run (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
  return `${what} is in use by ${who}: runs sharing it must run one after another; if none is running, remove ${path}`;
}

function readTextNow(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function releaseIfMine(path: string, mine: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text?.trim() === mine) await unlink(path).catch(() => undefined);
}

/** Runs `f` with a fresh set of locks, released when it ends. */
export async function withRunLocks<T>(f: (locks: RunLocks) => Promise<T>): Promise<T> {
  const locks = new RunLocks();
  try {
    return await f(locks);
  } finally {
    await locks.releaseAll();
  }
}
