// `vpdma replay`'s refusals that need no replay: --explain's, and a run --disable left empty.
import { UserError } from './context.js';
import { STDOUT_FILE } from './outputDir.js';

/** Why a replay whose every trace --disable left out exits 2. */
export function nothingReplayed(skipped: number): string {
  const which = skipped === 1 ? 'the one trace given calls' : `all ${skipped} traces given call`;
  return `nothing replayed: ${which} a function --disable names, so nothing was checked (exit 2)`;
}

/** --explain tells one trace on stdout: refused for several, or beside a report on stdout. */
export function checkExplain(
  files: readonly string[],
  opts: { readonly json?: string; readonly junit?: string },
): void {
  if (files.length !== 1)
    throw new UserError(
      `--explain tells the replay of one trace; ${files.length} were given (a directory counts each trace in it): name one file`,
    );
  for (const [flag, path] of [
    ['--json', opts.json],
    ['--junit', opts.junit],
  ] as const)
    if (path === STDOUT_FILE)
      throw new UserError(`--explain writes to stdout: ${flag} - cannot go there too; name a file`);
}
