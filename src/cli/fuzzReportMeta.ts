// The fuzz report's metadata (fuzzReport.ts ReportMeta), from the run's plan and what the run
// found out: one place for `vpdma fuzz` (commands/fuzz.ts) and nightly's fuzz phase
// (nightlyFuzz.ts), so a new report field cannot reach one and not the other.
import type { Shard } from '../fuzz/campaign.js';
import type { FuzzReport, ReportMeta } from '../fuzz/fuzzReport.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import type { Profile } from '../model/device.js';
import { tableRevision } from '../model/calls.js';
import { PROFILE_PER_TRACE } from '../replay/runIdentity.js';
import { rssLimitRecord } from '../replay/rssLimit.js';
import { buildRevision } from './buildRevision.js';
import { packageVersion } from './version.js';

/** What the run was told to do. */
export interface FuzzReportPlan {
  readonly settings: FuzzSettings;
  readonly profile?: Profile | undefined;
  readonly shard: Shard;
  readonly budgetText: FuzzReport['budget'];
  readonly workers: number;
  readonly corpusDir: string;
  readonly corpusMax?: number | undefined;
  /** --rounds: cases per round (absent without). */
  readonly rounds?: number | undefined;
  /** --repros-per-kind. */
  readonly perGroup: number;
  readonly attemptsMax: number;
  readonly workerHeapMb?: number | undefined;
}

/** What only the run itself knows. */
export interface FuzzRunFacts {
  readonly corpusFound: NonNullable<ReportMeta['corpusFound']>;
  readonly interrupted: boolean;
  readonly warnings: readonly string[];
  readonly wallMs: number;
}

export function fuzzReportMeta(p: FuzzReportPlan, run: FuzzRunFacts): ReportMeta {
  const s = p.settings;
  return {
    seed: s.seedText,
    vpdmaVersion: packageVersion(),
    modelRevision: tableRevision(),
    buildRevision: buildRevision(),
    target: s.target,
    profile: p.profile ?? PROFILE_PER_TRACE,
    shard: `${p.shard.index + 1}/${p.shard.count}`,
    budget: p.budgetText,
    callsMax: s.callsMax,
    ...(p.rounds === undefined ? {} : { rounds: p.rounds }),
    ...(s.disabled === undefined ? {} : { disabled: s.disabled }),
    timeoutMs: s.timeoutMs,
    ...(p.workerHeapMb === undefined ? {} : { workerHeapMb: p.workerHeapMb }),
    ...rssLimitRecord(s),
    reprosPerKind: p.perGroup,
    attemptsMax: p.attemptsMax,
    corpusDir: p.corpusDir,
    corpusFound: run.corpusFound,
    ...(p.corpusMax === undefined ? {} : { corpusMax: p.corpusMax }),
    interrupted: run.interrupted,
    warnings: run.warnings,
    workers: p.workers,
    wallMs: run.wallMs,
  };
}
