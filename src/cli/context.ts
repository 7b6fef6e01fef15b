// What every command gets: where to write, and how to report the exit code and user errors.
import type { Command } from 'commander';
import { EXIT } from './exitCodes.js';
import type { ExitCode } from './exitCodes.js';

/** Output sinks, injectable so tests can run main() in-process. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /**
   * Long output (a listing of any length): resolves when the reader has taken it, false once
   * the reader has gone (`vpdma show big.vpt | head`). Without it, `out`.
   */
  readonly write?: (text: string) => Promise<boolean>;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  write: writeWaiting(process.stdout),
};

/**
 * Writes and waits until the stream has taken the text (backpressure: one chunk in flight);
 * false once a write failed. Not `destroyed`: stdout stays open after EPIPE.
 */
function writeWaiting(stream: NodeJS.WritableStream): (text: string) => Promise<boolean> {
  let gone = false;
  return (text) =>
    new Promise<boolean>((resolve) => {
      if (gone) {
        resolve(false);
        return;
      }
      stream.write(text, (e) => {
        if (e !== null && e !== undefined) gone = true;
        resolve(!gone);
      });
    });
}

/** Long output through `io.write` when there is one: false once the reader has gone. */
export async function writeLong(io: CliIo, text: string): Promise<boolean> {
  if (io.write !== undefined) return io.write(text);
  io.out(text);
  return true;
}

export class CliContext {
  exitCode: ExitCode = EXIT.ok;
  constructor(readonly io: CliIo) {}
}

const brand = Symbol.for('vpdma.UserError');

/** A problem with the user's input or usage: printed as one `vpdma: ...` line, exit 2. */
export class UserError extends Error {
  readonly [brand] = true;
  override readonly name = 'UserError';
  /** A message for the user, and the exit code: bad input or usage unless said otherwise. */
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.badInput,
  ) {
    super(message);
  }
  static is(e: unknown): e is UserError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
  }
}

/** A command module registers itself on the program; main.ts lists one line per command. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
