// A fixed bug that a trace also showed is fixed once that trace can no longer show it, though
// the trace now fails first with another bug for good (a documented divergence); back, it is
// regressed. In process: replays as their reports have them, folded into a history file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldNights } from '../../test/support/historyNights.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import type { ReportViolation, TraceEntry } from '../report/replayReport.js';
import { violation, type ViolationKind } from '../replay/violation.js';
import type { Folded } from './nightlyHistory.js';
import { failedTrace, type ReplayedRun } from './regressionResults.js';

const T = 'corpus/legacy-mapdma-during-transfers.jsonl';
const at = (trace: string, kind: ViolationKind, fn: string, call: number, field?: string) => ({
  ...violation(kind, fn, call, 'x', field === undefined ? {} : { field }),
  trace,
});
/** Bug A (an obsolete-call kind), and the divergence that never goes away. */
const mapDma = (trace: string, call = 16) =>
  at(trace, 'map-dma-wrote-out-param', 'VideoPortMapDmaMemory', call, 'out.virtualAddress');
const getMdl = (trace: string) => at(trace, 'recorded-mismatch', 'VideoPortGetMdl', 20, 'ret');
/** Bug O (an oracle comparison). */
const actual = (trace: string, call = 5) =>
  at(trace, 'out-param-mismatch', 'VideoPortGetCommonBuffer', call, 'out.pActualLength');
const pool = (trace: string) => at(trace, 'return-mismatch', 'VideoPortAllocatePool', 2, 'ret');
const A = signatureOfViolation(mapDma(T));
const O = signatureOfViolation(actual(T));
const repro = (s: string): string => `out/findings/${s}/repro.jsonl`;

/** One night's replay: each trace with its violations (none: passed); `more` for T's entry. */
function night(
  traces: Record<string, ReportViolation[]>,
  more: Partial<TraceEntry> = {},
): ReplayedRun {
  const entries = Object.entries(traces).map(([trace, vs]) => ({
    trace,
    outcome: vs.length === 0 ? ('pass' as const) : ('fail' as const),
    calls: 40,
    violations: vs.length,
    ...(trace === T ? more : {}),
  }));
  return { traces: entries, violations: Object.values(traces).flat() };
}

/** Folds the nights in turn into one history file, as nightly does; each night's verdicts. */
const nights = (runs: readonly ReplayedRun[], path: string): Promise<Folded[]> =>
  foldNights(runs, path, 'out');

const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'vpdma-trace-past-')), 'history.json');

