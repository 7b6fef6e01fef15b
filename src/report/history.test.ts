import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import { A, B, BUCKET_KEYS, deepFreeze, run, showing } from '../../test/support/historyFixtures.js';
import { emptyHistory, updateHistory, withHistory, type History } from './history.js';
import { historyJson, parseHistory } from './historyFormat.js';

describe('updateHistory', () => {
  const first = updateHistory(emptyHistory(), [B, A], run('2026-11-01'));

  it('opens a bucket per new signature, sorted by signature', () => {
    expect(first.history.buckets.map((b) => b.signature)).toEqual([A.signature, B.signature]);
    expect(first.statuses.get(A.signature)).toEqual({
      status: 'new',
      firstSeen: '2026-11-01',
      timesSeen: 1,
    });
    expect(first.history.buckets[0]).toEqual({
      ...A,
      target: 'model:reactos',
      firstSeen: '2026-11-01',
      lastSeen: '2026-11-01',
      timesSeen: 1,
    });
    expect(first.fixed).toEqual([]);
  });

  it('keeps a seen bucket open and marks an absent one fixed after a complete run', () => {
    const second = updateHistory(deepFreeze(first.history), [A], run('2026-11-02'));
    expect(second.statuses.get(A.signature)).toEqual({
      status: 'open',
      firstSeen: '2026-11-01',
      timesSeen: 2,
    });
    expect(second.fixed).toEqual([
      { ...B, firstSeen: '2026-11-01', lastSeen: '2026-11-01', fixedSince: '2026-11-02' },
    ]);
    expect(second.history.buckets[1]?.fixedSince).toBe('2026-11-02');
    // Absent again: stays fixed since the first absence, and is not reported as newly fixed.
    const third = updateHistory(second.history, [A], run('2026-11-03'));
    expect(third.fixed).toEqual([]);
    expect(third.history.buckets[1]?.fixedSince).toBe('2026-11-02');
  });

  it('marks nothing fixed whose repro the run did not replay (a fresh --out)', () => {
    const fresh = updateHistory(first.history, [A], { ...run('2026-11-02'), passing: new Set() });
    expect(fresh.fixed).toEqual([]);
    expect(fresh.history.buckets[1]).toEqual(first.history.buckets[1]);
  });

  it('counts a run applied twice once: a re-run merge job is not a second night', () => {
    const again = updateHistory(first.history, [B, A], run('2026-11-01'));
    expect(again).toEqual(first);
    const second = updateHistory(first.history, [A], run('2026-11-02'));
    expect(updateHistory(second.history, [A], run('2026-11-02'))).toEqual(second);
  });

  it('calls a fixed bucket that shows up again regressed and clears fixedSince', () => {
    const second = updateHistory(first.history, [A], run('2026-11-02'));
    const third = updateHistory(second.history, [A, B], run('2026-11-03'));
    expect(third.statuses.get(B.signature)).toEqual({
      status: 'regressed',
      firstSeen: '2026-11-01',
      timesSeen: 2,
    });
    expect(third.history.buckets[1]).not.toHaveProperty('fixedSince');
    expect(third.history.buckets[1]?.lastSeen).toBe('2026-11-03');
  });

  it('never calls a bucket fixed while its regression repro still fails (it is seen), and reopens a fixed one', () => {
    const failing = { ...run('2026-11-02'), stillFailing: new Set([B.signature]) };
    const second = updateHistory(first.history, [A], failing);
    expect(second.fixed).toEqual([]);
    const seenAgain = { ...first.history.buckets[1], lastSeen: '2026-11-02', timesSeen: 2 };
    expect(second.history.buckets[1]).toEqual(seenAgain);
    // Fixed on the 2nd, its repro fails again on the 3rd (the fuzzer did not find it): open.
    const fixed = updateHistory(first.history, [A], run('2026-11-02'));
    expect(fixed.history.buckets[1]).toHaveProperty('fixedSince', '2026-11-02');
    const again = { ...run('2026-11-03'), stillFailing: new Set([B.signature]) };
    const reopened = updateHistory(fixed.history, [A], again);
    expect(reopened.history.buckets[1]).toEqual({
      ...first.history.buckets[1],
      lastSeen: '2026-11-03',
      timesSeen: 2,
      regressedIn: '2026-11-03',
    });
  });

  it('says which buckets it saw through a replay only: a fixed one whose repro fails again is regressed', () => {
    const fixed = updateHistory(first.history, [A], run('2026-11-02'));
    const again = { ...run('2026-11-03'), stillFailing: new Set([B.signature]) };
    const reopened = updateHistory(fixed.history, [A], again);
    expect([...reopened.replayed]).toEqual([
      [
        B.signature,
        { status: 'regressed', firstSeen: '2026-11-01', timesSeen: 2, fixedSince: '2026-11-02' },
      ],
    ]);
    // Applied again (a re-run merge job): the same verdict and history.
    const twice = updateHistory(reopened.history, [A], again);
    expect(twice.replayed.get(B.signature)?.status).toBe('regressed');
    expect(twice.history).toEqual(reopened.history);
    // An open one seen through its repro is open.
    const open = updateHistory(first.history, [A], {
      ...run('2026-11-02'),
      stillFailing: new Set([B.signature]),
    });
    expect(open.replayed.get(B.signature)?.status).toBe('open');
  });

  it('a fixed bucket another replayed trace fails with is regressed; an open one is seen, not fixed', () => {
    const fixed = updateHistory(first.history, [A], run('2026-11-02'));
    const shown = { ...run('2026-11-03'), shown: showing(B, 'regress/b.txt') };
    const back = updateHistory(fixed.history, [A], shown);
    expect(back.replayed.get(B.signature)?.status).toBe('regressed');
    expect(back.history.buckets[1]).toMatchObject({ regressedIn: '2026-11-03', timesSeen: 2 });
    expect(back.history.buckets[1]).not.toHaveProperty('fixedSince');
    // Open, its repro passing, a committed copy failing: seen (open), not fixed.
    const held = updateHistory(first.history, [A], {
      ...run('2026-11-02'),
      shown: showing(B, 'regress/b.txt'),
    });
    expect(held.fixed).toEqual([]);
    expect(held.replayed.get(B.signature)).toEqual({
      status: 'open',
      firstSeen: '2026-11-01',
      timesSeen: 2,
    });
    expect(held.history.buckets[1]).toEqual({
      ...first.history.buckets[1],
      lastSeen: '2026-11-02',
      timesSeen: 2,
      traces: ['regress/b.txt'],
    });
  });

  it('marks nothing fixed after a partial run, but records what it saw', () => {
    const partial = updateHistory(first.history, [A], run('2026-11-02', false));
    expect(partial.fixed).toEqual([]);
    expect(partial.history.buckets[1]).toEqual(first.history.buckets[1]);
    expect(partial.history.buckets[0]?.timesSeen).toBe(2);
    // ... and sees regressions all the same.
    const fixed = updateHistory(first.history, [A], run('2026-11-02'));
    const regressed = updateHistory(fixed.history, [B], run('2026-11-03', false));
    expect(regressed.statuses.get(B.signature)?.status).toBe('regressed');
  });

  it("leaves other targets' buckets alone; a signature per target is its own bucket", () => {
    const other = updateHistory(first.history, [A], run('2026-11-02', true, 'process:./shim'));
    expect(other.fixed).toEqual([]);
    expect(other.statuses.get(A.signature)?.status).toBe('new');
    expect(other.history.buckets.map((b) => [b.signature, b.target])).toEqual([
      [A.signature, 'model:reactos'],
      [A.signature, 'process:./shim'],
      [B.signature, 'model:reactos'],
    ]);
    expect(other.history.buckets[0]).toEqual(first.history.buckets[0]);
  });

  it('counts a signature found twice in one run once', () => {
    const twice = updateHistory(emptyHistory(), [A, A], run('r1'));
    expect(twice.history.buckets).toHaveLength(1);
    expect(twice.history.buckets[0]?.timesSeen).toBe(1);
  });

  it('fills the findings of a report from the statuses', () => {
    const findings = nightlyFixture().findings;
    const u = updateHistory(emptyHistory(), findings, run('r1'));
    const out = withHistory(findings, u.statuses);
    expect(out.map((f) => [f.status, f.firstSeen, f.timesSeen])).toEqual(
      findings.map(() => ['new', 'r1', 1]),
    );
  });
});

