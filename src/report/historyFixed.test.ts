// When a run marks an open bucket fixed: its repro failing another way, and a memory-corrupted
// bucket's need of replays comparing all memory.
import { describe, expect, it } from 'vitest';
import type { HistoryBucket, HistoryRun } from './history.js';
import { needsFullCheck, passesNow, reproVerdict, traceGone } from './historyFixed.js';
import type { FailedTrace } from './historyShows.js';

const bucket = (kind: string, more: Partial<HistoryBucket> = {}): HistoryBucket => ({
  signature: `${kind}/F/1`,
  target: 'model',
  kind,
  fn: 'VideoPortF',
  firstSeen: 'n1',
  lastSeen: 'n1',
  timesSeen: 1,
  ...more,
});
const night = (more: Partial<HistoryRun>): HistoryRun => ({
  runId: 'n2',
  target: 'model',
  complete: true,
  ...more,
});
/** Failing first with another signature at `stoppedAt` (the call answered). */
const failing = (stoppedAt: number): FailedTrace => ({
  signatures: new Set(['other/G/2']),
  stoppedAt,
  firstAt: stoppedAt,
  calls: stoppedAt + 1,
  toEnd: true,
  unlistedKinds: new Set(),
});
const changed = (b: HistoryBucket, at: number | undefined, stoppedAt: number): HistoryRun =>
  night({
    reprosChanged: new Set([b.signature]),
    changedRepros: new Map([
      [b.signature, { ...(at === undefined ? {} : { at }), failed: failing(stoppedAt) }],
    ]),
  });

describe('a repro failing another way', () => {
  const b = bucket('return-mismatch');

  it("at or past its finding's call: gone, the bucket fixed", () => {
    expect(reproVerdict(b, changed(b, 4, 4))).toBe('gone');
    expect(passesNow(b, changed(b, 4, 4))).toBe(true);
    expect(passesNow(b, changed(b, 4, 7))).toBe(true);
  });

  it('before it, or with no finding.json to say where: held (open)', () => {
    expect(reproVerdict(b, changed(b, 4, 3))).toBe('held');
    expect(passesNow(b, changed(b, 4, 3))).toBe(false);
    expect(passesNow(b, changed(b, undefined, 7))).toBe(false);
  });

  it('gone, but a trace of the bucket still fails with it: open', () => {
    const t = bucket('return-mismatch', { traces: ['corpus:a.jsonl'] });
    expect(passesNow(t, changed(t, 4, 4))).toBe(false);
    const passed = { ...changed(t, 4, 4), tracesPassing: new Set(['corpus:a.jsonl']) };
    expect(passesNow(t, passed)).toBe(true);
  });

  it('an incomplete night marks nothing fixed', () => {
    expect(passesNow(b, { ...changed(b, 4, 4), complete: false })).toBe(false);
  });
});

describe('a memory-corrupted bucket is fixed only by replays comparing all memory', () => {
  const m = bucket('memory-corrupted');

  it('is the one kind that asks it', () => {
    expect(needsFullCheck(m)).toBe(true);
    expect(needsFullCheck(bucket('memory-mismatch'))).toBe(false);
  });

  it('its repro passing sampled: held; fully checked: gone', () => {
    const sampled = night({ passing: new Set([m.signature]) });
    expect(reproVerdict(m, sampled)).toBe('held');
    expect(passesNow(m, sampled)).toBe(false);
    const full = { ...sampled, reprosFullyChecked: new Set([m.signature]) };
    expect(passesNow(m, full)).toBe(true);
    // Other kinds: a sampled pass is enough.
    const r = bucket('return-mismatch');
    expect(passesNow(r, night({ passing: new Set([r.signature]) }))).toBe(true);
  });

  it("its repro failing another way past its call (the final sweep's memory-mismatch, say): held unless fully checked", () => {
    const sweep = changed(m, 1, 1);
    expect(passesNow(m, sweep)).toBe(false);
    expect(passesNow(m, { ...sweep, reprosFullyChecked: new Set([m.signature]) })).toBe(true);
  });

  it('its traces: each must pass fully checked', () => {
    const t = bucket('memory-corrupted', { traces: ['corpus:a.jsonl'] });
    const run = night({ tracesPassing: new Set(['corpus:a.jsonl']) });
    expect(traceGone(t, 'corpus:a.jsonl', run)).toBe(false);
    expect(passesNow(t, run)).toBe(false);
    const full = { ...run, tracesFullyChecked: new Set(['corpus:a.jsonl']) };
    expect(traceGone(t, 'corpus:a.jsonl', full)).toBe(true);
    expect(passesNow(t, full)).toBe(true);
  });
});
