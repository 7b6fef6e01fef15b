// History files of version 1 (signatures of the first scheme), and the version's tie to the scheme.
import { describe, expect, it } from 'vitest';
import {
  A,
  BUCKET_KEYS,
  run,
  V1_INERT,
  V1_OTHER,
  v1HistoryText,
} from '../../test/support/historyFixtures.js';
import {
  emptyHistory,
  HISTORY_VERSION,
  updateHistory,
  type FindingKey,
  type History,
} from './history.js';
import { historyJson, parseHistory } from './historyFormat.js';
import { SIGNATURE_SCHEME, signatureOf } from '../fuzz/findings.js';

describe('a version 1 history (signatures of the first scheme)', () => {
  // Scheme 1 hashed the functions a repro called: one StartDma bug, two buckets.
  const old = (hash: string, firstSeen: string, timesSeen: number, extra: object = {}): object => ({
    signature: `return-mismatch/StartDma/${hash}`,
    target: 'model:reactos',
    kind: 'return-mismatch',
    fn: 'VideoPortStartDma',
    firstSeen,
    lastSeen: '2026-10-09',
    timesSeen,
    ...extra,
  });
  // An inertness bucket written after its signature took today's form (hashing nothing).
  const inertSignature = signatureOf(A.kind as 'memory-corrupted', A.fn);
  const inert = {
    ...A,
    signature: inertSignature,
    target: 'model:reactos',
    firstSeen: 'n1',
    lastSeen: 'n1',
    timesSeen: 1,
  };
  const v1 = JSON.stringify({
    format: 'vpdma-history',
    version: 1,
    buckets: [old('11111111', '2026-10-03', 4), old('22222222', '2026-10-01', 6), inert],
  });
  const parsed = parseHistory(v1);
  const h = parsed.ok ? parsed.value : emptyHistory();
  const C: FindingKey = {
    signature: 'return-mismatch/StartDma/f586ddc4',
    kind: 'return-mismatch',
    fn: 'VideoPortStartDma',
  };

  it('reads as version 2, marking the buckets whose signatures changed (not an inertness one of the form it has now)', () => {
    expect(parsed.ok).toBe(true);
    expect(h.upgradedFrom).toBe(1);
    expect(h.buckets.map((b) => [b.signature, b.signatureScheme])).toEqual([
      [inertSignature, undefined],
      ['return-mismatch/StartDma/11111111', 1],
      ['return-mismatch/StartDma/22222222', 1],
    ]);
    const text = historyJson(h);
    expect(text).toContain('"version": 2');
    expect(text).not.toContain('upgradedFrom');
    const again = parseHistory(text);
    expect(again.ok && again.value.upgradedFrom).toBeUndefined();
    expect(again.ok && again.value.buckets).toEqual(h.buckets);
    expect(Object.keys((JSON.parse(text) as History).buckets[1] ?? {})).toEqual([
      ...BUCKET_KEYS,
      'signatureScheme',
    ]);
  });

  it('a finding with no bucket of its own continues an open old bucket of its kind and function: open, not new', () => {
    const u = updateHistory(h, [C], { ...run('2026-10-10'), passing: new Set() });
    expect(u.statuses.get(C.signature)).toEqual({
      status: 'open',
      firstSeen: '2026-10-01',
      timesSeen: 7,
    });
    const mine = u.history.buckets.find((b) => b.signature === C.signature);
    expect(mine).not.toHaveProperty('signatureScheme');
    // The old buckets stay, as they were, until their repros pass.
    expect(u.history.buckets.filter((b) => b.signatureScheme === 1)).toHaveLength(2);
    expect(u.fixed).toEqual([]);
    // The next night it is its own bucket, open; the old ones are fixed as their repros pass.
    const next = updateHistory(u.history, [C], { ...run('2026-10-11'), passing: new Set() });
    expect(next.statuses.get(C.signature)?.status).toBe('open');
    expect(next.fixed.map((f) => f.signature)).toEqual([]);
    const passed = updateHistory(u.history, [C], {
      ...run('2026-10-11'),
      passing: new Set(['return-mismatch/StartDma/11111111']),
    });
    expect(passed.fixed.map((f) => f.signature)).toEqual(['return-mismatch/StartDma/11111111']);
    expect(
      passed.history.buckets.find((b) => b.signature === 'return-mismatch/StartDma/11111111'),
    ).toMatchObject({ signatureScheme: 1, fixedSince: '2026-10-11' });
  });

  it('an old bucket seen through its repro keeps its scheme; a fixed one, or another function, continues nothing', () => {
    const failing = {
      ...run('2026-10-10'),
      passing: new Set<string>(),
      stillFailing: new Set(['return-mismatch/StartDma/22222222']),
    };
    const seenAgain = updateHistory(h, [], failing);
    expect(
      seenAgain.history.buckets.find((b) => b.signature === 'return-mismatch/StartDma/22222222'),
    ).toMatchObject({ signatureScheme: 1, timesSeen: 7, lastSeen: '2026-10-10' });
    const fixedAll = updateHistory(h, [], {
      ...run('2026-10-10'),
      passing: new Set(h.buckets.map((b) => b.signature)),
      reprosFullyChecked: new Set(h.buckets.map((b) => b.signature)),
    });
    expect(fixedAll.fixed).toHaveLength(3);
    const later = updateHistory(fixedAll.history, [C], run('2026-10-11'));
    expect(later.statuses.get(C.signature)?.status).toBe('new');
    const other = {
      ...C,
      signature: 'return-mismatch/CompleteDma/f586ddc4',
      fn: 'VideoPortCompleteDma',
    };
    expect(updateHistory(h, [other], run('2026-10-10')).statuses.get(other.signature)?.status).toBe(
      'new',
    );
  });
});