describe('history file format', () => {
  const h = updateHistory(
    updateHistory(emptyHistory(), [A, B], run('r1')).history,
    [A],
    run('r2'),
  ).history;

  it('round-trips through canonical JSON, keys in order, buckets sorted', () => {
    const text = historyJson(h);
    expect(parseHistory(text)).toEqual({ ok: true, value: h });
    expect(
      text.startsWith('{\n  "format": "vpdma-history",\n  "version": 2,\n  "buckets": ['),
    ).toBe(true);
    const shuffled: History = { ...h, buckets: [...h.buckets].reverse() };
    expect(historyJson(shuffled)).toBe(text);
    expect(Object.keys((JSON.parse(text) as History).buckets[1] ?? {})).toEqual([
      ...BUCKET_KEYS,
      'fixedSince',
    ]);
  });

  it('rejects what it did not write, saying where', () => {
    const bucket = { ...(JSON.parse(historyJson(h)) as History).buckets[0] };
    const file = (buckets: unknown[], extra: object = {}): string =>
      JSON.stringify({ format: 'vpdma-history', version: 1, buckets, ...extra });
    const cases: [string, RegExp][] = [
      ['{"format":"vpdma-history",', /not valid JSON/],
      ['[]', /not a vpdma history file/],
      [JSON.stringify({ format: 'vpdma-report', version: 1, buckets: [] }), /not a vpdma history/],
      [
        JSON.stringify({ format: 'vpdma-history', version: 3, buckets: [] }),
        /^history version 3 was written by a newer vpdma \(this vpdma reads versions 1 and 2\): upgrade vpdma to use it$/,
      ],
      [
        JSON.stringify({ format: 'vpdma-history', version: 0, buckets: [] }),
        /^history version 0 is not supported \(this vpdma reads versions 1 and 2\)$/,
      ],
      [
        JSON.stringify({ format: 'vpdma-history', version: '3', buckets: [] }),
        /version "3" is not/,
      ],
      [JSON.stringify({ format: 'vpdma-history', version: 2.5, buckets: [] }), /2.5 is not supp/],
      [file([{ ...bucket, signatureScheme: 1 }]), /buckets\[0\]\.signatureScheme/],
      [
        file([{ ...bucket, signatureScheme: 2 }], { version: 2 }),
        /buckets\[0\]\.signatureScheme: expected 1 or nothing/,
      ],
      [file([], { note: 1 }), /unknown field "note"/],
      [file([{ ...bucket, extra: true }]), /buckets\[0\]: unknown field "extra"/],
      [file([{ ...bucket, fn: '' }]), /buckets\[0\]\.fn: expected a non-empty string/],
      [file([{ ...bucket, timesSeen: 0 }]), /buckets\[0\]\.timesSeen/],
      [file([{ ...bucket, fixedSince: 3 }]), /buckets\[0\]\.fixedSince/],
      [file([{ ...bucket, traces: [] }]), /buckets\[0\]\.traces: expected a non-empty array/],
      [file([{ ...bucket, traces: ['a', 3] }]), /buckets\[0\]\.traces/],
      [file([{ ...bucket, traces: 'a' }]), /buckets\[0\]\.traces/],
      [file([bucket, bucket]), /buckets\[1\]: a second bucket/],
      [file([null]), /buckets\[0\]: not an object/],
      // Not JSON: where it can be told. A merge conflict committed into the file, one cut short.
      [
        `<<<<<<< HEAD\n${historyJson(h)}=======\n${historyJson(h)}>>>>>>> theirs\n`,
        /^line 1: a merge conflict marker \(<<<<<<<\): not valid JSON$/,
      ],
      [
        `${historyJson(h)}=======\n`,
        new RegExp(
          `^line ${historyJson(h).split('\n').length}: a merge conflict marker \\(=======\\)`,
        ),
      ],
      ['{\n  "format": "vpdma-history",\n  "buckets": [\n', /^not valid JSON: it ends at line 3 /],
      [
        '{"format":"vpdma-history"}\n\nx',
        /^line 3: not valid JSON \(more text after the JSON value\)$/,
      ],
      ['{\n  "buckets": [\n    {"fn": "x",\n  ', /^not valid JSON: it ends at line 3 before/],
    ];
    for (const [text, error] of cases) {
      const r = parseHistory(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    }
  });
});
