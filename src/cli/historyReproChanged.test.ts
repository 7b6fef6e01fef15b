// An earlier finding's own repro that fails another way: its bucket is fixed when the repro got
// to the finding's call and no longer shows it there (the new failure is a bucket of its own,
// the repro its trace), and stays open, masked, when the repro fails first before that call or
// the call gave no answer. A memory-corrupted bucket is fixed only by a repro replayed with all
// memory compared. In process: replays as their reports have them, finding.json files on disk.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldNights } from '../../test/support/historyNights.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import { emptyHistory } from '../report/history.js';
import type { ReportViolation, TraceEntry } from '../report/replayReport.js';
import { violation, type ViolationKind } from '../replay/violation.js';
import { fullyCheckedFiles } from './fullChecks.js';
import type { Folded } from './nightlyHistory.js';
import { regressionResults, type ReplayedRun } from './regressionResults.js';
import { withReproCalls } from './reproCall.js';

const at = (trace: string, kind: ViolationKind, fn: string, call: number, field?: string) => ({
  ...violation(kind, fn, call, 'x', field === undefined ? {} : { field }),
  trace,
});
const home = mkdtempSync(join(tmpdir(), 'vpdma-repro-changed-'));
/** Bug R, at call 2 of its repro; the other failures its repro may show. */
const R = signatureOfViolation(at('', 'return-mismatch', 'VideoPortStartDma', 2, 'ret'));
const ret = (t: string) => at(t, 'return-mismatch', 'VideoPortStartDma', 2, 'ret');
const outParam = (t: string) => at(t, 'out-param-mismatch', 'VideoPortStartDma', 2, 'out.pLength');
const crash = (t: string, call: number) => at(t, 'target-crashed', 'VideoPortStartDma', call);
const earlier = (t: string) => at(t, 'target-crashed', 'VideoPortLockBuffer', 1);
/** Bug M, a memory corruption at call 1, and the final sweep's view of it when unseen. */
const M = signatureOfViolation(at('', 'memory-corrupted', 'VideoPortMapDmaMemory', 1));
const corrupt = (t: string) => at(t, 'memory-corrupted', 'VideoPortMapDmaMemory', 1);
const sweep = (t: string) =>
  at(t, 'memory-mismatch', 'VideoPortMapDmaMemory', 1, '0xffffc00000008000');

/** OUT/findings/<signature>/repro.jsonl, with a finding.json saying its call (none: undefined). */
function repro(out: string, signature: string, callIndex: number | undefined): string {
  const dir = join(out, 'findings', ...signature.split('/'));
  mkdirSync(dir, { recursive: true });
  if (callIndex !== undefined)
    writeFileSync(join(dir, 'finding.json'), JSON.stringify({ signature, callIndex }));
  return join(dir, 'repro.jsonl');
}

/** One trace's replay: its violations (none: passed); `more` for its entry. */
function replay(trace: string, vs: ReportViolation[], more: Partial<TraceEntry> = {}) {
  const entry: TraceEntry = {
    trace,
    outcome: vs.length === 0 ? 'pass' : 'fail',
    calls: 3,
    violations: vs.length,
    ...more,
  };
  return { traces: [entry], violations: vs };
}

/** Folds each night's replay into one history file, as nightly does; each night's verdicts. */
const nights = (out: string, runs: readonly ReplayedRun[]): Promise<Folded[]> =>
  foldNights(runs, join(out, 'history.json'), out);

const fixedOf = (n: Folded | undefined) => n?.fixed.map((f) => f.signature);
const whyOf = (n: Folded | undefined, s: string) =>
  n?.stillOpen.find((x) => x.signature === s)?.why;

