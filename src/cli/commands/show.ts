// `vpdma show <trace>`: the trace as text (a valid repro file) after a summary in comments.
import { oneLine } from '../../core/oneLine.js';
import { plural } from '../../core/plural.js';
import { shellWord } from '../../core/shellWord.js';
import { streamTraceBatches } from '../../store/traceFiles.js';
import { formatTraceError, type TraceError } from '../../trace/traceError.js';
import { printTextStreamed } from '../../trace/textStream.js';
import { formatSummary, SummaryBuilder } from '../../trace/summary.js';
import { untilDamage, type TraceBatchItem } from '../../trace/items.js';
import { printRepro } from '../../replay/reproText.js';
import type { TraceCall } from '../../model/values.js';
import type { TraceHeader } from '../../trace/trace.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { UserError, writeLong } from '../context.js';
import { EXIT } from '../exitCodes.js';
import { spoolStdin, STDIN_TRACE } from '../stdinTrace.js';
import { traceArgument } from '../bundledTrace.js';
import { onInterrupt, type Interrupt } from '../interrupt.js';
import type { ExitCode } from '../exitCodes.js';

interface ShowOptions {
  readonly summary?: boolean;
  readonly oracle?: boolean;
  readonly numbers?: boolean;
}

/**
 * The most calls --oracle explains: it holds the trace whole, and its text, at about 4 KiB a
 * call (400,000 calls took 1.7 GB), so a capture of millions would run out of memory.
 */
export const oracleCallsMax = 200_000;

export const registerShow: RegisterCommand = (program, ctx) => {
  program
    .command('show')
    .description(
      'print a trace as text after a summary (format version, profile, resolved device, calls ' +
        'per function, objects created, captured or not); the output is itself a valid .txt trace',
    )
    .argument(
      '<trace>',
      "trace file (.jsonl, .vpt or .txt, or one of them gzip-compressed as .gz; - reads standard input; corpus:NAME the bundled corpus's trace NAME)",
    )
    .option('--summary', 'print only the summary (one pass over the file instead of two)')
    .option('--numbers', 'end each call with a `# call N` comment (N from 0, as replay counts)')
    .option(
      '--oracle',
      "explain the calls in comments as repro.txt does: the oracle's answer after each call, " +
        `and which earlier call produced a value (reads the trace whole: at most ${oracleCallsMax.toLocaleString('en-US')} calls)`,
    )
    .action(async (file: string, opts: ShowOptions) => {
      ctx.exitCode = await show(ctx, file, opts);
    });
};

export async function show(
  ctx: CliContext,
  given: string,
  opts: ShowOptions,
  /** --oracle's limit (oracleCallsMax); tests give a small one. */
  callsMax = oracleCallsMax,
): Promise<ExitCode> {
  const named = await traceArgument(given);
  const stdin = named === STDIN_TRACE ? await spoolStdin() : undefined;
  try {
    return await showOrStop(ctx, stdin?.path ?? named, stdin?.label ?? named, opts, callsMax);
  } finally {
    await stdin?.dispose();
  }
}

/**
 * Ctrl-C or SIGTERM ends the read at its next chunk (a stretch of comments yields no item to
 * stop between): one line says so, exit 130. What was printed stays; stdout is not a file
 * show could take back.
 */
async function showOrStop(
  ctx: CliContext,
  path: string,
  file: string,
  opts: ShowOptions,
  callsMax: number,
): Promise<ExitCode> {
  // No line on the signal itself: the stop is a chunk away, and says so itself.
  const interrupt = onInterrupt(() => undefined);
  try {
    return await showStoppable(ctx, { path, file, interrupt }, opts, callsMax);
  } finally {
    interrupt.dispose();
  }
}

/** show of `path` until `interrupt` aborts: then one line and exit 130 (tests abort it). */
export async function showStoppable(
  ctx: CliContext,
  from: { readonly path: string; readonly file: string; readonly interrupt: Interrupt },
  opts: ShowOptions,
  callsMax = oracleCallsMax,
): Promise<ExitCode> {
  const { path, file, interrupt } = from;
  try {
    return await showFile(ctx, path, file, opts, callsMax, interrupt.signal);
  } catch (e) {
    // The read's `cannot read: interrupted`, or anything else the stop cut short.
    if (!interrupt.signal.aborted) throw e;
  }
  const name = interrupt.received() ?? 'interrupted';
  ctx.io.err(`vpdma show: ${name}: stopped reading ${oneLine(file)}; what was printed stays\n`);
  return EXIT.interrupted;
}

