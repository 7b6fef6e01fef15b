// A process: command whose program does not exist, or cannot be run, is a typo in the SPEC: a
// usage error (exit 2) before any child starts, as a missing module: is, not a target that
// crashed in every trace (the shell's exit 127 or 126). Only a plain command is looked at
// (words, NAME=value assignments first); one with quotes, $, redirections, pipes or lists is
// left to the shell, its failure then reported per trace (exit 3).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** Characters after which the shell, not a split on spaces, says what the program is. */
export const PLAIN = /^[^'"`$\\;&|()<>*?[\]{}~#\n]*$/;
export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Shell builtins that run a command of their own: theirs is not looked up. */
const BUILTINS = new Set(['exec', 'command', 'eval', '.', 'cd', 'export', 'ulimit', 'umask']);

/** Why `command`'s program cannot be run (a usage error's text); undefined when it can, or unsure. */
export function processCommandFailure(
  command: string,
  cwd = process.cwd(),
  path = process.env['PATH'] ?? '',
): string | undefined {
  if (!PLAIN.test(command)) return undefined;
  const program = command
    .trim()
    .split(/\s+/)
    .find((w) => !ASSIGNMENT.test(w));
  if (program === undefined || program === '' || BUILTINS.has(program)) return undefined;
  if (program.includes('/')) {
    const file = resolve(cwd, program);
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined)
      return `process:${command}: ${program} does not exist (looked for ${file})`;
    if (st.isDirectory()) return `process:${command}: ${program} is a directory`;
    if (!runnable(file))
      return `process:${command}: ${program} is not executable (chmod +x it, or name its interpreter: process:python3 ${program})`;
    return undefined;
  }
  const found = path
    .split(delimiter)
    .some((dir) => runnable(join(dir === '' ? cwd : dir, program), true));
  return found ? undefined : `process:${command}: ${program}: command not found on PATH`;
}

function runnable(file: string, fileOnly = false): boolean {
  if (fileOnly && statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
