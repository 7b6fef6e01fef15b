// A finding on disk: findings/<signature>/ with the repro as repro.jsonl, repro.txt and
// repro.vpt, and finding.json (seed, case, kind, function, message, how often it reproduced,
// and the exact `vpdma replay` command that reproduces it without the fuzzer: as the run gave
// it, from `cwd`, and as `commandHere`, from the finding's own directory wherever it was copied).
// The report entry itself is fuzz/outputs.ts's (reportFindingOf).
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_PROFILE } from '../model/device.js';
import type { FuzzFinding } from '../fuzz/findings.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { replayCommand, reportFindingOf } from '../fuzz/outputs.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { printRepro } from '../replay/reproText.js';
import { plural } from '../core/plural.js';
import { writeOriginal, writeRepro } from '../store/corpus.js';
import { ioMessage } from '../store/fileChunks.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { absoluteCommand } from './absoluteCommand.js';

/** What a finding's replay command is made of. */
export type CommandSettings = Pick<
  FuzzSettings,
  'target' | 'profile' | 'timeoutMs' | 'rssLimitMb' | 'workerHeapMb'
>;

/** Where a finding's files go under --out. */
export const findingDir = (out: string, signature: string): string =>
  join(out, 'findings', ...signature.split('/'));

/** A finding's repro files in `dir`, as writeRepro names them. */
export function reproFiles(dir: string): { jsonl: string; txt: string; vpt: string } {
  return {
    jsonl: join(dir, 'repro.jsonl'),
    txt: join(dir, 'repro.txt'),
    vpt: join(dir, 'repro.vpt'),
  };
}

/** The repro's name in commandHere: the finding's directory is where it runs. */
export const REPRO_HERE = 'repro.jsonl';

/**
 * The replay command to run in the finding's own directory: the repro by its name there, and a
 * `module:` target by its absolute path (a module path is a file, resolved against `cwd`). A
 * `process:` target is a shell command, left as written: it runs where the user runs it.
 */
function replayCommandHere(s: CommandSettings, cwd: string): string {
  const m = /^module:(.+)$/s.exec(s.target)?.[1];
  const target = m === undefined || isAbsolute(m) ? s.target : `module:${resolve(cwd, m)}`;
  return replayCommand(REPRO_HERE, { ...s, target });
}

/**
 * finding.json: the report entry, with the target and profile it was found against; `cwd`, the
 * directory this process runs in, which the entry's relative paths (`trace`, `files`, those in
 * `command`) are relative to; `commandHere`, the replay to run in `dir` itself; and
 * `commandAbsolute`, the replay to run anywhere on this machine (absoluteCommand.ts).
 */
