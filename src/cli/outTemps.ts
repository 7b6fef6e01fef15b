// The temporary files a run killed outright (SIGKILL, a CI job's timeout) left in an --out
// directory while writing into it atomically (AtomicWriter: `.NAME.PID.N.tmp` beside NAME,
// renamed over it once whole): its reports and its findings' and corpus failures' files. The
// corpus sweeps its own as it keeps cases (corpusKeeper); nothing else did, so a CI cache that
// keeps OUT from night to night gathered them for good. A run that holds OUT/.vpdma.lock is
// the only one writing these there, so it removes those of dead writers last written before it
// took the lock, with removeStaleTemps' own tests (the exact name, a pid no longer running).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps } from '../store/atomicFile.js';

/**
 * The directories of OUT a run writes and no run without its lock does: OUT itself (the
 * reports) and every directory under findings/ and corpus-repros/. Not corpus/: another run
 * may keep cases there (a --corpus shared between --outs), and it sweeps its own.
 */
const SWEPT = ['findings', 'corpus-repros'];
/** findings/<kind>/<function>/<hash>/, with room to spare. */
const depthMax = 6;

async function dirsUnder(dir: string, depth: number, into: string[]): Promise<void> {
  into.push(dir);
  if (depth >= depthMax) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) await dirsUnder(join(dir, e.name), depth + 1, into);
}

/** Removes them (best effort); resolves to how many went. */
export async function removeOutTemps(out: string, beforeMs: number): Promise<number> {
  const dirs = [out];
  for (const sub of SWEPT) await dirsUnder(join(out, sub), 1, dirs);
  let removed = 0;
  for (const dir of dirs) removed += await removeStaleTemps(dir, undefined, Date.now(), beforeMs);
  return removed;
}
