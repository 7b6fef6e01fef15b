// `vpdma history show FILE`: the buckets of a --history file, for humans or as JSON (read
// only). `vpdma history forget FILE SIGNATURE...`: buckets dropped from it, under its lock,
// its previous version kept as FILE.prev as every write keeps it: the way to take out a
// bucket without a hand edit, which is how history files get damaged.
import { stat } from 'node:fs/promises';
import { oneLine } from '../../core/oneLine.js';
import { plural } from '../../core/plural.js';
import { bucketStatus, unfixed, type History, type HistoryBucket } from '../../report/history.js';
import { prevPath, readHistory, writeHistory, type HistoryRead } from '../historyFile.js';
import { ioMessage } from '../../store/fileChunks.js';
import { UserError, writeLong, type CliContext, type RegisterCommand } from '../context.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { damagedRefusal, RECOVER_FLAG } from '../historyRecover.js';
import { withRunLocks } from '../runLock.js';
import { onInterrupt } from '../interrupt.js';

interface ShowOptions {
  readonly json?: boolean;
  readonly target?: string;
}

export const registerHistory: RegisterCommand = (program, ctx) => {
  const history = program
    .command('history')
    .description('look into or edit a --history file of vpdma nightly and merge');
  history
    .command('show')
    .description(
      'list the buckets (one per target and signature): status open, fixed or regressed, first and last seen, times seen',
    )
    .argument('<file>', 'the --history file')
    .option('--json', 'print them as JSON: {"file", "buckets": [{..., "status"}]}')
    .option('--target <spec>', 'only the buckets of this --target SPEC, as written')
    .action(async (file: string, opts: ShowOptions) => {
      ctx.exitCode = await showHistory(ctx, file, opts);
    });
  history
    .command('forget')
    .description(
      'drop the buckets of these signatures (of every target, or of --target), holding the lock nightly and merge hold; the version replaced is kept as FILE.prev',
    )
    .argument('<file>', 'the --history file')
    .argument('<signature...>', 'signatures as `history show` lists them')
    .option('--target <spec>', 'only the buckets of this --target SPEC, as written')
    .action(async (file: string, signatures: string[], opts: { target?: string }) => {
      ctx.exitCode = await withRunLocks(async (locks) => {
        await locks.history(file, ctx.io.err);
        return forget(ctx, file, signatures, opts.target);
      });
    });
};

/** The file read, for these commands: one that is not there is a slip, not an empty history. */
async function read(path: string): Promise<HistoryRead> {
  await stat(path).catch((e: unknown) => {
    throw new UserError(`history file ${path}: ${ioMessage(e)}`);
  });
  const r = await readHistory(path);
  if (r.ok) return r.value;
  if (!r.error.damaged) throw new UserError(r.error.message);
  throw new UserError(
    await damagedRefusal(
      path,
      r.error,
      `give the next nightly or merge --history ${path} ${RECOVER_FLAG}`,
      '',
    ),
  );
}

const ofTarget = (h: History, target: string | undefined): readonly HistoryBucket[] =>
  target === undefined ? h.buckets : h.buckets.filter((b) => b.target === target);

/** A bucket as `show --json` lists it: its fields in the file's order, and its status. */
function listed(b: HistoryBucket): Record<string, unknown> {
  const { signature, target, ...rest } = unfixed(b);
  return {
    signature,
    target,
    status: bucketStatus(b),
    ...rest,
    ...(b.regressedIn === undefined ? {} : { regressedIn: b.regressedIn }),
    ...(b.fixedSince === undefined ? {} : { fixedSince: b.fixedSince }),
  };
}

function bucketLine(b: HistoryBucket): string {
  const status = bucketStatus(b);
  const since =
    status === 'fixed'
      ? `, fixed since ${b.fixedSince ?? ''}`
      : status === 'regressed'
        ? `, regressed in ${b.regressedIn ?? ''}`
        : '';
  const scheme = b.signatureScheme === 1 ? ', signature scheme 1' : '';
  return oneLine(
    `  [${status}] ${b.signature}: ${b.kind} in ${b.fn}; first seen ${b.firstSeen}, last seen ${b.lastSeen}, seen ${plural(b.timesSeen, 'time')}${since}${scheme}`,
  );
}

/** By target (sorted), a line counting its buckets by status, then one line per bucket. */
export function historyText(path: string, buckets: readonly HistoryBucket[]): string {
  const targets = [...new Set(buckets.map((b) => b.target))].sort();
  const lines = [
    oneLine(`${path}: ${plural(buckets.length, 'bucket')}, ${plural(targets.length, 'target')}`),
  ];
  for (const t of targets) {
    const mine = buckets.filter((b) => b.target === t);
    const count = (s: string): number => mine.filter((b) => bucketStatus(b) === s).length;
    lines.push(
      oneLine(
        `${t}: ${plural(mine.length, 'bucket')} (${count('open')} open, ${count('regressed')} regressed, ${count('fixed')} fixed)`,
      ),
      ...mine.map(bucketLine),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function showHistory(ctx: CliContext, path: string, opts: ShowOptions): Promise<ExitCode> {
  const { history } = await read(path);
  const buckets = ofTarget(history, opts.target);
  const text =
    opts.json === true
      ? `${JSON.stringify({ file: path, buckets: buckets.map(listed) }, null, 2)}\n`
      : historyText(path, buckets);
  await writeLong(ctx.io, text);
  return EXIT.ok;
}

async function forget(
  ctx: CliContext,
  path: string,
  signatures: readonly string[],
  target: string | undefined,
): Promise<ExitCode> {
  const { history, text } = await read(path);
  const wanted = new Set(signatures);
  const mine = new Set(ofTarget(history, target));
  const gone = history.buckets.filter((b) => mine.has(b) && wanted.has(b.signature));
  const missing = signatures.filter((s) => !gone.some((b) => b.signature === s));
  if (missing.length > 0)
    throw new UserError(
      `history file ${path}: no bucket of ${missing.join(', ')}${target === undefined ? '' : ` of target ${target}`} (vpdma history show ${path} lists them); nothing forgotten`,
    );
  const kept = history.buckets.filter((b) => !gone.includes(b));
  // A signal while it is written lets the write end (the file and its .prev agree): exit 130.
  const writing = onInterrupt(ctx.io.err, `finishing the write of ${path}`);
  try {
    await writeHistory(path, { ...history, buckets: kept }, text);
  } catch (e) {
    throw new UserError(`history file ${path}: cannot write (${ioMessage(e)})`);
  } finally {
    writing.dispose();
  }
  ctx.io.out(
    `vpdma history forget: ${plural(gone.length, 'bucket')} dropped from ${path} (the version before kept as ${prevPath(path)}); one whose bug is still there comes back, as new, when a night finds it again:\n${gone.map((b) => `${bucketLine(b)} (${oneLine(b.target)})\n`).join('')}`,
  );
  return writing.received() === undefined ? EXIT.ok : EXIT.interrupted;
}
