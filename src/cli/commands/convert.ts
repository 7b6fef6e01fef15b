// `vpdma convert <in> <out>`: formats from the extensions; streams .vpt ↔ .jsonl in bounded
// memory; writes atomically, so a failed conversion leaves <out> as it was.
import {
  formatOf,
  streamTraceBatches,
  traceNameError,
  writeTraceItemsAtomic,
} from '../../store/traceFiles.js';
import { formatTraceError } from '../../trace/traceError.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { UserError } from '../context.js';
import { EXIT } from '../exitCodes.js';
import type { ExitCode } from '../exitCodes.js';

export const registerConvert: RegisterCommand = (program, ctx) => {
  program
    .command('convert')
    .description('convert a trace between formats, chosen by extension: .jsonl, .vpt, .txt')
    .argument('<in>', 'trace to read')
    .argument('<out>', 'file to write (replaced atomically)')
    .action(async (input: string, output: string) => {
      ctx.exitCode = await convert(ctx, input, output);
    });
};

export async function convert(ctx: CliContext, input: string, output: string): Promise<ExitCode> {
  for (const path of [input, output]) {
    const bad = await traceNameError(path);
    if (bad !== undefined) throw new UserError(formatTraceError(bad));
  }
  // Streamed (a .txt in two passes). No call limit for .vpt and JSONL; a .txt keeps callsMax,
  // the most a text trace may hold to be read back.
  const callsLimit = formatOf(output) === 'txt' ? undefined : Number.POSITIVE_INFINITY;
  const r = await writeTraceItemsAtomic(output, {
    file: input,
    open: () => streamTraceBatches(input, callsLimit === undefined ? {} : { callsLimit }),
  });
  if (!r.ok) throw new UserError(formatTraceError(r.error));
  ctx.io.out(`${input} -> ${output}: ${r.value.calls} calls\n`);
  return EXIT.ok;
}
