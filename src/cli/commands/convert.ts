// `vpdma convert <in> <out>`: formats from the extensions; streams .vpt ↔ .jsonl in bounded
// memory; writes atomically, so a failed or interrupted conversion leaves <out> as it was.
import { plural } from '../../core/plural.js';
import {
  formatOf,
  isGzipPath,
  streamTraceBatches,
  traceNameError,
  writeTraceItemsAtomic,
} from '../../store/traceFiles.js';
import { stat } from 'node:fs/promises';
import { formatTraceError, type TraceError } from '../../trace/traceError.js';
import { wholeFileBytesMax } from '../../trace/traceLimits.js';
import { oneLine } from '../../core/oneLine.js';
import { untilDamage, type TraceBatchItem } from '../../trace/items.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { UserError } from '../context.js';
import { EXIT } from '../exitCodes.js';
import type { ExitCode } from '../exitCodes.js';
import { onInterrupt } from '../interrupt.js';
import { checkOutputFile, landsIn } from '../outputDir.js';
import { spoolStdin, STDIN_TRACE } from '../stdinTrace.js';
import { traceArgument } from '../bundledTrace.js';

export const registerConvert: RegisterCommand = (program, ctx) => {
  program
    .command('convert')
    .description(
      'convert a trace between formats, chosen by extension: .jsonl, .vpt, .txt, each also gzip-compressed as .gz',
    )
    .argument(
      '<in>',
      "trace to read (- reads standard input, its format from its first bytes; corpus:NAME the bundled corpus's trace NAME)",
    )
    .argument('<out>', 'file to write (replaced atomically; gzip-compressed if it ends in .gz)')
    .option(
      '--salvage',
      'a damaged input (cut short, a bad checksum) or one with an invalid call: write the calls before the first damage or invalid call (the line and why are printed)',
    )
    .action(async (input: string, output: string, opts: ConvertOptions) => {
      ctx.exitCode = await convert(ctx, input, output, opts);
    });
};

interface ConvertOptions {
  readonly salvage?: boolean;
}

export async function convert(
  ctx: CliContext,
  given: string,
  output: string,
  opts: ConvertOptions = {},
): Promise<ExitCode> {
  const input = await traceArgument(given);
  for (const path of input === STDIN_TRACE ? [output] : [input, output]) {
    const bad = await traceNameError(path);
    if (bad !== undefined) throw new UserError(formatTraceError(bad));
  }
  // Its directory is made if missing, as for every other output vpdma writes.
  await checkOutputFile('output', output);
  // Written through a link, it replaces the file linked to: under another extension (the input
  // itself, say) that file would then hold a trace its name does not say.
  const lands = await landsIn(output);
  if (formatOf(lands) !== formatOf(output) || isGzipPath(lands) !== isGzipPath(output))
    throw new UserError(
      `${oneLine(output)}: links to ${oneLine(lands)}, which a .${formatOf(output) ?? '?'} trace would replace under the wrong name; give another file`,
    );
  const stdin = input === STDIN_TRACE ? await spoolStdin() : undefined;
  try {
    return await convertFile(ctx, stdin ?? { path: input, label: input }, output, opts);
  } finally {
    await stdin?.dispose();
  }
}

