// `vpdma show <trace>`: the trace as text (a valid repro file) after a summary in comments.
import { readTrace, streamTraceBatches } from '../../store/traceFiles.js';
import { formatTraceError } from '../../trace/traceError.js';
import { printText } from '../../trace/text.js';
import { formatSummary, summarize, SummaryBuilder } from '../../trace/summary.js';
import type { TraceHeader } from '../../trace/trace.js';
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
    .option('--summary', 'print only the summary (streamed: any size, in bounded memory)')
    .action(async (file: string, opts: ShowOptions) => {
      ctx.exitCode = await show(ctx, file, opts);
    });
};

export async function show(ctx: CliContext, file: string, opts: ShowOptions): Promise<ExitCode> {
  if (opts.summary === true) {
    // Streamed: a summary of a trace of any size, in bounded memory.
    const b = new SummaryBuilder();
    let header: TraceHeader | undefined;
    let revision: string | undefined;
    for await (const item of streamTraceBatches(file, { callsLimit: Number.POSITIVE_INFINITY })) {
      if (item.kind === 'error') throw new UserError(formatTraceError(item.error));
      if (item.kind === 'header') {
        header = item.header;
        revision = item.modelRevision;
      } else for (const call of item.calls) b.add(call);
    }
    if (header === undefined) throw new UserError(`${file}: no header`);
    ctx.io.out(`${formatSummary(b.result(header, revision), file).join('\n')}\n`);
    return EXIT.ok;
  }
  const r = await readTrace(file);
  if (!r.ok) throw new UserError(formatTraceError(r.error));
  const summary = { ...summarize(r.value), ...(await revisionOf(file)) };
  ctx.io.out(`${formatSummary(summary, file).join('\n')}\n`);
  ctx.io.out(printText(r.value));
  return EXIT.ok;
}

/** The call-table revision a .vpt records in its header frame (read no further). */
async function revisionOf(file: string): Promise<{ modelRevision?: string }> {
  for await (const item of streamTraceBatches(file)) {
    if (item.kind === 'header' && item.modelRevision !== undefined)
      return { modelRevision: item.modelRevision };
    break;
  }
  return {};
}
