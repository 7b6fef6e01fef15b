// `vpdma corpus prune <dir>`: keep the smallest set of traces that reaches the same coverage
// (afl-cmin, libFuzzer -merge). Files that add nothing are deleted, or only listed (--dry-run).
import { constants } from 'node:fs';
import { access, unlink } from 'node:fs/promises';
import { pruneCorpus } from '../../fuzz/prune.js';
import { readCorpusDir } from '../../store/corpus.js';
import { isDir } from '../../store/ensureDir.js';
import { ioMessage } from '../../store/fileChunks.js';
import { UserError, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { profileOption } from '../options.js';

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
  const files = await readCorpusDir(dir, (m) => ctx.io.err(`vpdma: ${m}\n`));
  if (files.length === 0) {
    // An empty corpus (a first night, a pipeline's fresh cache) is already as small as it gets.
    ctx.io.out(`vpdma corpus prune: ${dir} holds no readable traces; nothing to prune\n`);
    return EXIT.ok;
  }
  const r = pruneCorpus(
    files.map((f) => ({ name: f.name, trace: f.trace })),
    profile,
  );
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
  const verb = opts.dryRun === true ? 'would keep' : 'kept';
  ctx.io.out(
    `vpdma corpus prune: ${verb} ${r.keep.length} of ${files.length} traces; coverage ${r.keys} keys, unchanged\n`,
  );
  return EXIT.ok;
}
