// A finding's report entry (seed, case, kind, function, message, how often it reproduced, and
// the exact `vpdma replay` command that reproduces it without the fuzzer). Pure: the CLI writes
// the finding's files (cli/findingFiles.ts).
import { replayCommandLine } from '../core/replayCommand.js';
import type { ReproPaths } from '../store/corpus.js';
import { titleOf } from '../replay/crashTitle.js';
import { printRepro } from '../replay/reproText.js';
import type { FuzzFinding } from './findings.js';
import type { ReportFinding } from './fuzzReport.js';
import type { FuzzSettings } from './protocol.js';
import { rssLimitChanged } from '../replay/rssLimit.js';

type CommandSettings = Pick<
  FuzzSettings,
  'target' | 'profile' | 'timeoutMs' | 'rssLimitMb' | 'workerHeapMb'
>;

/**
 * The finding's replay: always with the run's --timeout (replay's default is another), its
 * --rss-limit-mb when not the default, and its --worker-heap-mb when given.
 */
export function replayCommand(trace: string, s: CommandSettings): string {
  const { target, profile, timeoutMs, workerHeapMb } = s;
  return replayCommandLine(trace, {
    target,
    profile,
    timeoutMs,
    ...rssLimitChanged(s),
    workerHeapMb,
  });
}

/**
 * A finding's report entry, its repro stored at `files` (key set tested:
 * cli/findingRecords.test.ts).
 */
export function reportFindingOf(
  f: FuzzFinding,
  s: FuzzSettings,
  files: ReproPaths,
  reproText = printRepro(f.repro, { found: f }),
): ReportFinding {
  return {
    signature: f.signature,
    kind: f.kind,
    fn: f.fn,
    callIndex: f.callIndex,
    message: f.message,
    ...titleOf(f),
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
    ...(f.notMinimized === undefined ? {} : { notMinimized: f.notMinimized }),
  };
}
