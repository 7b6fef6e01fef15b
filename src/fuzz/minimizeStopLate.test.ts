// A signal heard once the last finding's minimization has ended, during its final re-runs,
// cut nothing short: the report does not say minimization stopped (minimizeStoppedBy), as
// report-json.md has it ("absent when a stop cut none"). Heard during the re-runs before its
// minimization, it did stop it. The signal is raised from the replay pool's door, as the runs
// of REPRODUCE_TIMES copies of one trace begin: no timer, nothing left to the machine's speed.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { testReportMeta } from '../../test/support/reportMeta.js';
import { fuzzIo } from '../cli/fuzzIo.js';
import type { Executor } from '../replay/executor.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import { buildFuzzReport } from './fuzzReport.js';
import { reportFindingOf } from './outputs.js';
import { runFuzz } from './run.js';

const settings = fuzzSettings('mutant:mapdma-writes-length');
const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');

/** Whether a run replays one trace several times over: a re-run, not a batch of candidates. */
function reRun(e: Parameters<Executor['run']>[0]): boolean {
  const items = e.flatMap((t) => t.items);
  const first = items[0]?.bytes;
  return (
    items.length > 1 &&
    first !== undefined &&
    items.every((x) => x.bytes !== undefined && Buffer.from(first).equals(x.bytes))
  );
}

/** One case, one finding; the signal raised as the `at`th re-run (1: before minimizing) begins. */
async function signalledAt(at: number) {
  const ac = new AbortController();
  let reRuns = 0;
  const io = fuzzIo({
    keep: (trace) => Promise.resolve(contentName(encodeVpt(trace))),
    writeFinding: (f) =>
      Promise.resolve(reportFindingOf(f, settings, { jsonl: 'mem', txt: 'mem', vpt: 'mem' })),
  });
  const replayExecutor = (n: number, target: string, hangs: boolean): Executor => {
    const inner = io.replayExecutor(n, target, hangs);
    return {
      workers: inner.workers,
      run: (tasks, control) => {
        if (reRun(tasks) && ++reRuns === at) ac.abort();
        return inner.run(tasks, control);
      },
      close: () => inner.close(),
    };
  };
  const r = await runFuzz(
    {
      settings,
      base,
      shard: { index: 0, count: 1 },
      runs: 1,
      workers: 1,
      perGroup: 1,
      attemptsMax: 800,
      signal: ac.signal,
    },
    { ...io, replayExecutor },
  );
  const meta = { seed: '7', target: settings.target, budget: { runs: 1 }, callsMax: 48 };
  const report = buildFuzzReport(
    r,
    testReportMeta({ ...meta, reprosPerKind: 1, attemptsMax: 800, workers: 1 }),
  );
  return { report, reRuns };
}

describe('a signal during the findings’ re-runs', () => {
  it('after the last minimization ended: nothing was cut, and the report does not say it was', async () => {
    const { report, reRuns } = await signalledAt(2);
    expect(reRuns, 'the re-runs before and after minimizing').toBe(2);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ minimized: true, exhausted: false });
    expect(report.findings[0]?.reproduced).toBe('3/3');
    expect(report.minimizeStoppedBy).toBeUndefined();
  });

  it('before its minimization: that finding is left unminimized, and the report says why', async () => {
    const { report, reRuns } = await signalledAt(1);
    // Not minimized, its re-runs before stand for the count: none after.
    expect(reRuns).toBe(1);
    expect(report.findings[0]).toMatchObject({ minimized: false });
    expect(report.minimizeStoppedBy).toBe('signal');
  });
});
