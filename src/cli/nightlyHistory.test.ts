// Which regression repros a run (or a merge's shards) replayed, and how they came out.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceEntry, type ReportViolation, type TraceEntry } from '../report/replayReport.js';
import { NOT_STARTED, violation, type Violation } from '../replay/violation.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { emptyHistory } from '../report/history.js';
import { readHistory } from './historyFile.js';
import { foldFindings, otherTargetsNote } from './nightlyHistory.js';
import { regressionResults, type ReplayedRun } from './regressionResults.js';

const entry = (trace: string, outcome: TraceEntry['outcome'], violations = 0): TraceEntry => ({
  trace,
  outcome,
  calls: 3,
  violations,
});
/** The repro of memory-corrupted in VideoPort<fn>: its signature is memory-corrupted/<fn>/b8a02000. */
const repro = (fn: string): string => `out/findings/memory-corrupted/${fn}/b8a02000/repro.jsonl`;
const sig = (fn: string): string => `memory-corrupted/${fn}/b8a02000`;
/** Each entry with violations shows one: memory-corrupted in the function its path names. */
const ran = (
  traces: TraceEntry[],
  shows = (_t: string): ReportViolation | undefined => undefined,
): ReplayedRun => ({
  traces,
  violations: traces.flatMap((t) => {
    if (t.violations === 0) return [];
    const fn = /memory-corrupted\/([^/]+)\//.exec(t.trace)?.[1] ?? 'MapDmaMemory';
    return [
      shows(t.trace) ?? {
        ...violation('memory-corrupted', `VideoPort${fn}`, 1, 'x'),
        trace: t.trace,
      },
    ];
  }),
});

