// A finding on disk: findings/<signature>/ with the repro as repro.jsonl, repro.txt and
// repro.vpt, and finding.json (seed, case, kind, function, message, how often it reproduced,
// and the exact `vpdma replay` command that reproduces it without the fuzzer).
import { join } from 'node:path';
import { shellWord } from '../core/shellWord.js';
import { writeRepro, type ReproPaths } from '../store/corpus.js';
import { writeFileAtomic } from '../store/writeFile.js';
import { printText } from '../trace/text.js';
import type { FuzzFinding } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';
import type { FuzzSettings } from './protocol.js';

export function replayCommand(trace: string, s: FuzzSettings): string {
  const words = ['vpdma', 'replay', trace, '--target', s.target];
  if (s.profile !== undefined) words.push('--profile', s.profile);
  words.push('--timeout', String(s.timeoutMs));
  return words.map(shellWord).join(' ');
}

/** A finding's report entry, its repro stored at `files`. */
export function reportFindingOf(f: FuzzFinding, s: FuzzSettings, files: ReproPaths): ReportFinding {
  return {
    signature: f.signature,
    kind: f.kind,
    fn: f.fn,
    callIndex: f.callIndex,
    message: f.message,
    reproCalls: f.reproCalls,
    originalCalls: f.originalCalls,
    trace: files.jsonl,
    files,
    reproText: printText(f.repro),
    seed: s.seedText,
    caseIndex: f.caseIndex,
    cases: f.cases,
    reproduced: f.reproduced,
    command: replayCommand(files.jsonl, s),
    minimized: f.minimized,
    exhausted: f.exhausted,
  };
}

/** finding.json: the report entry, with the target and profile it was found against. */
export async function writeFindingJson(
  dir: string,
  entry: ReportFinding,
  target: string,
  profile: string | undefined,
): Promise<void> {
  const json = { ...entry, target, profile: profile ?? 'docs' };
  await writeFileAtomic(join(dir, 'finding.json'), `${JSON.stringify(json, null, 2)}\n`);
}

/** Writes a finding's files under `out`; resolves to its report entry. */
export function findingWriter(
  out: string,
  s: FuzzSettings,
): (f: FuzzFinding) => Promise<ReportFinding> {
  return async (f) => {
    const dir = join(out, 'findings', ...f.signature.split('/'));
    const entry = reportFindingOf(f, s, await writeRepro(dir, f.repro));
    await writeFindingJson(dir, entry, s.target, s.profile);
    return entry;
  };
}
