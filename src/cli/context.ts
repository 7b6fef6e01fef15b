// What every command gets: where to write, and how to report the exit code and user errors.
import type { Command } from 'commander';
import { EXIT } from './exitCodes.js';
import type { ExitCode } from './exitCodes.js';

/** Output sinks, injectable so tests can run main() in-process. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export class CliContext {
  exitCode: ExitCode = EXIT.ok;
  constructor(readonly io: CliIo) {}
}

const brand = Symbol.for('vpdma.UserError');

/** A problem with the user's input or usage: printed as one `vpdma: ...` line, exit 2. */
export class UserError extends Error {
  readonly [brand] = true;
  override readonly name = 'UserError';
  static is(e: unknown): e is UserError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
  }
}

/** A command module registers itself on the program; main.ts lists one line per command. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
