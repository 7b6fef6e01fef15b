// A finding on disk: findings/<signature>/ with the repro as repro.jsonl, repro.txt and
// repro.vpt, and finding.json (seed, case, kind, function, message, how often it reproduced,
// and the exact `vpdma replay` command that reproduces it without the fuzzer: as the run gave
// it, from `cwd`, and as `commandHere`, from the finding's own directory wherever it was copied).
// The report entry itself is fuzz/outputs.ts's (reportFindingOf).
import { isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_PROFILE } from '../model/device.js';
import type { FuzzFinding } from '../fuzz/findings.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { replayCommand, reportFindingOf } from '../fuzz/outputs.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { printRepro } from '../replay/reproText.js';
import { writeRepro } from '../store/corpus.js';
import { writeFileAtomic } from '../store/writeFile.js';

type CommandSettings = Pick<FuzzSettings, 'target' | 'profile' | 'timeoutMs'>;

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
 * `command`) are relative to; and `commandHere`, the replay to run in `dir` itself.
 */
export async function writeFindingJson(
  dir: string,
  entry: ReportFinding,
  target: string,
  profile: string | undefined,
  commandHere: string,
  cwd: string,
): Promise<void> {
  const json = { ...entry, target, profile: profile ?? DEFAULT_PROFILE, cwd, commandHere };
  await writeFileAtomic(join(dir, 'finding.json'), `${JSON.stringify(json, null, 2)}\n`);
}

/** Writes a finding's files under `out` (relative to `cwd`); resolves to its report entry. */
export function findingWriter(
  out: string,
  s: FuzzSettings,
  cwd: string,
): (f: FuzzFinding) => Promise<ReportFinding> {
  return async (f) => {
    const dir = join(out, 'findings', ...f.signature.split('/'));
    const text = printRepro(f.repro);
    const entry = reportFindingOf(f, s, await writeRepro(dir, f.repro, text), text);
    const here = replayCommandHere(s, cwd);
    // Without --profile, the repro's own header says which oracle it failed against.
    await writeFindingJson(dir, entry, s.target, s.profile ?? f.repro.header.profile, here, cwd);
    return entry;
  };
}
