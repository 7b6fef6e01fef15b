// `vpdma corpus prune <dir>`: keep the smallest set of traces that reaches the same coverage
// (afl-cmin, libFuzzer -merge). Files that add nothing are deleted, or only listed (--dry-run).
import { constants } from 'node:fs';
import { access, unlink } from 'node:fs/promises';
import { pruneCorpusUntil } from '../../fuzz/prune.js';
import type { Profile } from '../../model/device.js';
import { removeStaleTemps } from '../../store/atomicFile.js';
import { readCorpusDir } from '../../store/corpus.js';
import { isDir } from '../../store/ensureDir.js';
import { ioMessage } from '../../store/fileChunks.js';
import { UserError, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { onInterrupt, type Interrupt } from '../interrupt.js';
import { profileOption } from '../options.js';
import { plural } from '../../core/plural.js';

interface PruneOptions {
  readonly dryRun?: boolean;
  readonly profile?: string;
}

export const registerCorpus: RegisterCommand = (program, ctx) => {
  const corpus = program.command('corpus').description('maintain a fuzzing corpus directory');
  corpus
    .command('prune')
    .description(
      'delete the traces that add no coverage: for every coverage key, only the smallest trace reaching it stays',
    )
    .argument('<dir>', 'corpus directory (e.g. the --corpus of vpdma fuzz or nightly)')
    .option('--dry-run', 'list what would be deleted, delete nothing')
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
    return await pruneOrStop(ctx, dir, opts, profile, interrupt);
  } finally {
    interrupt.dispose();
  }
}

async function pruneOrStop(
  ctx: CliContext,
  dir: string,
  opts: PruneOptions,
  profile: Profile | undefined,
  interrupt: Interrupt,
): Promise<ExitCode> {
  const warn = (m: string): void => ctx.io.err(`vpdma: ${m}\n`);
  const files = await readCorpusDir(dir, warn, '', interrupt.signal);
  const r = interrupt.signal.aborted
    ? undefined
    : await pruneCorpusUntil(
        files.map((f) => ({ name: f.name, trace: f.trace })),
        profile,
        interrupt.signal,
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
    ctx.io.out(`removed ${plural(swept, 'temporary file')} of runs killed mid-write\n`);
  const verb = opts.dryRun === true ? 'would keep' : 'kept';
  ctx.io.out(
    `vpdma corpus prune: ${verb} ${r.keep.length} of ${plural(files.length, 'trace')}; coverage ${plural(r.keys, 'key')}, unchanged\n`,
  );
  const late = interrupt.received();
  if (late === undefined) return EXIT.ok;
  ctx.io.err(`vpdma corpus prune: ${late}: deleting had begun, so it finished; ${dir} is pruned\n`);
  return EXIT.interrupted;
}
