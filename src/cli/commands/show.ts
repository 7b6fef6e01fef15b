// `vpdma show <trace>`: the trace as text (a valid repro file) after a summary in comments.
import { readTrace } from '../../store/traceFiles.js';
import { formatTraceError } from '../../trace/traceError.js';
import { printText } from '../../trace/text.js';
import { formatSummary, summarize } from '../../trace/summary.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { UserError } from '../context.js';
import { EXIT } from '../exitCodes.js';
import type { ExitCode } from '../exitCodes.js';

interface ShowOptions {
  readonly summary?: boolean;
}

export const registerShow: RegisterCommand = (program, ctx) => {
  program
    .command('show')
    .description(
      'print a trace as text after a summary (format version, profile, resolved device, calls ' +
        'per function, objects created, captured or not); the output is itself a valid .txt trace',
    )
    .argument('<trace>', 'trace file (.jsonl, .vpt or .txt)')
    .option('--summary', 'print only the summary')
    .action(async (file: string, opts: ShowOptions) => {
      ctx.exitCode = await show(ctx, file, opts);
    });
};

export async function show(ctx: CliContext, file: string, opts: ShowOptions): Promise<ExitCode> {
  const r = await readTrace(file);
  if (!r.ok) throw new UserError(formatTraceError(r.error));
  ctx.io.out(`${formatSummary(summarize(r.value), file).join('\n')}\n`);
  if (opts.summary !== true) ctx.io.out(printText(r.value));
  return EXIT.ok;
}