describe("a bucket's repro failing another way", () => {
  it('another bug at its call: the bucket fixed, the new failure a bucket of its own', async () => {
    const out = join(home, 'same-call');
    const t = repro(out, R, 2);
    const [, n2, n3] = await nights(out, [
      replay(t, [ret(t)]),
      replay(t, [outParam(t)]),
      replay(t, []),
    ]);
    expect(fixedOf(n2)).toEqual([R]);
    expect(n2?.reprosChanged.map((c) => [c.signature, c.now.signature, c.now.status])).toEqual([
      [R, signatureOfViolation(outParam(t)), 'new'],
    ]);
    expect(n2?.stillOpen).toEqual([]);
    // The new bucket has the repro as its trace: fixed once it passes.
    expect(fixedOf(n3)).toEqual([signatureOfViolation(outParam(t))]);
  });

  it('a failure before its call: open, masked, until the repro gets there', async () => {
    const out = join(home, 'earlier');
    const t = repro(out, R, 2);
    const [, n2, n3] = await nights(out, [
      replay(t, [ret(t)]),
      replay(t, [earlier(t)], { outcome: 'crash', calls: 1 }),
      replay(t, []),
    ]);
    expect(fixedOf(n2)).toEqual([]);
    expect(whyOf(n2, R)).toBe(
      `not seen tonight; its repro fails another way ([changed]), masked: first with ${signatureOfViolation(earlier(t))} at call 1, before call 2 where its finding failed`,
    );
    expect(fixedOf(n3)).toEqual([R, signatureOfViolation(earlier(t))].sort());
  });

  it('a crash at its call (no answer to check): open, masked', async () => {
    const out = join(home, 'crash');
    const t = repro(out, R, 2);
    const [, n2] = await nights(out, [
      replay(t, [ret(t)]),
      replay(t, [crash(t, 2)], { outcome: 'crash', calls: 2 }),
    ]);
    expect(fixedOf(n2)).toEqual([]);
    expect(whyOf(n2, R)).toMatch(/at call 2, where its finding failed, which gave no answer/);
  });

  it("a merge: a shard's repro elsewhere, its finding.json read from the merge's findings/", async () => {
    const out = join(home, 'merge');
    repro(out, R, 2);
    const shard = '/elsewhere/shard-1/findings/return-mismatch/StartDma/f586ddc4/repro.jsonl';
    const r = regressionResults([replay(shard, [outParam(shard)])]);
    expect((await withReproCalls(r)).changedAt.get(R)).toBeUndefined();
    expect((await withReproCalls(r, out)).changedAt.get(R)).toBe(2);
  });

  it('no finding.json to say at which call: open, as before', async () => {
    const out = join(home, 'no-json');
    const t = repro(out, R, undefined);
    const [, n2] = await nights(out, [replay(t, [ret(t)]), replay(t, [outParam(t)])]);
    expect(fixedOf(n2)).toEqual([]);
    expect(whyOf(n2, R)).toBe('not seen tonight; its repro fails another way ([changed])');
  });
});

describe('a memory-corrupted bucket, fixed only by a repro replayed with all memory compared', () => {
  const full = { paranoid: true as const };

  it('a sampled pass, or the final sweep past its call, leaves it open; a full one fixes it', async () => {
    const out = join(home, 'memory');
    const t = repro(out, M, 1);
    const [, n2, n3, n4] = await nights(out, [
      replay(t, [corrupt(t)], full),
      replay(t, []),
      replay(t, [sweep(t)]),
      replay(t, [], full),
    ]);
    expect(fixedOf(n2)).toEqual([]);
    expect(whyOf(n2, M)).toBe(
      'not seen tonight; its repro passed with memory sampled, not all compared',
    );
    expect(fixedOf(n3)).toEqual([]);
    expect(whyOf(n3, M)).toBe(
      'not seen tonight; its repro fails another way ([changed]), with memory sampled, not all compared',
    );
    expect(fixedOf(n4)).toContain(M);
  });

  it('two shards: fully checked only if replayed so in each', () => {
    const t = 'out/findings/memory-corrupted/MapDmaMemory/b8a02000/repro.jsonl';
    const r = regressionResults([replay(t, [], full), replay(t, [])]);
    expect(r.passing.has(M)).toBe(true);
    expect(r.fullyChecked.size).toBe(0);
    const both = regressionResults([replay(t, [], full), replay(t, [], full)]);
    expect([...both.fullyChecked]).toEqual([
      'findings/memory-corrupted/MapDmaMemory/b8a02000/repro.jsonl',
    ]);
  });
});

describe('fullyCheckedFiles: what a night replays with all memory compared', () => {
  it("memory-corrupted findings' repros, and the traces of open memory-corrupted buckets", () => {
    const mine = '/o/findings/memory-corrupted/MapDmaMemory/b8a02000/repro.jsonl';
    const other = '/o/findings/return-mismatch/StartDma/f586ddc4/repro.jsonl';
    const changed = 'out/findings/return-mismatch/GetMdl/f586ddc4/repro.jsonl';
    const held = '/v/regress/a.jsonl';
    const fixed = '/v/regress/b.jsonl';
    const bucket = {
      signature: M,
      target: 'model',
      kind: 'memory-corrupted',
      fn: 'VideoPortMapDmaMemory',
      firstSeen: 'n1',
      lastSeen: 'n1',
      timesSeen: 1,
    };
    const history = {
      ...emptyHistory(),
      buckets: [
        { ...bucket, traces: [held, 'findings/return-mismatch/GetMdl/f586ddc4/repro.jsonl'] },
        { ...bucket, signature: 'memory-corrupted/X/1', traces: [fixed], fixedSince: 'n2' },
        { ...bucket, target: 'other', traces: [fixed] },
      ],
    };
    const files = [mine, other, changed, held, fixed];
    expect([...fullyCheckedFiles(files, history, 'model')]).toEqual([mine, changed, held]);
    expect([...fullyCheckedFiles(files, undefined, 'model')]).toEqual([mine]);
  });
});
