// `vpdma show <trace>`: the trace as text (a valid repro file) after a summary in comments.
import { streamTraceBatches } from '../../store/traceFiles.js';
import { formatTraceError } from '../../trace/traceError.js';
import { printTextStreamed } from '../../trace/textStream.js';
import { formatSummary, SummaryBuilder } from '../../trace/summary.js';
import type { TraceHeader } from '../../trace/trace.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { UserError, writeLong } from '../context.js';
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
    .option('--summary', 'print only the summary (one pass over the file instead of two)')
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
  // Streamed in two passes (trace/textStream.ts): a trace of any size in bounded memory.
  const summary = new SummaryBuilder();
  let header: TraceHeader | undefined;
  let revision: string | undefined;
  const chunks = printTextStreamed({
    file,
    open: () => streamTraceBatches(file, { callsLimit: Number.POSITIVE_INFINITY }),
    onItem: (item) => {
      if (item.kind === 'header') {
        header = item.header;
        revision = item.modelRevision;
      } else if (item.kind === 'calls') for (const call of item.calls) summary.add(call);
    },
  });
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.kind === 'error') throw new UserError(formatTraceError(chunk.error));
    if (first && header !== undefined) {
      const lines = formatSummary(summary.result(header, revision), file);
      if (!(await writeLong(ctx.io, `${lines.join('\n')}\n`))) break;
    }
    first = false;
    if (!(await writeLong(ctx.io, chunk.text))) break;
  }
  return EXIT.ok;
}