describe('regressionResults', () => {
  it('sorts the repros into still failing and passing; other traces and unreadable ones count for neither', () => {
    const r = regressionResults([
      ran([
        entry(repro('MapDmaMemory'), 'fail', 1),
        entry(repro('GetMdl'), 'pass'),
        entry(repro('DoDma'), 'crash', 1),
        entry(repro('SetBytesUsed'), 'invalid'),
        entry('corpus/events.jsonl', 'fail', 2),
      ]),
    ]);
    expect([...r.stillFailing].sort()).toEqual([sig('DoDma'), sig('MapDmaMemory')]);
    expect([...r.passing]).toEqual([sig('GetMdl')]);
    expect([...r.changed.keys()]).toEqual([]);
    // The corpus trace shows what it failed with first.
    expect([...r.shown]).toEqual([[sig('MapDmaMemory'), 'corpus/events.jsonl']]);
  });

  it('a repro that fails another way is neither still failing nor passing: it changed', () => {
    const other = (t: string): ReportViolation | undefined =>
      t.includes('/GetMdl/')
        ? {
            ...violation('map-dma-returned-non-null', 'VideoPortMapDmaMemory', 1, 'non-NULL'),
            trace: t,
          }
        : undefined;
    const traces = [entry(repro('GetMdl'), 'fail', 1), entry(repro('MapDmaMemory'), 'fail', 1)];
    const r = regressionResults([ran(traces, other)]);
    expect([...r.stillFailing]).toEqual([sig('MapDmaMemory')]);
    expect([...r.passing]).toEqual([]);
    expect(r.changed.get(sig('GetMdl'))).toMatchObject({
      trace: repro('GetMdl'),
      now: { kind: 'map-dma-returned-non-null', message: 'non-NULL' },
    });
    // Another shard where it failed as its finding did: still failing, not changed.
    const both = regressionResults([ran(traces, other), ran([entry(repro('GetMdl'), 'fail', 1)])]);
    expect([...both.stillFailing].sort()).toEqual([sig('GetMdl'), sig('MapDmaMemory')]);
    expect(both.changed.size).toBe(0);
  });

  it('a scheme-1 signature fails the same way with the same kind and function, whatever its hash', () => {
    const old = 'return-mismatch/StartDma/6b03782f';
    const t = `out/findings/${old}/repro.jsonl`;
    const wrongRet = {
      ...violation('return-mismatch', 'VideoPortStartDma', 4, 'ret', { field: 'ret' }),
      trace: t,
    };
    const run = { traces: [entry(t, 'fail', 1)], violations: [wrongRet] };
    expect([...regressionResults([run], (s) => s === old).stillFailing]).toEqual([old]);
    expect([...regressionResults([run]).changed.keys()]).toEqual([old]);
  });

  it('--known: a trace is judged by its first violation not known; only known ones, by none', () => {
    const at = (v: Violation, trace: string): ReportViolation => ({ ...v, trace });
    const K = violation('memory-corrupted', 'VideoPortGetMdl', 0, 'k');
    const U = violation('memory-corrupted', 'VideoPortDoDma', 2, 'u');
    const known = new Set([sig('GetMdl')]);
    const traces = [
      entry('corpus/mixed.jsonl', 'fail', 2),
      entry('corpus/only-known.jsonl', 'fail', 1),
      entry(repro('GetMdl'), 'fail', 1),
    ];
    const run = {
      traces,
      violations: [
        at(K, 'corpus/mixed.jsonl'),
        at(U, 'corpus/mixed.jsonl'),
        at(K, 'corpus/only-known.jsonl'),
        at(K, repro('GetMdl')),
      ],
    };
    const r = regressionResults([run], () => false, known);
    expect([...r.judged.values()]).toEqual([sig('DoDma')]);
    expect([...r.shown]).toEqual([[sig('DoDma'), 'corpus/mixed.jsonl']]);
    // Seen all the same: a known bucket is held, and its repro still fails (not fixed).
    expect([...r.knownShown]).toEqual([sig('GetMdl')]);
    expect([...r.stillFailing]).toEqual([sig('GetMdl')]);
    expect(r.failed.has('corpus/only-known.jsonl')).toBe(true);
    // Without --known the first violation judges each.
    expect([...regressionResults([run]).judged.values()]).toEqual([
      sig('GetMdl'),
      sig('GetMdl'),
      sig('GetMdl'),
    ]);
  });

  it('a repro whose replay could not start the target counts for neither (a broken build reopens nothing)', () => {
    const notStarted = { ...entry(repro('GetMdl'), 'timeout', 1), notStarted: true as const };
    const r = regressionResults([ran([notStarted, entry(repro('DoDma'), 'crash', 1)])]);
    expect([...r.stillFailing]).toEqual([sig('DoDma')]);
    expect([...r.passing]).toEqual([]);
  });

  it("a replay's entry says when the target did not start, and only then", () => {
    const ended = (message: string): TraceEntry =>
      traceEntry({
        id: 0,
        label: repro('MapDmaMemory'),
        result: {
          outcome: 'crash',
          calls: 0,
          violations: [violation('target-crashed', '(start)', 0, message)],
        },
      });
    expect(ended(`${NOT_STARTED}: exited (code 1)`).notStarted).toBe(true);
    expect(ended('the target exited (code 9)').notStarted).toBeUndefined();
  });

  it('over shards: failing in any shard is still failing, in any order', () => {
    const one = ran([entry(repro('GetMdl'), 'pass'), entry(repro('DoDma'), 'pass')]);
    const two = ran([entry(repro('GetMdl'), 'fail', 1)]);
    for (const r of [regressionResults([one, two]), regressionResults([two, one])]) {
      expect([...r.stillFailing]).toEqual([sig('GetMdl')]);
      expect([...r.passing]).toEqual([sig('DoDma')]);
    }
  });
});

