import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyHistory, updateHistory, type History } from '../report/history.js';
import { historyJson } from '../report/historyFormat.js';
import {
  damagedCopiesMax,
  fileStamp,
  keepDamaged,
  prevPath,
  pruneDamaged,
  readHistory,
  writeHistory,
} from './historyFile.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-history-'));
const finding = { signature: 'sha256:aaaa', kind: 'memory-corrupted', fn: 'VideoPortMapDmaMemory' };
const sample = (): History =>
  updateHistory(emptyHistory(), [finding], { runId: 'r1', target: 'model', complete: true })
    .history;

describe('history file', () => {
  it('reads a missing file as an empty history (the first run)', async () => {
    expect(await readHistory(join(dir, 'none.json'))).toEqual({
      ok: true,
      value: { history: emptyHistory(), text: '' },
    });
  });

  it('reads an empty file as an empty history, and a file with a BOM as without it', async () => {
    for (const [i, text] of ['', '\n', ' \r\n', '\uFEFF'].entries()) {
      const path = join(dir, `empty-${i}.json`);
      writeFileSync(path, text);
      expect(await readHistory(path)).toEqual({
        ok: true,
        value: { history: emptyHistory(), text },
      });
    }
    const path = join(dir, 'bom.json');
    const text = `\uFEFF${historyJson(sample())}`;
    writeFileSync(path, text);
    expect(await readHistory(path)).toEqual({ ok: true, value: { history: sample(), text } });
  });

  it('writes atomically and reads back what it wrote', async () => {
    const path = join(dir, 'sub', 'history.json');
    await writeHistory(path, sample());
    expect(readFileSync(path, 'utf8')).toBe(historyJson(sample()));
    expect(await readHistory(path)).toEqual({
      ok: true,
      value: { history: sample(), text: historyJson(sample()) },
    });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['history.json']); // no temporary left
  });

  it('reports a corrupted or wrong-version file by path as damaged (a newer one as not) and leaves it as it was', async () => {
    const cases: [string, RegExp, boolean][] = [
      ['{"format":"vpdma-history","version":1,"buck', /not valid JSON/, true],
      ['\uFEFF{"format":"vpdma-history","version":1,"buck', /not valid JSON/, true],
      ['{"format":"vpdma-history","version":0,"buckets":[]}', /version 0 is not supported/, true],
      ['{"format":"vpdma-history","version":7,"buckets":[]}', /7 was written by a newer/, false],
    ];
    for (const [i, [text, error, damaged]] of cases.entries()) {
      const path = join(dir, `bad-${i}.json`);
      writeFileSync(path, text);
      const r = await readHistory(path);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.reason).toMatch(error);
        expect(r.error.message).toBe(`history file ${path}: ${r.error.reason}`);
        expect(r.error.damaged).toBe(damaged);
      }
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('refuses a directory, which is not damage a recovery could replace', async () => {
    const path = join(dir, 'a-dir');
    mkdirSync(path);
    const r = await readHistory(path);
    expect(r).toEqual({
      ok: false,
      error: {
        message: `history file ${path}: not a regular file`,
        reason: 'not a regular file',
        damaged: false,
      },
    });
  });

  it('keeps the version a write replaces in FILE.prev, only a history that differs', async () => {
    const d = mkdtempSync(join(dir, 'prev-'));
    const path = join(d, 'h.json');
    const other = updateHistory(sample(), [{ ...finding, signature: 'sha256:bbbb' }], {
      runId: 'r2',
      target: 'model',
      complete: true,
    }).history;
    // The first write replaces nothing: no FILE.prev.
    await writeHistory(path, sample(), '');
    expect(existsSync(prevPath(path))).toBe(false);
    // The text read (a BOM and all) is what FILE.prev keeps, as it was.
    const read = `\uFEFF${historyJson(sample())}`;
    await writeHistory(path, other, read);
    expect(readFileSync(prevPath(path), 'utf8')).toBe(read);
    expect(readFileSync(path, 'utf8')).toBe(historyJson(other));
    // Rewriting the same history keeps the older FILE.prev, not a second copy of FILE.
    await writeHistory(path, other, historyJson(other));
    expect(readFileSync(prevPath(path), 'utf8')).toBe(read);
    // Nothing read (a missing or empty file, or a recovered one) never replaces FILE.prev.
    await writeHistory(path, sample(), ' \n');
    expect(readFileSync(prevPath(path), 'utf8')).toBe(read);
    await writeHistory(path, other, historyJson(sample()));
    expect(readFileSync(prevPath(path), 'utf8')).toBe(historyJson(sample()));
    expect(readdirSync(d).sort()).toEqual(['h.json', 'h.json.prev']);
  });

  it('writes nothing when FILE.prev cannot be written, naming it', async () => {
    const d = mkdtempSync(join(dir, 'prev-blocked-'));
    const path = join(d, 'h.json');
    await writeHistory(path, sample());
    mkdirSync(prevPath(path));
    const before = readFileSync(path, 'utf8');
    await expect(writeHistory(path, emptyHistory(), before)).rejects.toThrow(
      `keeping the version it replaces as ${prevPath(path)}: `,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it("keeps a damaged file's bytes beside it under a name of its own", async () => {
    const d = mkdtempSync(join(dir, 'damaged-'));
    const path = join(d, 'h.json');
    const bytes = Buffer.from([0x7b, 0x0a, 0xff, 0xfe, 0x00, 0x3c, 0x3c]); // not even UTF-8
    writeFileSync(path, bytes);
    const at = new Date('2026-05-01T02:03:04.567Z');
    expect(fileStamp(at)).toBe('20260501T020304Z');
    const first = await keepDamaged(path, at);
    const second = await keepDamaged(path, at);
    expect([first, second]).toEqual([
      `${path}.damaged-20260501T020304Z`,
      `${path}.damaged-20260501T020304Z-2`,
    ]);
    for (const kept of [first, second, path]) expect(readFileSync(kept)).toEqual(bytes);
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('deletes the damaged copies beyond the newest few, by the time and number in their names', async () => {
    expect(damagedCopiesMax).toBe(3);
    const d = mkdtempSync(join(dir, 'pruned-'));
    const path = join(d, 'h.json');
    writeFileSync(path, '{');
    const names = [
      'h.json.damaged-20260101T000000Z',
      'h.json.damaged-20260301T000000Z',
      'h.json.damaged-20260301T000000Z-2',
      'h.json.damaged-20260301T000000Z-10',
      // Not keepDamaged's: another history's copy, a note, a name of another shape.
      'g.json.damaged-20250101T000000Z',
      'h.json.damaged-20250101T000000Z.txt',
      'h.json.damaged-old',
    ];
    for (const name of names) writeFileSync(join(d, name), 'x');
    const kept = await keepDamaged(path, new Date('2026-05-01T02:03:04Z'));
    const deleted = await pruneDamaged(path, kept);
    // The one kept now, then the two newest others: -10 after -2 at the same time.
    expect(deleted).toEqual([
      `${path}.damaged-20260301T000000Z`,
      `${path}.damaged-20260101T000000Z`,
    ]);
    expect(readdirSync(d).sort()).toEqual([
      'g.json.damaged-20250101T000000Z',
      'h.json',
      'h.json.damaged-20250101T000000Z.txt',
      'h.json.damaged-20260301T000000Z-10',
      'h.json.damaged-20260301T000000Z-2',
      'h.json.damaged-20260501T020304Z',
      'h.json.damaged-old',
    ]);
    expect(await pruneDamaged(path, kept)).toEqual([]); // at the limit: nothing more
    // The copy just kept stays, whatever its time (a clock set back).
    const early = await keepDamaged(path, new Date('2020-01-01T00:00:00Z'));
    expect(await pruneDamaged(path, early)).toEqual([`${path}.damaged-20260301T000000Z-2`]);
    expect(readdirSync(d).filter((f) => /^h\.json\.damaged-\d{8}T\d{6}Z(-\d+)?$/.test(f))).toEqual([
      'h.json.damaged-20200101T000000Z',
      'h.json.damaged-20260301T000000Z-10',
      'h.json.damaged-20260501T020304Z',
    ]);
  });

  it('keeps the old file when a write fails', async () => {
    const path = join(dir, 'kept.json');
    await writeHistory(path, sample());
    const before = readFileSync(path, 'utf8');
    const broken = { ...sample(), buckets: [{ ...sample().buckets[0], timesSeen: 1n }] };
    await expect(writeHistory(path, broken as unknown as History)).rejects.toThrow(/BigInt/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    const blocked = join(dir, 'kept.json', 'below.json'); // the parent is a file
    await expect(writeHistory(blocked, sample())).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
