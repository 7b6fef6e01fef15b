// finding.json's `commandAbsolute`: the replay that works from any directory on the machine
// that ran it, the repro by its absolute path and a target given by a relative path made
// absolute (`command` works only from `cwd`, `commandHere` only from the finding's directory).
import { isAbsolute, resolve } from 'node:path';
import { pathArgument } from '../core/replayCommand.js';
import { shellWord } from '../core/shellWord.js';
import { ASSIGNMENT, PLAIN } from './processCommand.js';

/**
 * `target` as it runs from any directory: a relative `module:` path made absolute against
 * `cwd`; for a plain `process:` command (processCommand.ts), its program when given by a
 * relative path and each argument that starts with `./` or `../`. A command the shell has to
 * read (quotes, `$`, pipes) stays as written, as do `mutant:` and `model:`.
 */
export function absoluteTarget(target: string, cwd: string): string {
  const module = /^module:(.+)$/s.exec(target)?.[1];
  if (module !== undefined) return isAbsolute(module) ? target : `module:${resolve(cwd, module)}`;
  const command = /^process:(.+)$/s.exec(target)?.[1];
  if (command === undefined || !PLAIN.test(command)) return target;
  let program = true;
  const words = command
    .trim()
    .split(/\s+/)
    .map((w) => {
      if (program && ASSIGNMENT.test(w)) return w;
      const relative =
        !isAbsolute(w) && (program ? w.includes('/') : w.startsWith('./') || w.startsWith('../'));
      program = false;
      return relative ? shellWord(resolve(cwd, w)) : w;
    });
  return `process:${words.join(' ')}`;
}

/**
 * `command` (a replay of `trace` against `target`, as replayCommandLine wrote it, both relative
 * to `cwd`) with the trace's absolute path and absoluteTarget's target; undefined when it does
 * not start so (a finding.json an older vpdma wrote, merged), rather than a wrong command.
 */
export function absoluteCommand(
  command: string,
  trace: string,
  target: string,
  cwd: string,
): string | undefined {
  const start = (t: string, tg: string): string =>
    `vpdma replay ${shellWord(pathArgument(t))} --target ${shellWord(tg)}`;
  const was = start(trace, target);
  if (command !== was && !command.startsWith(`${was} `)) return undefined;
  return start(resolve(cwd, trace), absoluteTarget(target, cwd)) + command.slice(was.length);
}
