// The findings of a merge: each found in the shard that holds it (checked readable before
// anything is written), then its repro files copied into the merged --out and its
// finding.json written anew.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { shellWord } from '../core/shellWord.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import {
  keptInstead,
  REPRO_HERE,
  reproFiles,
  writeFindingJson,
  type CommandSettings,
} from './findingFiles.js';
import { ioMessage, readRegularFile } from '../store/fileChunks.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { UserError } from './context.js';
import type { Shard } from './shardReport.js';

/**
 * A shard's file copied whole or not at all (a temporary file beside `to`, renamed over it): a
 * copy that fails midway (a full disk) or is killed leaves what `to` held; a failed one also
 * removes its temporary file.
 */
async function copyInto(from: string, to: string): Promise<void> {
  const bytes = await readRegularFile(from).catch((e: unknown) => {
    throw new UserError(`merge: ${from}: cannot read (${ioMessage(e)})`);
  });
  await writeFileAtomic(to, bytes).catch((e: unknown) => {
    throw new UserError(`merge: cannot write ${to} (${ioMessage(e)})`);
  });
}

/** Where a shard keeps a finding's files: its own --out, wherever CI unpacked it. */
function findingDir(root: string, signature: string): string {
  return join(root, 'findings', ...signature.split('/'));
}

/** A finding found in the shard that holds it, checked readable before anything is written. */
export interface FindingSource {
  readonly finding: ReportFinding;
  readonly from: string;
  readonly target: string;
  readonly profile: string | undefined;
  /** The replay to run in the finding's directory: it moves with the files unchanged. */
  readonly commandHere: string;
}

const REPRO_FILES = ['repro.jsonl', 'repro.txt', 'repro.vpt'] as const;
const ORIGINAL_FILES = ['original.txt', 'original.vpt'] as const;

const readable = (path: string): Promise<boolean> =>
  access(path, constants.R_OK).then(
    () => true,
    () => false,
  );

export async function locateFinding(
  f: ReportFinding,
  shards: readonly Shard[],
): Promise<FindingSource> {
  const holder = shards.find((s) =>
    s.report.fuzzDetail.findings.some(
      (x) => x.signature === f.signature && x.caseIndex === f.caseIndex,
    ),
  );
  if (holder === undefined) throw new UserError(`merge: no shard holds finding ${f.signature}`);
  const from = findingDir(holder.dir, f.signature);
  const unreadable = (name: string, e: unknown): UserError =>
    new UserError(
      ioMessage(e) === 'no such file'
        ? `merge: ${join(from, name)} is missing: copy each shard's whole --out directory`
        : `merge: ${join(from, name)}: cannot read (${ioMessage(e)})`,
    );
  for (const name of REPRO_FILES) {
    try {
      await access(join(from, name), constants.R_OK);
    } catch (e) {
      throw unreadable(name, e);
    }
  }
  let found: { target?: unknown; profile?: unknown; commandHere?: unknown };
  try {
    found = JSON.parse(
      (await readRegularFile(join(from, 'finding.json'))).toString('utf8'),
    ) as typeof found;
  } catch (e) {
    throw unreadable('finding.json', e);
  }
  if (typeof found !== 'object' || found === null || Array.isArray(found))
    throw new UserError(`merge: ${join(from, 'finding.json')}: not a finding (not a JSON object)`);
  return {
    finding: f,
    from,
    target: typeof found.target === 'string' ? found.target : holder.report.target,
    profile: typeof found.profile === 'string' ? found.profile : undefined,
    commandHere:
      typeof found.commandHere === 'string'
        ? found.commandHere
        : f.command.replace(shellWord(f.files.jsonl), REPRO_HERE),
  };
}

/**
 * Copies a finding's repro files into the merged --out and writes its finding.json anew: the
 * entry then points there, and its cases are the merged run's (the shard saw only its own).
 * An unminimized one leaves a minimized repro of its signature there as it is, as nightly's
 * writer does (keptInstead): the entry is then that repro's, `kept`.
 */
export async function writeFinding(
  src: FindingSource,
  out: string,
  settings: CommandSettings,
): Promise<ReportFinding> {
  const f = src.finding;
  const dir = findingDir(out, f.signature);
  const kept = await keptInstead(dir, f, settings);
  if (kept !== undefined) return kept;
  const files = reproFiles(dir);
  for (const name of REPRO_FILES) await copyInto(join(src.from, name), join(dir, name));
  // Its original, when the shard has one (an older vpdma's shard does not).
  for (const name of ORIGINAL_FILES)
    if (await readable(join(src.from, name))) await copyInto(join(src.from, name), join(dir, name));
  const entry: ReportFinding = {
    ...f,
    trace: files.jsonl,
    files,
    // The command quotes the path as shellWord did when the shard wrote it.
    command: f.command.replace(shellWord(f.files.jsonl), shellWord(files.jsonl)),
  };
  await writeFindingJson(dir, entry, src.target, src.profile, src.commandHere, process.cwd());
  return entry;
}