async function showFile(
  ctx: CliContext,
  path: string,
  file: string,
  opts: ShowOptions,
  callsMax: number,
  signal: AbortSignal,
): Promise<ExitCode> {
  // Both forms stream: a trace of any size, in bounded memory. A damaged trace shows its
  // intact part, then the damage (exit 2).
  let damage: TraceError | undefined;
  const read = { label: file, traceCallsMax: Number.POSITIVE_INFINITY, signal };
  const open = () =>
    untilDamage(streamTraceBatches(path, read), (e) => {
      damage = e;
    });
  const summary = new Summarizing(file);
  if (opts.summary === true) {
    for await (const item of open()) {
      if (item.kind === 'error') throw new UserError(formatTraceError(item.error));
      summary.onItem(item);
    }
    ctx.io.out(summary.text());
    return damaged(ctx, damage, summary.calls, 'counted');
  }
  const numbers = opts.numbers === true;
  if (opts.oracle === true)
    return showExplained(ctx, { file, open, summary, damage: () => damage, numbers, callsMax });
  // The listing in two passes (trace/textStream.ts); the summary comes from the first.
  const onItem = (item: TraceBatchItem): void => summary.onItem(item);
  const chunks = printTextStreamed({ file, open, onItem, numbers });
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.kind === 'error') throw new UserError(formatTraceError(chunk.error));
    if (first && !(await writeLong(ctx.io, summary.text()))) break;
    first = false;
    if (!(await writeLong(ctx.io, chunk.text))) break;
  }
  return damaged(ctx, damage, summary.calls, 'shown');
}

interface Explained {
  readonly file: string;
  readonly open: () => AsyncIterable<TraceBatchItem>;
  readonly summary: Summarizing;
  readonly damage: () => TraceError | undefined;
  readonly numbers: boolean;
  readonly callsMax: number;
}

/**
 * The listing as a repro is written (comments with the oracle's answers), the trace whole: so
 * a trace of more than `callsMax` calls is refused as soon as the read passes it, before it
 * has printed anything or grown without bound.
 */
async function showExplained(ctx: CliContext, x: Explained): Promise<ExitCode> {
  let header: TraceHeader | undefined;
  const calls: TraceCall[] = [];
  for await (const item of x.open()) {
    if (item.kind === 'error') throw new UserError(formatTraceError(item.error));
    x.summary.onItem(item);
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'calls') {
      if (calls.length + item.calls.length > x.callsMax) throw tooLong(x.file, x.callsMax);
      for (const c of item.calls) calls.push(c);
    }
  }
  const text = x.summary.text();
  if (header !== undefined && (await writeLong(ctx.io, text)))
    await writeLong(ctx.io, printRepro({ header, calls }, { numbers: x.numbers }));
  return damaged(ctx, x.damage(), x.summary.calls, 'shown');
}

function tooLong(file: string, callsMax: number): UserError {
  const max = callsMax.toLocaleString('en-US');
  return new UserError(
    `show --oracle: ${file} has more than ${max} calls, more than --oracle explains (it holds the trace whole); \`vpdma replay ${shellWord(file)} --explain\` explains every call as it streams, and \`vpdma show\` without --oracle lists any trace`,
  );
}

function damaged(
  ctx: CliContext,
  damage: TraceError | undefined,
  calls: number,
  what: string,
): ExitCode {
  if (damage === undefined) return EXIT.ok;
  ctx.io.err(
    `vpdma: ${formatTraceError(damage)}: damaged; the ${plural(calls, 'call')} before it ${calls === 1 ? 'is' : 'are'} ${what}\n`,
  );
  return EXIT.badInput;
}

/** The summary of the items a pass hands it. */
class Summarizing {
  private readonly b = new SummaryBuilder();
  private header: TraceHeader | undefined;
  private revision: string | undefined;
  /** Calls seen in the last pass (a listing makes two). */
  calls = 0;

  constructor(private readonly file: string) {}

  onItem(item: TraceBatchItem): void {
    if (item.kind === 'header') {
      this.header = item.header;
      this.revision = item.modelRevision;
    } else if (item.kind === 'calls') {
      for (const call of item.calls) this.b.add(call);
      this.calls += item.calls.length;
    }
  }

  /** As comment lines; a trace always starts with a header (or an error). */
  text(): string {
    if (this.header === undefined) throw new UserError(`${this.file}: no header`);
    return `${formatSummary(this.b.result(this.header, this.revision), this.file).join('\n')}\n`;
  }
}