describe('regressionResults, the traces --history judges', () => {
  it('judges each failing trace by its first violation, and says which traces passed', () => {
    const r = regressionResults([
      ran([
        entry(repro('MapDmaMemory'), 'fail', 1),
        entry(repro('GetMdl'), 'pass'),
        entry('corpus/a.jsonl', 'fail', 2),
        entry('corpus/b.jsonl', 'pass'),
        { ...entry('corpus/c.jsonl', 'crash', 1), notStarted: true },
      ]),
    ]);
    // The repro by its finding's signature; the corpus trace by its first violation's.
    expect([...r.judged]).toEqual([
      ['corpus/a.jsonl', sig('MapDmaMemory')],
      [`findings/${sig('MapDmaMemory')}/repro.jsonl`, sig('MapDmaMemory')],
    ]);
    // What --history records: the traces other than repros failing as their finding did.
    expect([...r.sightings]).toEqual([
      [
        sig('MapDmaMemory'),
        {
          kind: 'memory-corrupted',
          fn: 'VideoPortMapDmaMemory',
          traces: new Set(['corpus/a.jsonl']),
          at: new Map([['corpus/a.jsonl', 1]]),
        },
      ],
    ]);
    // A trace the target never started for is neither.
    expect([...r.tracesPassing].sort()).toEqual([
      'corpus/b.jsonl',
      `findings/${sig('GetMdl')}/repro.jsonl`,
    ]);
  });

  it('a repro that changed is judged, and recorded, by what it fails with now', () => {
    const other = (t: string): ReportViolation | undefined =>
      t.includes('/GetMdl/')
        ? { ...violation('map-dma-returned-non-null', 'VideoPortMapDmaMemory', 1, 'x'), trace: t }
        : undefined;
    const r = regressionResults([ran([entry(repro('GetMdl'), 'fail', 1)], other)]);
    const now = 'map-dma-returned-non-null/MapDmaMemory/b8a02000';
    expect([...r.judged]).toEqual([[`findings/${sig('GetMdl')}/repro.jsonl`, now]]);
    expect([...(r.sightings.get(now)?.traces ?? [])]).toEqual([
      `findings/${sig('GetMdl')}/repro.jsonl`,
    ]);
  });

  it('over shards: a trace passes only if no shard saw it fail; each shard names its repro its own way', () => {
    const shard = (k: number, outcome: 'pass' | 'fail') =>
      ran([
        entry(`s${k}/${repro('GetMdl')}`, 'pass'),
        entry('corpus/a.jsonl', outcome, outcome === 'fail' ? 1 : 0),
      ]);
    for (const r of [
      regressionResults([shard(1, 'pass'), shard(2, 'fail')]),
      regressionResults([shard(2, 'fail'), shard(1, 'pass')]),
    ]) {
      expect([...r.tracesPassing]).toEqual([`findings/${sig('GetMdl')}/repro.jsonl`]);
      expect([...r.judged]).toEqual([['corpus/a.jsonl', sig('MapDmaMemory')]]);
    }
  });
});

describe('foldFindings', () => {
  const finding = (hash: string, minimized: boolean): ReportFinding =>
    ({
      signature: `memory-corrupted/MapDmaMemory/${hash}`,
      kind: 'memory-corrupted',
      fn: 'VideoPortMapDmaMemory',
      trace: `out/findings/memory-corrupted/MapDmaMemory/${hash}/repro.jsonl`,
      minimized,
    }) as ReportFinding;

  it('reports an unminimized finding but keeps it out of the history', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vpdma-fold-')), 'history.json');
    const file = { path, history: emptyHistory(), text: '', note: '' };
    const run = { runId: 'night-1', target: 'model', complete: false };
    const r = foldFindings(
      [finding('cccc0001', true), finding('cccc0002', false)],
      'out',
      file,
      run,
    );
    expect(r.findings.map((f) => f.signature)).toEqual([
      'memory-corrupted/MapDmaMemory/cccc0001',
      'memory-corrupted/MapDmaMemory/cccc0002',
    ]);
    expect(r.findings.map((f) => f.status)).toEqual(['new', 'new']);
    await r.saveHistory();
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { buckets: { signature: string }[] };
    expect(saved.buckets.map((b) => b.signature)).toEqual([
      'memory-corrupted/MapDmaMemory/cccc0001',
    ]);
  });

  it('gives an unminimized finding the status of the bucket it has: regressed when fixed, open when not', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vpdma-fold-')), 'history.json');
    const bucket = (hash: string, fixedSince?: string) => ({
      signature: `memory-corrupted/MapDmaMemory/${hash}`,
      target: 'model',
      kind: 'memory-corrupted',
      fn: 'VideoPortMapDmaMemory',
      firstSeen: 'night-0',
      lastSeen: 'night-0',
      timesSeen: 1,
      ...(fixedSince === undefined ? {} : { fixedSince }),
    });
    const history = {
      ...emptyHistory(),
      buckets: [bucket('dddd0001', 'night-1'), bucket('dddd0002')],
    };
    const file = { path, history, text: '', note: '' };
    const r = foldFindings([finding('dddd0001', false), finding('dddd0002', false)], 'out', file, {
      runId: 'night-2',
      target: 'model',
      complete: true,
    });
    expect(r.findings.map((f) => f.status)).toEqual(['regressed', 'open']);
    expect(r.regressedByReplay).toEqual([]);
    expect(r.fixed).toEqual([]);
  });
});

