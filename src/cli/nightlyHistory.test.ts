// Which regression repros a run (or a merge's shards) replayed, and how they came out.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceEntry, type TraceEntry } from '../report/replayReport.js';
import { NOT_STARTED, violation } from '../replay/violation.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { emptyHistory } from '../report/history.js';
import { foldFindings, regressionResults } from './nightlyHistory.js';

const entry = (trace: string, outcome: TraceEntry['outcome'], violations = 0): TraceEntry => ({
  trace,
  outcome,
  calls: 3,
  violations,
});
const repro = (hash: string): string =>
  `out/findings/memory-corrupted/MapDmaMemory/${hash}/repro.jsonl`;

describe('regressionResults', () => {
  it('sorts the repros into still failing and passing; other traces and unreadable ones count for neither', () => {
    const r = regressionResults([
      entry(repro('aaaa0001'), 'fail', 1),
      entry(repro('aaaa0002'), 'pass'),
      entry(repro('aaaa0003'), 'crash'),
      entry(repro('aaaa0004'), 'invalid'),
      entry('corpus/events.jsonl', 'fail', 2),
    ]);
    expect([...r.stillFailing].sort()).toEqual([
      'memory-corrupted/MapDmaMemory/aaaa0001',
      'memory-corrupted/MapDmaMemory/aaaa0003',
    ]);
    expect([...r.passing]).toEqual(['memory-corrupted/MapDmaMemory/aaaa0002']);
  });

  it('a repro whose replay could not start the target counts for neither (a broken build reopens nothing)', () => {
    const notStarted = { ...entry(repro('cccc0001'), 'timeout', 1), notStarted: true as const };
    const r = regressionResults([notStarted, entry(repro('cccc0002'), 'crash', 1)]);
    expect([...r.stillFailing]).toEqual(['memory-corrupted/MapDmaMemory/cccc0002']);
    expect([...r.passing]).toEqual([]);
  });

  it("a replay's entry says when the target did not start, and only then", () => {
    const ended = (message: string): TraceEntry =>
      traceEntry({
        id: 0,
        label: repro('dddd0001'),
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
    const one = [entry(repro('bbbb0001'), 'pass'), entry(repro('bbbb0002'), 'pass')];
    const two = [entry(repro('bbbb0001'), 'fail', 1)];
    for (const r of [regressionResults(one, two), regressionResults(two, one)]) {
      expect([...r.stillFailing]).toEqual(['memory-corrupted/MapDmaMemory/bbbb0001']);
      expect([...r.passing]).toEqual(['memory-corrupted/MapDmaMemory/bbbb0002']);
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
    const file = { path, history: emptyHistory() };
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
});
