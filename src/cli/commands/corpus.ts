// `vpdma corpus prune <dir>`: keep a small set of traces that reaches the same coverage (a
// greedy set cover, as libFuzzer's -set_cover_merge; src/fuzz/cover.ts), or, under
// --entries-max or --bytes-max, the traces that matter most, saying what coverage went with
// the rest. Files left out are deleted, or only listed (--dry-run).
import { constants } from 'node:fs';
import { access, unlink } from 'node:fs/promises';
import { sizeText } from '../../core/sizeText.js';
import { pruneCorpusUntil, type PruneLimits, type Pruned } from '../../fuzz/prune.js';
import type { Profile } from '../../model/device.js';
import { removeStaleTemps } from '../../store/atomicFile.js';
import { readCorpusDir } from '../../store/corpus.js';
import { isDir } from '../../store/ensureDir.js';
import { ioMessage } from '../../store/fileChunks.js';
import { UserError, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { onInterrupt, type Interrupt } from '../interrupt.js';
import { positiveInt, profileOption } from '../options.js';
import { plural } from '../../core/plural.js';

interface PruneOptions {
  readonly dryRun?: boolean;
  readonly profile?: string;
  readonly entriesMax?: string;
  readonly bytesMax?: string;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "500000", "512K", "40M", "1.5GiB" (K, M and G are powers of 1024; B, iB and KB-style too). */
export function bytesOption(name: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  const n =
    m === null ? NaN : Math.floor(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? NaN));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UserError(`${name}: expected a size like 500000, 512K, 40M or 2G, got "${text}"`);
  return n;
}

function limitsOf(opts: PruneOptions): PruneLimits {
  return {
    ...(opts.entriesMax === undefined
      ? {}
      : { entriesMax: positiveInt('--entries-max', opts.entriesMax, 0) }),
    ...(opts.bytesMax === undefined ? {} : { bytesMax: bytesOption('--bytes-max', opts.bytesMax) }),
  };
}

export const registerCorpus: RegisterCommand = (program, ctx) => {
  const corpus = program.command('corpus').description('maintain a fuzzing corpus directory');
  corpus
    .command('prune')
    .description(
      'delete the traces that add no coverage (a greedy set cover keeps every coverage key); with a limit, keep the traces that matter most and say what coverage went',
    )
    .argument('<dir>', 'corpus directory (e.g. the --corpus of vpdma fuzz or nightly)')
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .option(
      '--entries-max <n>',
      'keep at most this many traces: rare coverage first, then the most coverage',
    )
    .option(
      '--bytes-max <size>',
      'keep at most this many bytes of traces (e.g. 50M; K, M, G are powers of 1024), chosen as for --entries-max',
    )
    .option(
      '--profile <profile>',
      "oracle profile whose coverage counts: docs or reactos (default: each trace header's)",
    )
    .action(async (dir: string, opts: PruneOptions) => {
      ctx.exitCode = await prune(ctx, dir, opts);
    });
};

async function prune(ctx: CliContext, dir: string, opts: PruneOptions): Promise<ExitCode> {
  const profile = profileOption(opts.profile);
  const limits = limitsOf(opts);
  if (!(await isDir(dir))) throw new UserError(`${dir}: not a directory (or does not exist)`);
  // Pruning deletes: a directory it cannot delete from is refused before any work.
  if (opts.dryRun !== true)
    await access(dir, constants.W_OK).catch((e: unknown) => {
      throw new UserError(`${dir}: not writable (${ioMessage(e)}): pruning deletes from it`);
    });
  // Ctrl-C or SIGTERM while reading and measuring: nothing is deleted. Once deleting has begun
  // it finishes (unlinks, quick), so the corpus is as it was or pruned, never in between.
  const interrupt = onInterrupt(
    ctx.io.err,
    'stopping; the corpus is left as it was, or pruned if deleting has begun',
  );
  try {
    return await pruneOrStop(ctx, dir, { ...opts, profile, limits }, interrupt);
  } finally {
    interrupt.dispose();
  }
}

async function pruneOrStop(
  ctx: CliContext,
  dir: string,
  opts: Omit<PruneOptions, 'profile'> & { profile: Profile | undefined; limits: PruneLimits },
  interrupt: Interrupt,
): Promise<ExitCode> {
  const warn = (m: string): void => ctx.io.err(`vpdma: ${m}\n`);
  const files = await readCorpusDir(dir, warn, '', interrupt.signal);
  const r = interrupt.signal.aborted
    ? undefined
    : await pruneCorpusUntil(
        files.map((f) => ({ name: f.name, trace: f.trace, bytes: f.bytes })),
        opts.profile,
        interrupt.signal,
        opts.limits,
      );
  const signal = interrupt.received();
  if (r === undefined || signal !== undefined) {
    ctx.io.err(
      `vpdma corpus prune: ${signal ?? 'interrupted'}: stopped; nothing deleted, ${dir} is as it was\n`,
    );
    return EXIT.interrupted;
  }
  if (files.length === 0) {
    // An empty corpus (a first night, a pipeline's fresh cache) is already as small as it gets.
    ctx.io.out(`vpdma corpus prune: ${dir} holds no readable traces; nothing to prune\n`);
    return EXIT.ok;
  }
  const paths = new Map(files.map((f) => [f.name, f.path]));
  for (const name of r.drop) {
    const path = paths.get(name);
    if (path === undefined) continue;
    if (opts.dryRun === true) ctx.io.out(`would delete ${path}\n`);
    else
      await unlink(path).catch((e: unknown) => {
        throw new UserError(`${path}: cannot delete (${ioMessage(e)})`);
      });
  }
  // Temporary files of runs killed mid-write (kill -9), as a campaign sweeps them.
  const swept = opts.dryRun === true ? 0 : await removeStaleTemps(dir);
  if (swept > 0)
    ctx.io.out(`removed ${plural(swept, 'temporary file')} of runs killed mid-write
`);
  ctx.io.out(`vpdma corpus prune: ${outcome(r, files.length, opts)}
`);
  const late = interrupt.received();
  if (late === undefined) return EXIT.ok;
  ctx.io.err(`vpdma corpus prune: ${late}: deleting had begun, so it finished; ${dir} is pruned\n`);
  return EXIT.interrupted;
}

/** What was kept, of what, and the coverage: unchanged, or what a limit cost. */
function outcome(r: Pruned, traces: number, opts: Omit<PruneOptions, 'profile'>): string {
  const verb = opts.dryRun === true ? 'would keep' : 'kept';
  const kept = `${verb} ${r.keep.length} of ${plural(traces, 'trace')} (${sizeText(r.bytesKept)} of ${sizeText(r.bytes)})`;
  const lost = r.keys - r.keysKept;
  if (lost === 0) return `${kept}; coverage ${plural(r.keys, 'key')}, unchanged`;
  const limits = [
    ...(opts.entriesMax === undefined ? [] : [`--entries-max ${opts.entriesMax}`]),
    ...(opts.bytesMax === undefined ? [] : [`--bytes-max ${opts.bytesMax}`]),
  ].join(' ');
  return `${kept}, the most ${limits} allows; coverage ${r.keysKept} of ${r.keys} keys: ${lost} lost (${r.rareLost} of them reached by one trace alone)`;
}
