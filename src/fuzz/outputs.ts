// A finding on disk: findings/<signature>/ with the repro as repro.jsonl, repro.txt and
// repro.vpt, and finding.json (seed, case, kind, function, message, how often it reproduced,
// and the exact `vpdma replay` command that reproduces it without the fuzzer: as the run gave
// it, from `cwd`, and as `commandHere`, from the finding's own directory wherever it was copied).
import { isAbsolute, join, resolve } from 'node:path';
import { replayCommandLine } from '../core/replayCommand.js';
import { writeRepro, type ReproPaths } from '../store/corpus.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { printRepro } from '../replay/reproText.js';
import type { FuzzFinding } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';
import type { FuzzSettings } from './protocol.js';

type CommandSettings = Pick<FuzzSettings, 'target' | 'profile' | 'timeoutMs'>;

/** The finding's replay: always with the run's --timeout (replay's default is another). */
export function replayCommand(trace: string, s: CommandSettings): string {
  return replayCommandLine(trace, { target: s.target, profile: s.profile, timeoutMs: s.timeoutMs });
}

/** The repro's name in commandHere: the finding's directory is where it runs. */
export const REPRO_HERE = 'repro.jsonl';

/**
 * The replay command to run in the finding's own directory: the repro by its name there, and a
 * `module:` target by its absolute path (a module path is a file, resolved against `cwd`). A
 * `process:` target is a shell command, left as written: it runs where the user runs it.
 */
export function replayCommandHere(s: CommandSettings, cwd: string): string {
  const m = /^module:(.+)$/s.exec(s.target)?.[1];
  const target = m === undefined || isAbsolute(m) ? s.target : `module:${resolve(cwd, m)}`;
  return replayCommand(REPRO_HERE, { ...s, target });
}

/** A finding's report entry, its repro stored at `files`. */
export function reportFindingOf(
  f: FuzzFinding,
  s: FuzzSettings,
  files: ReproPaths,
  reproText = printRepro(f.repro),
): ReportFinding {
  return {
    signature: f.signature,
    kind: f.kind,
    fn: f.fn,
    callIndex: f.callIndex,
    message: f.message,
    violationsAtCall: f.violationsAtCall,
    reproCalls: f.reproCalls,
    originalCalls: f.originalCalls,
    trace: files.jsonl,
    files,
    reproText,
    seed: s.seedText,
    caseIndex: f.caseIndex,
    cases: f.cases,
    reproduced: f.reproduced,
    command: replayCommand(files.jsonl, s),
    minimized: f.minimized,
    ...(f.minimizedReproduced === undefined ? {} : { minimizedReproduced: f.minimizedReproduced }),
    exhausted: f.exhausted,
  };
}

/**
 * finding.json: the report entry, with the target and profile it was found against; `cwd`, the
 * directory this process runs in, which the entry's relative paths (`trace`, `files`, those in
 * `command`) are relative to; and `commandHere`, the replay to run in `dir` itself.
 */
export async function writeFindingJson(
  dir: string,
  entry: ReportFinding,
  target: string,
  profile: string | undefined,
  commandHere: string,
): Promise<void> {
  const json = { ...entry, target, profile: profile ?? 'docs', cwd: process.cwd(), commandHere };
  await writeFileAtomic(join(dir, 'finding.json'), `${JSON.stringify(json, null, 2)}\n`);
}

/** Writes a finding's files under `out`; resolves to its report entry. */
export function findingWriter(
  out: string,
  s: FuzzSettings,
): (f: FuzzFinding) => Promise<ReportFinding> {
  return async (f) => {
    const dir = join(out, 'findings', ...f.signature.split('/'));
    const text = printRepro(f.repro);
    const entry = reportFindingOf(f, s, await writeRepro(dir, f.repro, text), text);
    const here = replayCommandHere(s, process.cwd());
    // Without --profile, the repro's own header says which oracle it failed against.
    await writeFindingJson(dir, entry, s.target, s.profile ?? f.repro.header.profile, here);
    return entry;
  };
}