describe('a version 1 history written before inertness signatures took their form (vpdma 3afc7cd)', () => {
  const parsed = parseHistory(v1HistoryText());
  const h = parsed.ok ? parsed.value : emptyHistory();
  const finding: FindingKey = { signature: V1_INERT.now, kind: V1_INERT.kind, fn: V1_INERT.fn };

  it('marks every bucket scheme 1: the inertness signature hashed the calls too', () => {
    expect(parsed.ok).toBe(true);
    expect(h.buckets.map((b) => [b.signature, b.signatureScheme])).toEqual([
      [V1_INERT.signature, 1],
      [V1_OTHER.signature, 1],
    ]);
    expect(signatureOf(V1_INERT.kind, V1_INERT.fn)).toBe(V1_INERT.now);
  });

  it('the same inertness bug found now is open, not new, and continues the old bucket', () => {
    const night = { runId: 'n2', target: V1_INERT.target, complete: true };
    const u = updateHistory(h, [finding], {
      ...night,
      stillFailing: new Set([V1_INERT.signature]),
    });
    expect(u.statuses.get(V1_INERT.now)).toEqual({
      status: 'open',
      firstSeen: '2026-12-06T18:42:26.702Z',
      timesSeen: 2,
    });
    // Fixed together once the bug is: the old repro passes and the fuzzer finds nothing.
    const later = updateHistory(u.history, [], {
      ...night,
      runId: 'n3',
      passing: new Set([V1_INERT.signature, V1_INERT.now]),
    });
    expect(later.fixed.map((f) => f.signature)).toEqual([V1_INERT.signature, V1_INERT.now]);
  });
});

describe('the history version and the signature scheme', () => {
  it('are one number: a file written now says the scheme of the signatures in it', () => {
    expect(HISTORY_VERSION).toBe(SIGNATURE_SCHEME);
    const sig = signatureOf('memory-corrupted', 'VideoPortMapDmaMemory', 'memory');
    const h = updateHistory(
      emptyHistory(),
      [{ signature: sig, kind: 'memory-corrupted', fn: 'VideoPortMapDmaMemory' }],
      {
        runId: 'r1',
        target: 'model',
        complete: true,
      },
    ).history;
    const written = JSON.parse(historyJson(h)) as { version: number; buckets: unknown[] };
    expect(written.version).toBe(SIGNATURE_SCHEME);
    expect(written.buckets).toHaveLength(1);
  });
});
