// `vpdma merge`'s copies of the shards' files into --out, the corpus's planned first (moved here
// from commands/merge.ts): a file that cannot be read or written (no permission, a full disk)
// is left out and named, and the reports still written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';
import { ioMessage, readRegularFile } from '../store/fileChunks.js';
import { damagedEntry } from '../store/corpus.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError, type CliContext } from './context.js';
import { corpusDirOf, listDir } from './mergeChecks.js';
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import type { Shard } from './shardReport.js';
import { EXIT, type ExitCode } from './exitCodes.js';

/**
 * The merged corpus: what every shard started from (entries no shard kept this run) plus the
 * entries the unsharded run would have kept, each from the shard that kept it. Planned (and
 * refused if an entry is in no shard) before anything is copied.
 */
export async function planCorpus(
  shards: readonly Shard[],
  merged: FuzzReport,
): Promise<{ name: string; from: string }[]> {
  const keptNow = new Set(
    shards.flatMap((s) => s.report.fuzzDetail.corpus.keptFiles.map((k) => k.file)),
  );
  const wanted = new Set(merged.corpus.keptFiles.map((k) => k.file));
  const copies = new Map<string, string>();
  for (const s of shards) {
    const from = corpusDirOf(s);
    for (const name of await listDir(from)) {
      if (keptNow.has(name) && !wanted.has(name)) continue;
      if (!copies.has(name)) copies.set(name, join(from, name));
      wanted.delete(name);
    }
  }
  const missing = [...wanted][0];
  if (missing !== undefined)
    throw new UserError(`merge: corpus file ${missing} is in no shard's corpus directory`);
  return [...copies].map(([name, from]) => ({ name, from }));
}

/** The corpus entries copied into `corpusDir`, until `signal`: how many are there now. */
export async function copyCorpus(
  ctx: CliContext,
  copies: readonly { name: string; from: string }[],
  corpusDir: string,
  signal: AbortSignal,
  notCopied: string[],
): Promise<number> {
  ctx.io.err(
    `vpdma merge: copying ${plural(copies.length, 'corpus entry', undefined, 'corpus entries')} into ${corpusDir}\n`,
  );
  let copied = 0;
  for (const c of copies) {
    if (signal.aborted) break;
    const to = join(corpusDir, c.name);
    if (!existsSync(to)) {
      const bytes = await readRegularFile(c.from).catch((e: unknown) => {
        notCopied.push(`corpus entry ${c.from}: cannot read (${ioMessage(e)})`);
        return undefined;
      });
      if (bytes === undefined) continue;
      if (damagedEntry(c.name, bytes)) {
        ctx.io.err(
          `vpdma merge: ${c.from}: damaged (its bytes do not match its name); not copied\n`,
        );
        continue;
      }
      const wrote = await writeFileAtomic(to, bytes, { durable: false }).then(
        () => true,
        (e: unknown) => {
          notCopied.push(`corpus entry ${c.name}: cannot write ${to} (${ioMessage(e)})`);
          return false;
        },
      );
      if (!wrote) continue;
    }
    copied++;
  }
  return copied;
}

/**
 * After the reports: the files that could not be copied, one line (the first, and how many),
 * and exit 2, what the machine refused (a target's exit 3 stays), unless interrupted.
 */
export function notCopiedVerdict(
  ctx: CliContext,
  notCopied: readonly string[],
  code: ExitCode,
): ExitCode {
  const [first] = notCopied;
  if (first === undefined) return code;
  const more = notCopied.length > 1 ? ` (and ${notCopied.length - 1} more)` : '';
  ctx.io.err(
    `vpdma merge: not copied: ${oneLine(first)}${more}; the reports cover what was copied\n`,
  );
  return code === EXIT.crash || code === EXIT.interrupted ? code : EXIT.badInput;
}
