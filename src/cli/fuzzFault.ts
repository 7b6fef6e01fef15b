// A fault of vpdma itself part way through a campaign (a bug thrown out of runFuzz, at hour 5
// of a night as well as at its start): what the run gathered before it (the cases counted,
// the corpus entries kept, the findings written) still makes the run's reports, with
// `harnessError` saying it was vpdma, not the target. The fault is thrown again once they are
// written: main() tells it with its stack (exit 3), as replay's runReplaysOrFault does.
import type { CampaignProgress, CampaignResult } from '../fuzz/campaign.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import {
  runFuzz,
  type Fuzzed,
  type FuzzRunIo,
  type FuzzRunOptions,
  type FuzzRunResult,
} from '../fuzz/run.js';
import { shardIndex } from '../fuzz/shard.js';
import { faultText } from './faultText.js';
import { plural } from '../core/plural.js';

export interface FaultedFuzz {
  /** runFuzz's result; after a fault, what was gathered before it. */
  readonly result: FuzzRunResult;
  /** The fault's one-line message, as report.json's `harnessError` says it. */
  readonly harnessError?: string;
  /**
   * Where the fault came: in the campaign (its counts are those its progress last gave, the
   * lists only it knew are empty), or after it, while the findings were minimized and written.
   */
  readonly faultIn?: 'campaign' | 'findings';
  /** Thrown again once the reports are written. */
  readonly fault?: Error;
}

export async function runFuzzOrFault(o: FuzzRunOptions, io: FuzzRunIo): Promise<FaultedFuzz> {
  const started = performance.now();
  let last: CampaignProgress | undefined;
  let fuzzed: { readonly at: number; readonly r: Fuzzed } | undefined;
  let dropped = 0;
  const keptFiles: { caseIndex: number; file: string }[] = [];
  const findings: ReportFinding[] = [];
  // Corpus writes still under way when the fault came: each is waited for, so that every
  // entry on disk is one the report lists.
  const writing = new Set<Promise<string>>();
  const watched: FuzzRunIo = {
    ...io,
    keep: (trace) => {
      const c = trace.header.meta['case'];
      const write = io.keep(trace).then((file) => {
        keptFiles.push({ caseIndex: typeof c === 'number' ? c : -1, file });
        return file;
      });
      const done = (): boolean => writing.delete(write);
      writing.add(write);
      write.then(done, done);
      return write;
    },
    writeFinding: async (f) => {
      const written = await io.writeFinding(f);
      findings.push(written);
      return written;
    },
    progress: (p) => {
      last = p;
      io.progress?.(p);
    },
    fuzzed: (r) => {
      fuzzed = { at: performance.now(), r };
      io.fuzzed?.(r);
    },
  };
  const drop = io.drop?.bind(io);
  if (drop !== undefined)
    watched.drop = (names) => {
      dropped = names.length;
      return drop(names);
    };
  try {
    return { result: await runFuzz(o, watched) };
  } catch (e) {
    const fault = e instanceof Error ? e : new Error(String(e));
    await Promise.allSettled([...writing]);
    const after = { groups: [], findings, unconfirmed: [] };
    const result: FuzzRunResult =
      fuzzed === undefined
        ? { ...cutShort(o, last, keptFiles, dropped, performance.now() - started), ...after }
        : { ...fuzzed.r, ...after, minimizeMs: performance.now() - fuzzed.at };
    const c = result.campaign;
    // The failing cases not written as findings: counted, with how to run them again.
    const kinds = fuzzed === undefined ? (last?.kinds ?? 0) : c.hits.size;
    if (c.failingCount > 0)
      io.warn?.(
        `${plural(c.failingCount, 'failing case')} (${plural(kinds, 'kind and function pair')}) found before vpdma failed, ${findings.length} written as findings: the same seed and options with --runs ${c.runsEquivalent} run these cases again`,
      );
    return {
      result,
      harnessError: faultText(fault),
      faultIn: fuzzed === undefined ? 'campaign' : 'findings',
      fault,
    };
  }
}

/** A run the fault cut short in its campaign: what its progress last said, and the kept files. */
function cutShort(
  o: FuzzRunOptions,
  last: CampaignProgress | undefined,
  keptFiles: readonly { readonly caseIndex: number; readonly file: string }[],
  /** Entries --corpus-max left out of the base. */
  dropped: number,
  elapsedMs: number,
): Fuzzed & Pick<FuzzRunResult, 'minimizeMs'> {
  const cases = last?.cases ?? 0;
  const campaign: CampaignResult = {
    cases,
    runsEquivalent: cases === 0 ? 0 : shardIndex(o.shard, cases - 1) + 1,
    calls: last?.calls ?? 0,
    coverage: last?.coverage ?? 0,
    // Which case reached what first lived in the campaign that failed: not in this report.
    firstSeen: new Map(),
    ...(last?.targetEdges === undefined
      ? {}
      : { edgesFirstSeen: new Map(), baseEdges: last.targetEdges }),
    reached: [],
    kept: keptFiles.map((k) => k.caseIndex),
    failing: [],
    failingCount: last?.failing ?? 0,
    hits: new Map(),
    stoppedBy: 'signal',
    elapsedMs,
  };
  return {
    campaign,
    baseSize: o.base.length - dropped,
    baseId: '',
    baseMs: 0,
    keptFiles: [...keptFiles].sort((a, b) => a.caseIndex - b.caseIndex),
    reached: {},
    fuzzMs: elapsedMs,
    minimizeMs: 0,
    workersStarted: 0,
  };
}
