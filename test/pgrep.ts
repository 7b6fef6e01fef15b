// pgrep for the tests' "nothing left running" checks. pgrep exits 1 when nothing matches, which
// is the answer those checks want; anything else (pgrep not installed, as in slim Node images,
// or failing: exit 2 or 3) throws, so a check that could not look never reads as "none left".
import { spawnSync } from 'node:child_process';

/** What `pgrep ...args` prints: '' when nothing matches. `command` is for tests of this. */
export function pgrep(args: readonly string[], command = 'pgrep'): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  const what = `${command} ${args.join(' ')}`;
  if (r.error !== undefined) {
    throw new Error(`${what}: ${r.error.message} (the leak check needs procps's pgrep)`);
  }
  if (r.status === 0) return r.stdout;
  if (r.status === 1) return '';
  const how = r.status === null ? `killed by ${r.signal ?? 'a signal'}` : `exit ${r.status}`;
  throw new Error(`${what} failed (${how}): ${r.stderr.trim()}`);
}

/**
 * `look()` polled until it finds nothing, for at most `ms`: a killed process is gone only once
 * the kernel has run its exit, which on a loaded machine can lag the kill by a moment; a leaked
 * one is still there when the wait ends. Returns what the last look found.
 */
export async function stillThere<T extends string | readonly unknown[]>(
  look: () => T,
  ms = 3000,
): Promise<T> {
  const end = Date.now() + ms;
  let found = look();
  while (found.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    found = look();
  }
  return found;
}