describe('foldFindings, the verdicts on failing traces', () => {
  const failing = ran([entry('corpus/a.jsonl', 'fail', 1), entry('corpus/b.jsonl', 'pass')]);
  const run = (runId: string) => ({ runId, target: 'model', complete: true });

  it('new without --history; with it, new, then open, fixed once the trace passes, then regressed', async () => {
    const none = foldFindings([], 'out', undefined, run('n1'), regressionResults([failing]));
    expect([...none.traces]).toEqual([
      ['corpus/a.jsonl', { signature: sig('MapDmaMemory'), status: 'new' }],
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'vpdma-fold-')), 'history.json');
    const said: string[] = [];
    // A memory-corrupted bucket's trace passes sampled (open still), then fully checked, as a
    // night replays the traces of such a bucket (fullChecks.ts).
    const passed = entry('corpus/a.jsonl', 'pass');
    const nights = [failing, failing, ran([passed]), ran([{ ...passed, paranoid: true }]), failing];
    for (const [i, night] of nights.entries()) {
      const read = await readHistory(path);
      const history = read.ok ? read.value.history : emptyHistory();
      const r = foldFindings(
        [],
        'out',
        { path, history, text: read.ok ? read.value.text : '', note: '' },
        run(`n${i + 1}`),
        regressionResults([night]),
      );
      await r.saveHistory();
      said.push(r.traces.get('corpus/a.jsonl')?.status ?? r.fixed.map((f) => f.signature).join());
    }
    expect(said).toEqual(['new', 'open', '', sig('MapDmaMemory'), 'regressed']);
  });
  it("an earlier finding's repro failing as it did, with no bucket yet, is recorded: new once", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vpdma-fold-')), 'history.json');
    const night = ran([entry(repro('DoDma'), 'fail', 1)]);
    const said: (string | undefined)[] = [];
    for (const id of ['n1', 'n2']) {
      const read = await readHistory(path);
      const history = read.ok ? read.value.history : emptyHistory();
      const text = read.ok ? read.value.text : '';
      const r = foldFindings(
        [],
        'out',
        { path, history, text, note: '' },
        run(id),
        regressionResults([night]),
      );
      await r.saveHistory();
      said.push(r.traces.get(`findings/${sig('DoDma')}/repro.jsonl`)?.status);
    }
    expect(said).toEqual(['new', 'open']);
    const saved = await readHistory(path);
    expect(saved.ok && saved.value.history.buckets).toEqual([
      expect.objectContaining({ signature: sig('DoDma'), fn: 'VideoPortDoDma', timesSeen: 2 }),
    ]);
  });
});

describe('otherTargetsNote', () => {
  const bucket = (target: string) => ({
    signature: 'return-mismatch/StartDma/f586ddc4',
    target,
    kind: 'return-mismatch',
    fn: 'VideoPortStartDma',
    firstSeen: 'r1',
    lastSeen: 'r1',
    timesSeen: 1,
  });
  const file = (...targets: string[]) => ({
    path: 'h.json',
    history: { ...emptyHistory(), buckets: targets.map(bucket) },
    text: '',
    note: '',
  });

  it('speaks when the history holds findings of other targets only, naming three of them', () => {
    expect(otherTargetsNote('nightly', file('module:/ci/t.mjs'), 'module:./t.mjs')).toBe(
      'vpdma nightly: --history h.json holds findings of other targets only (module:/ci/t.mjs); they are kept per --target SPEC as written, so module:./t.mjs starts a history of its own: spell the target as earlier nights did to carry theirs on\n',
    );
    const many = otherTargetsNote('merge', file('d', 'c', 'b', 'a\nx'), 'e');
    expect(many).toContain('(a x, b, c, and 1 more)');
    expect(many.split('\n')).toHaveLength(2);
  });

  it('is silent without a history, with an empty one, and when the target has findings there', () => {
    expect(otherTargetsNote('nightly', undefined, 't')).toBe('');
    expect(otherTargetsNote('nightly', file(), 't')).toBe('');
    expect(otherTargetsNote('nightly', file('u', 't'), 't')).toBe('');
  });
});
