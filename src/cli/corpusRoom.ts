// Keeping fuzz cases in the corpus only while the disk has room for what matters more: the
// night's findings, reports and history come after the campaign, and a disk the corpus filled
// lost them all (docs/nightly.md, "A full disk"). So the corpus stops growing once its file
// system has less than roomBytes free, or once a write there fails for lack of space; the
// rest of the run goes on, and the command ends with exit 2 (an environment fault).
import { statfs } from 'node:fs/promises';
import type { Trace } from '../trace/trace.js';
import { sizeText } from '../core/sizeText.js';

/** Free space the corpus leaves on its file system: a night's reports take 1 to 2 MiB. */
export const REPORT_ROOM_BYTES = 16 << 20;

/** Errors that say the file system is full: every later write would fail too. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && FULL_CODES.has(code);
}

/** Bytes free to this user on the file system holding `dir`; undefined when it cannot tell. */
export async function diskFree(dir: string): Promise<number | undefined> {
  try {
    const s = await statfs(dir);
    // Some file systems (FUSE, /proc-like) report no blocks at all: no figure, no limit.
    return s.blocks > 0 ? s.bavail * s.bsize : undefined;
  } catch {
    return undefined;
  }
}

export interface CorpusRoom {
  /** The corpus keeper, refusing once the disk is (nearly) full. */
  readonly keep: (trace: Trace) => Promise<string>;
  /** Why cases stopped being kept (undefined: they never did), for the command's last line. */
  readonly stopped: () => string | undefined;
}

export function corpusRoom(
  keep: (trace: Trace) => Promise<string>,
  dir: string,
  free: (dir: string) => Promise<number | undefined> = diskFree,
  roomBytes = REPORT_ROOM_BYTES,
): CorpusRoom {
  let reason: string | undefined;
  // The first refusal says what happened, once; the fuzz run counts the rest (fuzz/run.ts).
  const stop = (why: string): Error => {
    if (reason !== undefined) return new Error(`not kept: ${reason}`);
    reason = why;
    return new Error(`${why}: no more cases are kept in the corpus this run`);
  };
  const keepOne = async (trace: Trace): Promise<string> => {
    if (reason !== undefined) throw stop(reason);
    const left = await free(dir);
    if (left !== undefined && left < roomBytes)
      throw stop(
        `${dir}: ${sizeText(left)} free on its disk, ${sizeText(roomBytes)} kept back for the findings and reports`,
      );
    try {
      return await keep(trace);
    } catch (e) {
      if (!isDiskFull(e)) throw e;
      throw stop(`${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // One write at a time: the campaign hands over a batch's kept cases at once, and writes
  // under way when the disk fills would each fail (and each take what space freed up).
  let queue: Promise<unknown> = Promise.resolve();
  return {
    stopped: () => reason,
    keep: (trace) => {
      const kept = queue.then(() => keepOne(trace));
      queue = kept.catch(() => undefined);
      return kept;
    },
  };
}

/** The run's last line when the corpus stopped growing (campaignGuards.ts). */
export function corpusStoppedLine(stopped: string): string {
  return `the corpus stopped growing: ${stopped}; free space there`;
}

/** The summary's line when the corpus stopped growing. */
export function corpusStoppedSummary(stopped: string): string {
  return `corpus: stopped growing: ${stopped} (exit 2: free space there)`;
}
