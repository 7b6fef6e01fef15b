// A fault of vpdma itself part way through a campaign (a bug thrown out of runFuzz, at hour 5
// of a night as well as at its start): what the run gathered before it (the cases counted,
// the corpus entries kept, the findings written) still makes the run's reports, with
// `harnessError` saying it was vpdma, not the target. The fault is thrown again once they are
// written: main() tells it with its stack (exit 3), as replay's runReplaysOrFault does.
import type { CampaignProgress, CampaignResult } from '../fuzz/campaign.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { runFuzz, type FuzzRunIo, type FuzzRunOptions, type FuzzRunResult } from '../fuzz/run.js';
import { shardIndex } from '../fuzz/shard.js';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';

export interface FaultedFuzz {
  /** runFuzz's result; after a fault, what was gathered before it (the lists it cannot vouch for empty). */
  readonly result: FuzzRunResult;
  /** The fault's one-line message, as report.json's `harnessError` says it. */
  readonly harnessError?: string;
  /** Thrown again once the reports are written. */
  readonly fault?: Error;
}

export async function runFuzzOrFault(o: FuzzRunOptions, io: FuzzRunIo): Promise<FaultedFuzz> {
  const started = performance.now();
  let last: CampaignProgress | undefined;
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
    const what = `${fault.name}: ${fault.message}`.split('\n')[0] ?? '';
    const cases = last?.cases ?? 0;
    const elapsedMs = performance.now() - started;
    const campaign: CampaignResult = {
      cases,
      runsEquivalent: cases === 0 ? 0 : shardIndex(o.shard, cases - 1) + 1,
      calls: last?.calls ?? 0,
      coverage: last?.coverage ?? 0,
      // Which case reached what first lives in the campaign that failed: not in this report.
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
    // The failing cases the campaign had not handed on: counted, with how to run them again.
    const failing = last?.failing ?? 0;
    if (failing > 0)
      io.warn?.(
        `${plural(failing, 'failing case')} (${plural(last?.kinds ?? 0, 'kind and function pair')}) found before vpdma failed, ${findings.length} written as findings: the same seed and options with --runs ${campaign.runsEquivalent} run these cases again`,
      );
    return {
      result: {
        campaign,
        baseSize: o.base.length - dropped,
        baseId: '',
        baseMs: 0,
        keptFiles: [...keptFiles].sort((a, b) => a.caseIndex - b.caseIndex),
        reached: {},
        groups: [],
        findings,
        unconfirmed: [],
        fuzzMs: elapsedMs,
        minimizeMs: 0,
        workersStarted: 0,
      },
      harnessError: oneLine(`internal error (please report it): ${what}`),
      fault,
    };
  }
}