describe('a bucket a trace held open, fixed once the trace can no longer show it', () => {
  it('an obsolete-call kind: fixed when the trace lists none of it; back, regressed', async () => {
    const path = tmp();
    const [n1, n2, n3] = await nights(
      [
        night({ [repro(A)]: [mapDma(repro(A), 0)], [T]: [mapDma(T), getMdl(T)] }),
        night({ [repro(A)]: [], [T]: [getMdl(T)] }),
        night({ [repro(A)]: [mapDma(repro(A), 0)], [T]: [mapDma(T), getMdl(T)] }),
      ],
      path,
    );
    expect(n1?.traces.get(T)).toEqual({ signature: A, status: 'new' });
    expect(n2?.fixed.map((f) => f.signature)).toEqual([A]);
    expect(n2?.stillOpen).toEqual([]);
    expect(n3?.regressedByReplay.map((x) => [x.signature, x.fixedSince])).toEqual([[A, 'n2']]);
    expect(n3?.traces.get(T)).toEqual({ signature: A, status: 'regressed' });
  });

  it('not while the trace stops before it, or still lists it after the first violation', async () => {
    const path = tmp();
    const crashed = night(
      { [repro(A)]: [], [T]: [at(T, 'target-crashed', 'VideoPortDoDma', 9)] },
      { outcome: 'crash', calls: 10 },
    );
    const later = night({
      [repro(A)]: [],
      [T]: [pool(T), mapDma(T)],
    });
    const [, n2, n3] = await nights(
      [night({ [repro(A)]: [mapDma(repro(A), 0)], [T]: [mapDma(T)] }), crashed, later],
      path,
    );
    for (const n of [n2, n3]) {
      expect(n?.fixed).toEqual([]);
      const open = n?.stillOpen.find((x) => x.signature === A);
      expect(open?.waitingFor.map((w) => w.trace)).toEqual([T]);
    }
    // The crash, at call 9, is held open by the bug at call 2 as well.
    expect(n3?.stillOpen.map((x) => x.signature)).toEqual([A, 'target-crashed/DoDma/b8a02000']);
  });

  it('an oracle kind: fixed once the trace fails first past the call where it showed it', async () => {
    const path = tmp();
    const [n1, n2, n3, n4] = await nights(
      [
        night({ [repro(O)]: [actual(repro(O), 1)], [T]: [actual(T)] }),
        // Another bug first, before its call: it could not be compared there.
        night({ [repro(O)]: [], [T]: [pool(T)] }),
        night({ [repro(O)]: [], [T]: [getMdl(T)] }),
        night({ [repro(O)]: [actual(repro(O), 1)], [T]: [actual(T)] }),
      ],
      path,
    );
    expect(n1?.fixed).toEqual([]);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { buckets: unknown[] };
    expect(saved.buckets).toContainEqual(
      expect.objectContaining({ signature: O, traces: [T], shownAt: { [T]: 5 } }),
    );
    expect(n2?.stillOpen.map((x) => x.why)).toEqual([
      `not seen tonight; its repro passed; still open while ${T} fails (now with ${signatureOfViolation(pool(T))})`,
    ]);
    // So is the bug at call 2 that the trace failed with first on night 2.
    expect(n3?.fixed.map((f) => f.signature)).toEqual([O, signatureOfViolation(pool(T))].sort());
    expect(n4?.regressedByReplay.map((x) => x.signature)).toEqual([O]);
  });

  it('an oracle kind in a history written before shownAt: still open, as before', async () => {
    const path = tmp();
    await nights([night({ [repro(O)]: [actual(repro(O), 1)], [T]: [actual(T)] })], path);
    const text = readFileSync(path, 'utf8');
    const old = JSON.parse(text) as { buckets: { shownAt?: unknown }[] };
    for (const b of old.buckets) delete b.shownAt;
    writeFileSync(path, JSON.stringify(old));
    const [n2] = await nights([night({ [repro(O)]: [], [T]: [getMdl(T)] })], path);
    expect(n2?.fixed).toEqual([]);
    expect(n2?.stillOpen.map((x) => x.signature)).toEqual([O]);
  });
});

describe('failedTrace', () => {
  const entry = (more: Partial<TraceEntry> = {}): TraceEntry => ({
    trace: T,
    outcome: 'fail',
    calls: 40,
    violations: 2,
    ...more,
  });

  it('what its entry and violations say: signatures, the first call it stopped agreeing at', () => {
    expect(
      failedTrace(entry({ detachedAt: 18, recordedDetachedAt: 25 }), [getMdl(T), mapDma(T, 30)]),
    ).toEqual({
      signatures: new Set([signatureOfViolation(getMdl(T)), A]),
      stoppedAt: 18,
      firstAt: 20,
      calls: 40,
      toEnd: true,
      unlistedKinds: new Set(),
    });
  });

  it('a replay cut short stops where it stopped; unlisted kinds are named', () => {
    const cut = failedTrace(
      entry({ outcome: 'fail', interrupted: true, calls: 12, violations: 1 }),
      [getMdl(T)],
    );
    expect(cut).toMatchObject({ stoppedAt: 12, firstAt: 20, calls: 12, toEnd: false });
    const capped = failedTrace(entry({ violations: 3, unlisted: { 'recorded-mismatch': 2 } }), [
      getMdl(T),
    ]);
    expect(capped?.unlistedKinds).toEqual(new Set(['recorded-mismatch']));
  });

  it('cannot tell when violations are counted but not there', () => {
    expect(failedTrace(entry(), [getMdl(T)])).toBeUndefined();
    expect(failedTrace(entry({ violations: 0, outcome: 'crash' }), [])).toBeUndefined();
  });
});
