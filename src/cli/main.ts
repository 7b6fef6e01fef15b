// argv → command → exit code. Commands live in ./commands, one file each, registered below.
import { Command, CommanderError } from 'commander';
import { EXIT } from './exitCodes.js';
import type { ExitCode } from './exitCodes.js';
import { oneLine } from '../core/oneLine.js';
import { CliContext, processIo, UserError } from './context.js';
import type { CliIo, RegisterCommand } from './context.js';
import { registerShow } from './commands/show.js';
import { registerConvert } from './commands/convert.js';
import { registerReplay } from './commands/replay.js';
import { registerFuzz } from './commands/fuzz.js';
import { registerMinimize } from './commands/minimize.js';
import { registerCorpus } from './commands/corpus.js';
import { registerNightly } from './commands/nightly.js';
import { registerMerge } from './commands/merge.js';
import { registerHistory } from './commands/history.js';
import { packageVersion } from './version.js';
import { environmentFailure } from './faultText.js';

// One line per command; each command file exports its register function.
const COMMANDS: readonly RegisterCommand[] = [
  registerShow, // vpdma show <trace>
  registerConvert, // vpdma convert <in> <out>
  registerReplay, // vpdma replay <trace-or-dir>...
  registerFuzz, // vpdma fuzz [--target SPEC] [--runs N | --time D] ...
  registerMinimize, // vpdma minimize <trace>
  registerNightly, // vpdma nightly [--time D] [--out DIR] ...
  registerMerge, // vpdma merge <out-dir>... --out DIR
  registerCorpus, // vpdma corpus prune <dir>
  registerHistory, // vpdma history show|forget <file>
];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('vpdma')
    .description(
      'Replay and fuzz Windows VideoPort DMA call streams against a deterministic model.',
    )
    .version(packageVersion(), '-V, --version')
    .configureOutput({
      writeOut: ctx.io.out,
      writeErr: ctx.io.err,
      // One line, like every other usage error: "error: x\n(Did you mean y?)\n" from commander.
      outputError: (text, write) => write(`vpdma: ${usageLine(text)}\n`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} ok; ${EXIT.violations} violations; ${EXIT.badInput} bad input or usage ` +
        `(a process: program that does not exist too); ${EXIT.crash} a target that cannot start (or that crashed or hung in replay) or a harness crash; ` +
        `${EXIT.interrupted} interrupted.\n(fuzz, nightly and minimize report a target that crashes or hangs ` +
        `on a call as a violation: ${EXIT.violations}.)\nTrace formats by extension: .jsonl, .vpt, .txt, each also gzip-compressed as .gz; - as the trace of replay, show, convert or minimize reads standard input, and corpus:NAME names a trace of the bundled corpus (as the nightly reports name them).`,
    );
  // Subcommands copy the parent's output and exitOverride settings when created: set them first.
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

function usageLine(text: string): string {
  const [first = '', ...rest] = text
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const hints = rest.map((l) => ` (${l.replace(/^\((.*)\)$/, '$1').replace(/^Did/, 'did')})`);
  // Commander ends some messages with a full stop ("... but got 2."): not before our "; ".
  return oneLine(`${first.replace(/\.$/, '')}${hints.join('')}; see vpdma --help`);
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    return failure(e, io);
  }
}

function failure(e: unknown, io: CliIo): ExitCode {
  if (e instanceof CommanderError) {
    // Commander has printed its message (or the help) already.
    const shown = e.code === 'commander.helpDisplayed' || e.code === 'commander.version';
    return shown ? EXIT.ok : EXIT.badInput;
  }
  if (UserError.is(e)) {
    io.err(`vpdma: ${oneLine(e.message)}\n`);
    return e.exitCode;
  }
  const env = environmentFailure(e);
  if (env !== undefined) {
    io.err(`vpdma: ${oneLine(env)}\n`);
    return EXIT.badInput;
  }
  io.err(
    `vpdma: internal error (please report it)\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return EXIT.crash;
}