export async function writeFindingJson(
  dir: string,
  entry: ReportFinding,
  target: string,
  profile: string | undefined,
  commandHere: string,
  cwd: string,
): Promise<void> {
  const absolute = absoluteCommand(entry.command, entry.trace, target, cwd);
  const json = {
    ...entry,
    target,
    profile: profile ?? DEFAULT_PROFILE,
    cwd,
    commandHere,
    ...(absolute === undefined ? {} : { commandAbsolute: absolute }),
  };
  await writeFileAtomic(join(dir, 'finding.json'), `${JSON.stringify(json, null, 2)}\n`);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The report entry finding.json holds for `signature`, if it is a minimized one vpdma wrote. */
function entryOf(
  json: unknown,
  signature: string,
): Omit<ReportFinding, 'trace' | 'files' | 'command'> | undefined {
  if (!isRecord(json) || json['signature'] !== signature || json['minimized'] !== true)
    return undefined;
  const strings = ['kind', 'fn', 'message', 'reproText', 'seed', 'reproduced'];
  const numbers = ['callIndex', 'reproCalls', 'originalCalls', 'caseIndex'];
  if (strings.some((k) => typeof json[k] !== 'string')) return undefined;
  if (numbers.some((k) => !Number.isSafeInteger(json[k]))) return undefined;
  if (!Array.isArray(json['cases']) || typeof json['exhausted'] !== 'boolean') return undefined;
  const f = json as unknown as ReportFinding;
  return {
    signature,
    kind: f.kind,
    fn: f.fn,
    callIndex: f.callIndex,
    message: f.message,
    ...(typeof f.title === 'string' ? { title: f.title } : {}),
    ...(Array.isArray(f.violationsAtCall) ? { violationsAtCall: f.violationsAtCall } : {}),
    reproCalls: f.reproCalls,
    originalCalls: f.originalCalls,
    reproText: f.reproText,
    seed: f.seed,
    caseIndex: f.caseIndex,
    cases: f.cases,
    reproduced: f.reproduced,
    minimized: true,
    exhausted: f.exhausted,
  };
}

/**
 * The minimized finding of `signature` an earlier run left in `dir` (its finding.json says so),
 * as a report entry pointing at its files; undefined for none, an unminimized one, or one that
 * cannot be read.
 */
export async function minimizedFindingIn(
  dir: string,
  signature: string,
  settings: CommandSettings,
): Promise<ReportFinding | undefined> {
  const json = await readFile(join(dir, 'finding.json'), 'utf8')
    .then((t) => JSON.parse(t) as unknown)
    .catch(() => undefined);
  const entry = entryOf(json, signature);
  if (entry === undefined) return undefined;
  const files = reproFiles(dir);
  return { ...entry, trace: files.jsonl, files, command: replayCommand(files.jsonl, settings) };
}

/**
 * The rule every writer of findings/ follows (nightly's and fuzz's below, merge's copy): an
 * unminimized finding (minimizing was cut short, or it is flaky) never replaces the minimized
 * repro an earlier run left in `dir` of the same signature. This is the entry to report
 * instead, that repro's (`kept`, this run's `cases`), when there is one; then nothing is
 * written, so a later night neither loses it nor removes it.
 */
export async function keptInstead(
  dir: string,
  f: Pick<ReportFinding, 'signature' | 'minimized' | 'cases'>,
  settings: CommandSettings,
): Promise<ReportFinding | undefined> {
  if (f.minimized) return undefined;
  const earlier = await minimizedFindingIn(dir, f.signature, settings);
  return earlier === undefined ? undefined : { ...earlier, cases: f.cases, kept: true };
}

/** Writes a finding's files under `out` (relative to `cwd`); resolves to its report entry. */
export function findingWriter(
  out: string,
  s: FuzzSettings,
  cwd: string,
): (f: FuzzFinding) => Promise<ReportFinding> {
  return async (f) => {
    const dir = findingDir(out, f.signature);
    const kept = await keptInstead(dir, f, s);
    if (kept !== undefined) return kept;
    const text = printRepro(f.repro, { found: f });
    const entry = reportFindingOf(f, s, await writeRepro(dir, f.repro, text), text);
    // The case as it ran, beside its repro (originalWrites.ts wrote it early, maybe another's).
    if (f.original !== undefined)
      await writeOriginal(dir, f.original, f.original === f.repro ? text : printRepro(f.original));
    const here = replayCommandHere(s, cwd);
    // Without --profile, the repro's own header says which oracle it failed against.
    await writeFindingJson(dir, entry, s.target, s.profile ?? f.repro.header.profile, here, cwd);
    return entry;
  };
}

export interface FindingWrites {
  readonly write: (f: FuzzFinding) => Promise<ReportFinding>;
  /** The one line for findings whose files could not be written (undefined: all were). */
  readonly lost: () => string | undefined;
}

/**
 * findingWriter, whatever the disk refuses: a finding whose files cannot be written (a full
 * disk, a directory it may not write) is reported all the same, its repro as text in the
 * report (`reproText`), and the run goes on to its reports and summary; `lost` says which.
 */
export function findingWrites(out: string, s: FuzzSettings, cwd: string): FindingWrites {
  const write = findingWriter(out, s, cwd);
  const failed: { dir: string; reason: string }[] = [];
  return {
    write: async (f) => {
      try {
        return await write(f);
      } catch (e) {
        // A bug of vpdma's own stays one (main.ts: an internal error, exit 3).
        if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError)
          throw e;
        const dir = findingDir(out, f.signature);
        failed.push({ dir, reason: ioMessage(e) });
        // Where its files would be: the entry keeps the report's shape (and its command).
        return reportFindingOf(f, s, reproFiles(dir));
      }
    },
    lost: () => {
      const [first, ...more] = failed;
      if (first === undefined) return undefined;
      const others =
        more.length === 0 ? '' : `, nor those of ${plural(more.length, 'more finding')}`;
      return `cannot write ${first.dir} (${first.reason})${others}: the report gives each repro as text (reproText)`;
    },
  };
}
