// Buckets that failing replayed traces opened or saw (HistoryRun.shown): judged as findings are,
// fixed once every trace that failed with them passes on a complete run.
import { describe, expect, it } from 'vitest';
import { A, BUCKET_KEYS, showing } from '../../test/support/historyFixtures.js';
import {
  emptyHistory,
  updateHistory,
  type FindingKey,
  type History,
  type HistoryRun,
} from './history.js';
import { historyJson, parseHistory } from './historyFormat.js';

describe('updateHistory, buckets of failing traces', () => {
  // A partial port: two bundled traces crash in a function it lacks; the fuzzer never finds it.
  const C: FindingKey = {
    signature: 'target-crashed/GetCommonBuffer/b8a02000',
    kind: 'target-crashed',
    fn: 'VideoPortGetCommonBuffer',
  };
  const [T1, T2] = ['/v/corpus/a.jsonl', '/v/corpus/b.jsonl'];
  const night = (runId: string, more: Partial<HistoryRun> = {}): HistoryRun => ({
    runId,
    target: 'model',
    complete: true,
    ...more,
  });
  const failing = (runId: string, ...traces: string[]): HistoryRun =>
    night(runId, { shown: showing(C, ...traces) });
  const first = updateHistory(emptyHistory(), [], failing('n1', T1, T2));

  it('opens a bucket for a signature only a trace showed: new, then open, with its traces', () => {
    expect(first.replayed.get(C.signature)).toEqual({
      status: 'new',
      firstSeen: 'n1',
      timesSeen: 1,
    });
    expect(first.history.buckets).toEqual([
      {
        ...C,
        target: 'model',
        firstSeen: 'n1',
        lastSeen: 'n1',
        timesSeen: 1,
        traces: [T1, T2],
      },
    ]);
    const second = updateHistory(first.history, [], failing('n2', T2));
    expect(second.replayed.get(C.signature)?.status).toBe('open');
    expect(second.history.buckets[0]).toMatchObject({ timesSeen: 2, traces: [T1, T2] });
    // Applied again (a re-run merge job): the same verdicts and history.
    expect(updateHistory(first.history, [], failing('n1', T1, T2))).toEqual(first);
  });

  it('is fixed by a complete run that replayed every trace that failed with it and saw each pass', () => {
    const both = night('n2', { tracesPassing: new Set([T1, T2]) });
    const fixed = updateHistory(first.history, [], both);
    expect(fixed.fixed.map((f) => [f.signature, f.fixedSince])).toEqual([[C.signature, 'n2']]);
    // Back: regressed, as a finding would be.
    const back = updateHistory(fixed.history, [], failing('n3', T2));
    expect(back.replayed.get(C.signature)).toMatchObject({ status: 'regressed', fixedSince: 'n2' });
    expect(back.history.buckets[0]).not.toHaveProperty('fixedSince');
  });

  it('is not fixed by a run that left one of them out, was not complete, or saw its repro change', () => {
    const cases: HistoryRun[] = [
      // --budget-replay skipped it, --disable left it out, or the --replay was not given.
      night('n2', { tracesPassing: new Set([T1]) }),
      night('n2', { tracesPassing: new Set() }),
      // Interrupted, or one shard.
      night('n2', { tracesPassing: new Set([T1, T2]), complete: false }),
      // Its regression repro (a finding with its signature, since) failed another way.
      night('n2', { tracesPassing: new Set([T1, T2]), reprosChanged: new Set([C.signature]) }),
    ];
    for (const run of cases) {
      const u = updateHistory(first.history, [], run);
      expect(u.fixed, JSON.stringify([...(run.tracesPassing ?? [])])).toEqual([]);
      expect(u.history).toEqual(first.history);
    }
  });

  it("a finding's bucket a trace showed too waits for that trace as for its repro", () => {
    const found = updateHistory(emptyHistory(), [A], night('n1', { shown: showing(A, T1) }));
    expect(found.statuses.get(A.signature)?.status).toBe('new');
    expect(found.history.buckets[0]?.traces).toEqual([T1]);
    const reproOnly = night('n2', { passing: new Set([A.signature]) });
    expect(updateHistory(found.history, [], reproOnly).fixed).toEqual([]);
    const all = night('n2', {
      passing: new Set([A.signature]),
      tracesPassing: new Set([T1]),
      // A is memory-corrupted: its repro and trace must have been replayed with all memory compared.
      reprosFullyChecked: new Set([A.signature]),
      tracesFullyChecked: new Set([T1]),
    });
    expect(updateHistory(found.history, [], all).fixed.map((f) => f.signature)).toEqual([
      A.signature,
    ]);
    const sampled = { ...all, tracesFullyChecked: new Set<string>() };
    expect(updateHistory(found.history, [], sampled).fixed).toEqual([]);
  });

  it('continues an open scheme-1 bucket of its kind and function, as a finding does', () => {
    const old = {
      signature: 'target-crashed/GetCommonBuffer/11111111',
      target: 'model',
      kind: C.kind,
      fn: C.fn,
      firstSeen: 'n0',
      lastSeen: 'n0',
      timesSeen: 4,
      signatureScheme: 1 as const,
    };
    const h: History = { ...emptyHistory(), buckets: [old] };
    const u = updateHistory(h, [], failing('n1', T1));
    expect(u.replayed.get(C.signature)).toEqual({ status: 'open', firstSeen: 'n0', timesSeen: 5 });
  });

  it("writes a bucket's traces after timesSeen, sorted, and reads them back", () => {
    const shown = new Map([[A.signature, { kind: A.kind, fn: A.fn, traces: ['t/b', 't/a'] }]]);
    const withTraces = updateHistory(emptyHistory(), [], { ...night('r3'), shown }).history;
    const text = historyJson(withTraces);
    expect(parseHistory(text)).toEqual({ ok: true, value: withTraces });
    const bucket = (JSON.parse(text) as History).buckets[0] ?? {};
    expect(Object.keys(bucket)).toEqual([...BUCKET_KEYS, 'traces']);
    expect(bucket).toHaveProperty('traces', ['t/a', 't/b']);
    // Hand-edited out of order, or twice: read as written.
    const edited = text.replace('"t/a",', '"t/b", "t/a",');
    expect(parseHistory(edited)).toEqual({ ok: true, value: withTraces });
  });

  it('writes where each trace showed it (shownAt) after its traces, keys sorted, and reads it back', () => {
    const at = new Map([
      ['t/b', 7],
      ['t/a', 3],
    ]);
    const shown = new Map([[A.signature, { kind: A.kind, fn: A.fn, traces: ['t/b', 't/a'], at }]]);
    const h = updateHistory(emptyHistory(), [], { ...night('r3'), shown }).history;
    const text = historyJson(h);
    expect(parseHistory(text)).toEqual({ ok: true, value: h });
    const bucket = (JSON.parse(text) as History).buckets[0];
    expect(Object.keys(bucket ?? {})).toEqual([...BUCKET_KEYS, 'traces', 'shownAt']);
    expect(Object.entries(bucket?.shownAt ?? {})).toEqual([
      ['t/a', 3],
      ['t/b', 7],
    ]);
    // A later sighting moves it; a trace not shown again keeps its call.
    const again = new Map([
      [A.signature, { kind: A.kind, fn: A.fn, traces: ['t/a'], at: new Map([['t/a', 9]]) }],
    ]);
    const moved = updateHistory(h, [], { ...night('r4'), shown: again }).history;
    expect(moved.buckets[0]?.shownAt).toEqual({ 't/a': 9, 't/b': 7 });
    // Not a call index, or a trace the bucket does not have: refused, naming the place.
    const bad = (from: string, to: string) => parseHistory(text.replace(from, to));
    expect(bad('"t/a": 3', '"t/a": -1')).toEqual({
      ok: false,
      error: 'buckets[0].shownAt: "t/a": expected a call index (an integer, 0 or more)',
    });
    expect(bad('"t/a": 3', '"t/c": 3')).toEqual({
      ok: false,
      error: 'buckets[0].shownAt: "t/c" is not one of the bucket\'s traces',
    });
    expect(bad(/"shownAt": \{[^}]*\}/.exec(text)?.[0] ?? '?', '"shownAt": {}')).toEqual({
      ok: false,
      error: 'buckets[0].shownAt: expected a non-empty object of traces and call indexes',
    });
  });

  it('a failing trace that got past where it showed the bucket no longer holds it open', () => {
    const shown = new Map([
      [C.signature, { kind: C.kind, fn: C.fn, traces: [T1], at: new Map([[T1, 4]]) }],
    ]);
    const h = updateHistory(emptyHistory(), [], { ...night('n1'), shown }).history;
    const failedAt = (stoppedAt: number) =>
      night('n2', {
        failedTraces: new Map([
          [
            T1,
            {
              signatures: new Set(['x/Y/1']),
              stoppedAt,
              firstAt: stoppedAt,
              calls: 9,
              toEnd: true,
              unlistedKinds: new Set<string>(),
            },
          ],
        ]),
      });
    expect(updateHistory(h, [], failedAt(4)).fixed).toEqual([]);
    expect(updateHistory(h, [], failedAt(5)).fixed.map((f) => f.signature)).toEqual([C.signature]);
  });
});