async function convertFile(
  ctx: CliContext,
  from: { readonly path: string; readonly label: string },
  output: string,
  opts: ConvertOptions,
): Promise<ExitCode> {
  const input = from.label;
  // Streamed (a .txt in two passes). No call limit for .vpt and JSONL; a .txt keeps callsMax,
  // the most a text trace may hold to be read back.
  const traceCallsMax = formatOf(output) === 'txt' ? undefined : Number.POSITIVE_INFINITY;
  let damage: TraceError | undefined;
  /** Calls read in the latest pass: none when --salvage fails means nothing was before it. */
  let callsRead = 0;
  /** The input's own error that ended the latest pass (not the writer's). */
  let readError: TraceError | undefined;
  // Ctrl-C or SIGTERM ends the stream as an error would: the writer drops its temporary file.
  const interrupt = onInterrupt(ctx.io.err, 'stopping; the output is left as it was');
  const items = (): AsyncIterable<TraceBatchItem> =>
    untilSignal(
      streamTraceBatches(from.path, {
        label: input,
        signal: interrupt.signal,
        ...(traceCallsMax === undefined ? {} : { traceCallsMax }),
      }),
      interrupt.signal,
    );
  let r;
  try {
    r = await writeTraceItemsAtomic(output, {
      file: input,
      open: () => {
        callsRead = 0;
        readError = undefined;
        return counted(
          opts.salvage === true
            ? salvaging(items(), (e) => {
                damage = e;
              })
            : items(),
          (n) => (callsRead += n),
          (e) => (readError = e),
        );
      },
    });
  } finally {
    interrupt.dispose();
  }
  const signal = interrupt.received();
  if (signal !== undefined) {
    ctx.io.err(`vpdma convert: ${signal}: stopped; ${oneLine(output)} is as it was\n`);
    return EXIT.interrupted;
  }
  if (!r.ok) {
    const hint =
      opts.salvage === true && callsRead === 0
        ? `${r.error.damaged === true ? ': damaged' : ''}: no whole call before it, so --salvage has nothing to salvage`
        : r.error.damaged === true
          ? ': damaged; --salvage writes the calls before it'
          : r.error === readError && callsRead > 0
            ? `; --salvage keeps the ${plural(callsRead, 'call')} before it`
            : '';
    throw new UserError(`${formatTraceError(r.error)}${hint}`);
  }
  const salvaged =
    damage === undefined ? '' : ` (salvaged: ${formatTraceError(damage)}; the rest dropped)`;
  ctx.io.out(`${oneLine(`${input} -> ${output}`)}: ${plural(r.value.calls, 'call')}${salvaged}\n`);
  await warnIfTooBigToReplay(ctx, output);
  return EXIT.ok;
}

/**
 * `replay` reads a .txt whole: one above wholeFileBytesMax is refused there (show and convert
 * stream it). Said now, while the .vpt or JSONL it came from is at hand.
 */
export async function warnIfTooBigToReplay(
  ctx: CliContext,
  output: string,
  limit = wholeFileBytesMax,
): Promise<void> {
  if (formatOf(output) !== 'txt') return;
  const size = (await stat(output)).size;
  if (size <= limit) return;
  const mib = (n: number): string => `${Math.ceil(n / 2 ** 20)} MiB`;
  ctx.io.err(
    `vpdma convert: note: ${oneLine(output)} is ${mib(size)}; vpdma replay reads a .txt whole and refuses one above ${mib(limit)}: replay the .vpt or JSONL form\n`,
  );
}

/**
 * --salvage's stream: the calls before damage or an invalid call, which ends it (handed to
 * `onStop`); with no whole call before it, the error item, which refuses the conversion (a
 * header-only trace would salvage nothing, yet look like a success).
 */
async function* salvaging(
  items: AsyncIterable<TraceBatchItem>,
  onStop: (e: TraceError) => void,
): AsyncGenerator<TraceBatchItem> {
  let stop: TraceError | undefined;
  let calls = 0;
  for await (const item of untilDamage(items, (e) => (stop = e), true)) {
    if (item.kind === 'calls') calls += item.calls.length;
    yield item;
  }
  if (stop === undefined) return;
  if (calls > 0) onStop(stop);
  else yield { kind: 'error', error: stop };
}

/** The items until `signal` aborts, then an error item that ends the writing. */
async function* untilSignal(
  items: AsyncIterable<TraceBatchItem>,
  signal: AbortSignal,
): AsyncGenerator<TraceBatchItem> {
  for await (const item of items) {
    if (signal.aborted) {
      yield { kind: 'error', error: { message: 'interrupted' } };
      return;
    }
    yield item;
  }
}

/** The stream as it is, telling `onCalls` how many calls each batch brings, and its error. */
async function* counted(
  items: AsyncIterable<TraceBatchItem>,
  onCalls: (n: number) => void,
  onError: (e: TraceError) => void,
): AsyncGenerator<TraceBatchItem> {
  for await (const item of items) {
    if (item.kind === 'calls') onCalls(item.calls.length);
    if (item.kind === 'error') onError(item.error);
    yield item;
  }
}
