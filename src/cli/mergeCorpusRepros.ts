// The repros a nightly made of failing corpus traces (OUT/corpus-repros), merged: each shard
// minimizes the signatures it owns (corpusMinimizePlan.ts), so a signature has one repro in
// all; were two shards to hold one (shards that disagree), the first in shard order's is
// taken. Every file is checked readable before merge writes anything, then copied whole
// (temp + rename) under the merged --out, the entry's command naming it there.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CorpusRepro } from '../report/nightlySchema.js';
import { corpusReplayCommand, type CommandRun } from '../report/command.js';
import { ioMessage, readRegularFile } from '../store/fileChunks.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError } from './context.js';
import type { Shard } from './shardReport.js';

const FILES = ['repro.jsonl', 'repro.txt', 'repro.vpt'] as const;

export interface CorpusReproSource {
  readonly repro: CorpusRepro;
  /** Its directory in the shard that wrote it. */
  readonly from: string;
}

/** One repro per signature, from the first shard holding it, each file checked readable. */
export async function corpusReproSources(shards: readonly Shard[]): Promise<CorpusReproSource[]> {
  const chosen = new Map<string, CorpusReproSource>();
  for (const s of shards)
    for (const repro of s.report.corpus.repros ?? [])
      if (!chosen.has(repro.signature))
        chosen.set(repro.signature, { repro, from: join(s.dir, dirname(repro.trace)) });
  for (const { from } of chosen.values())
    for (const name of FILES)
      await access(join(from, name), constants.R_OK).catch((e: unknown) => {
        throw new UserError(
          ioMessage(e) === 'no such file'
            ? `merge: ${join(from, name)} is missing: copy each shard's whole --out directory`
            : `merge: ${join(from, name)}: cannot read (${ioMessage(e)})`,
        );
      });
  // In replay order (every shard replays the whole corpus in one order), as one machine lists them.
  const order = new Map(shards[0]?.report.corpus.traces.map((t, i) => [t.trace, i]));
  const at = (x: CorpusReproSource): number => order.get(x.repro.from) ?? order.size;
  return [...chosen.values()].sort(
    (a, b) => at(a) - at(b) || (a.repro.signature < b.repro.signature ? -1 : 1),
  );
}

/**
 * The repros copied under `out`: their entries, in the order given. One whose files cannot be
 * read or written is left out, why told to `notCopied` (the merge reports the rest).
 */
export async function copyCorpusRepros(
  sources: readonly CorpusReproSource[],
  out: string,
  /** The night's target, --profile, --rss-limit-mb and --worker-heap-mb, which it passes on. */
  run: CommandRun,
  /** The night's --timeout, which the replay command passes on. */
  timeoutMs: number | undefined,
  notCopied: (why: string) => void,
): Promise<CorpusRepro[]> {
  const copied: CorpusRepro[] = [];
  for (const { repro, from } of sources) {
    const failed = await copyFiles(from, join(out, dirname(repro.trace)));
    if (failed !== undefined) {
      notCopied(`corpus repro ${repro.signature}: ${failed}`);
      continue;
    }
    const command = corpusReplayCommand(run, join(out, repro.trace), timeoutMs, true);
    copied.push({ ...repro, command });
  }
  return copied;
}

/** Copies the repro's files from one directory to another; why not, if one failed. */
async function copyFiles(from: string, to: string): Promise<string | undefined> {
  for (const name of FILES) {
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(join(from, name));
    } catch (e) {
      return `${join(from, name)}: cannot read (${ioMessage(e)})`;
    }
    try {
      await writeFileAtomic(join(to, name), bytes);
    } catch (e) {
      return `cannot write ${join(to, name)} (${ioMessage(e)})`;
    }
  }
  return undefined;
}
