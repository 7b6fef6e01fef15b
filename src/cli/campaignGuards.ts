// What `vpdma fuzz` and `vpdma nightly` put around a campaign (runFuzz) alike: cases kept in the
// corpus only while its disk has room (corpusRoom.ts), every finding reported even when its
// files cannot be written (findingFiles.ts), and one line when the workers' start-up ate most
// of --time (fuzzStartup.ts). Each command composes these with its own progress and reports,
// and ends with exitWithFaults: what the disk refused is said, and makes the exit code 2.
import type { CampaignProgress } from '../fuzz/campaign.js';
import type { FuzzFinding } from '../fuzz/findings.js';
import type { FuzzReport, ReportFinding } from '../fuzz/fuzzReport.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import type { FuzzRunResult } from '../fuzz/run.js';
import { corpusKeeper } from '../store/corpus.js';
import type { Trace } from '../trace/trace.js';
import { corpusRoom, corpusStoppedLine, diskFree } from './corpusRoom.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import { findingWrites } from './findingFiles.js';
import { startupWarning } from './fuzzStartup.js';
import { originalWrites, type NewFinding, type OriginalWrites } from './originalWrites.js';

export interface CampaignGuards {
  /** The corpus keeper, refusing once the disk is (nearly) full. */
  readonly keep: (trace: Trace) => Promise<string>;
  /** Writes a finding's files; a write that fails is remembered, the finding still reported. */
  readonly writeFinding: (f: FuzzFinding) => Promise<ReportFinding>;
  /** A group's first failing case, written at once (originalWrites.ts). */
  readonly original: OriginalWrites['write'];
  readonly originalsSettled: OriginalWrites['settle'];
  /** Given every progress report: the first says when cases came back. */
  readonly seen: (p: CampaignProgress) => void;
  /** When the first cases came back, ms on the campaign's clock (undefined: none did). */
  readonly firstCasesMs: () => number | undefined;
  /** Why the corpus stopped growing (undefined: it did not). */
  readonly corpusStopped: () => string | undefined;
  /** The warning when start-up took half of --time or more (fuzzStartup.ts). */
  readonly startupWarning: (
    result: FuzzRunResult,
    readMs: number,
    budget: { readonly timeMs?: number },
    text: FuzzReport['budget'],
  ) => string | undefined;
  /** One line for each thing the disk refused (none: nothing was). */
  readonly faults: () => string[];
}

export function campaignGuards(o: {
  readonly out: string;
  readonly settings: FuzzSettings;
  readonly corpusDir: string;
  readonly cwd: string;
  /** Says that a group was first seen, and where its original is. */
  readonly newFinding?: (n: NewFinding) => void;
}): CampaignGuards {
  // diskFree passed in from its module: tests replace it there (fullDisk.test.ts).
  const room = corpusRoom(corpusKeeper(o.corpusDir), o.corpusDir, diskFree);
  const findings = findingWrites(o.out, o.settings, o.cwd);
  const originals = originalWrites(o.out, (n) => o.newFinding?.(n));
  let firstCasesMs: number | undefined;
  return {
    keep: room.keep,
    writeFinding: findings.write,
    original: originals.write,
    originalsSettled: originals.settle,
    seen: (p) => void (firstCasesMs ??= p.elapsedMs),
    firstCasesMs: () => firstCasesMs,
    corpusStopped: room.stopped,
    startupWarning: (result, readMs, budget, text) =>
      startupWarning({
        loadMs: result.baseMs + readMs,
        ...(firstCasesMs === undefined ? {} : { firstCasesMs }),
        ...(budget.timeMs === undefined ? {} : { timeMs: budget.timeMs }),
        ...(text.time === undefined ? {} : { timeText: text.time }),
        cases: result.campaign.cases,
        entries: result.baseSize,
      }),
    faults: () => {
      const stopped = room.stopped();
      const lost = findings.lost();
      return [
        ...(stopped === undefined ? [] : [corpusStoppedLine(stopped)]),
        ...(lost === undefined ? [] : [lost]),
      ];
    },
  };
}

/**
 * A run's exit code once what the disk refused is said, each fault in one line: 2, a file the
 * machine refused (as main.ts has it), whatever the run found; a run that crashed (3) or was
 * interrupted (130) keeps its code.
 */
export function exitWithFaults(
  err: (text: string) => void,
  code: ExitCode,
  faults: readonly string[],
): ExitCode {
  for (const f of faults) err(`vpdma: ${f}\n`);
  if (faults.length === 0 || code === EXIT.crash || code === EXIT.interrupted) return code;
  return EXIT.badInput;
}
