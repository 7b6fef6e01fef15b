// Minimization's time budget, on an injected clock (dist/ must be built for the pool): once it is
// spent, the findings left are still reported, unminimized, and the report says why; without
// it every finding is minimized. Time moves only when minimization reports progress, so what
// is cut does not depend on the machine.
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { fuzzIo } from '../cli/fuzzIo.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import { buildFuzzReport, formatFuzzSummary, type FuzzReport } from './fuzzReport.js';
import { reportFindingOf } from './outputs.js';
import { runFuzz, type MinimizeStatus } from './run.js';
import { testReportMeta } from '../../test/support/reportMeta.js';

const settings = fuzzSettings('mutant:drops-map-registers');
const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');

interface Hooks {
  readonly signal?: AbortSignal;
  /** Called at the first minimization status (once the fuzz phase is over). */
  readonly onMinimizing?: (statuses: readonly MinimizeStatus[]) => void;
  /** Called as each finding is written (after every one was minimized). */
  readonly onWrite?: () => void;
}

/** A run of 160 cases; each minimization status moves the clock on by `stepMs`. */
async function run(minimizeTimeMs: number | undefined, stepMs: number, hooks: Hooks = {}) {
  const { signal, onMinimizing, onWrite } = hooks;
  let t = 0;
  const statuses: MinimizeStatus[] = [];
  const io = fuzzIo({
    keep: (trace) => Promise.resolve(contentName(encodeVpt(trace))),
    writeFinding: (f) => {
      onWrite?.();
      return Promise.resolve(
        reportFindingOf(f, settings, { jsonl: 'mem', txt: 'mem', vpt: 'mem' }),
      );
    },
    minimizing: (s) => {
      statuses.push(s);
      if (statuses.length === 1) onMinimizing?.(statuses);
      t += stepMs;
    },
  });
  const r = await runFuzz(
    {
      settings,
      base,
      shard: { index: 0, count: 1 },
      runs: 160,
      workers: 1,
      perGroup: 2,
      attemptsMax: 800,
      ...(minimizeTimeMs === undefined ? {} : { minimizeTimeMs }),
      ...(signal === undefined ? {} : { signal }),
      now: () => t,
    },
    io,
  );
  const report = buildFuzzReport(
    r,
    testReportMeta({
      seed: '7',
      target: settings.target,
      budget: { runs: 160, ...(minimizeTimeMs === undefined ? {} : { minimizeTime: '1s' }) },
      callsMax: 48,
      reprosPerKind: 2,
      attemptsMax: 800,
      workers: 1,
    }),
  );
  return { report, statuses };
}

const minimizedOf = (r: FuzzReport): boolean[] => r.findings.map((f) => f.minimized);

describe('--minimize-time', () => {
  let whole: FuzzReport;

  it('unbounded: every finding is minimized, and progress counts cases and attempts', async () => {
    // A signal once they are being written cuts none short: the report does not say it did.
    const ac = new AbortController();
    const { report, statuses } = await run(undefined, 1000, {
      signal: ac.signal,
      onWrite: () => ac.abort(),
    });
    whole = report;
    expect(ac.signal.aborted).toBe(true);
    expect(report.minimizeStoppedBy).toBeUndefined();
    expect(report.findings.length).toBeGreaterThan(1);
    expect(minimizedOf(report).every((m) => m)).toBe(true);
    const last = statuses[statuses.length - 1];
    expect(last?.current).toBe(last?.total);
    expect(last?.attempts).toBeGreaterThan(10);
    expect(statuses.map((s) => s.attempts)).toEqual(
      [...statuses.map((s) => s.attempts)].sort((a, b) => a - b),
    );
  });

  it('spent: the findings left are reported unminimized, and the report says why', async () => {
    // 1 s of budget, 400 ms per status: spent during the first case's minimization.
    const { report, statuses } = await run(1000, 400);
    expect(report.minimizeStoppedBy).toBe('time');
    expect(statuses.length).toBeLessThan(40);
    // Every group is still reported: as findings, or as cases that did not fail again.
    const groupsShown = new Set(
      [...report.findings, ...report.unconfirmed].map((f) => `${f.kind} ${f.fn}`),
    );
    expect(groupsShown.size).toBeGreaterThanOrEqual(whole.groups.length);
    const unminimized = report.findings.filter((f) => !f.minimized);
    expect(unminimized.length).toBeGreaterThan(0);
    for (const f of unminimized) {
      expect(f.reproduced).toBe('1/1');
      expect(f.reproCalls).toBe(f.originalCalls);
    }
    // The first case's minimization was cut short: kept, but not known to be 1-minimal.
    expect(report.findings[0]).toMatchObject({ minimized: true, exhausted: true });
    expect(formatFuzzSummary(report)).toContain(
      'minimization stopped: its time budget (--minimize-time 1s) was spent',
    );
  });
});

// Ctrl-C's handler runs as a macrotask (so does this timer): the repro candidates of model and
// mutant targets replay in this thread (InlineExecutor), which must give the event loop turns,
// or the signal would be heard only once every finding was minimized.
describe('a signal during minimization', () => {
  it('is heard within a batch of candidates: the findings left are reported unminimized', async () => {
    const ac = new AbortController();
    let atAbort: MinimizeStatus | undefined;
    let timer: NodeJS.Timeout | undefined;
    const { report, statuses } = await run(undefined, 0, {
      signal: ac.signal,
      onMinimizing: (seen) => {
        timer = setTimeout(() => {
          atAbort = seen[seen.length - 1];
          ac.abort();
        }, 0);
      },
    });
    clearTimeout(timer);
    expect(atAbort, 'the timer never ran during minimization').toBeDefined();
    expect(report.minimizeStoppedBy).toBe('signal');
    // Replayed after the abort: the batch under way (workers × 4 candidates) and one re-run of
    // the repro it leaves, where the whole run replays thousands.
    const last = statuses[statuses.length - 1];
    expect((last?.attempts ?? 0) - (atAbort?.attempts ?? 0)).toBeLessThanOrEqual(4 + 1);
    expect(report.findings.length).toBeGreaterThan(1);
    const unminimized = report.findings.filter((f) => !f.minimized);
    expect(unminimized.length).toBeGreaterThan(0);
    for (const f of unminimized) expect(f.reproCalls).toBe(f.originalCalls);
  });
});
