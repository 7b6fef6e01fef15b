import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyHistory, updateHistory, type History } from '../report/history.js';
import { historyJson } from '../report/historyFormat.js';
import { readHistory, writeHistory } from './historyFile.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-history-'));
const finding = { signature: 'sha256:aaaa', kind: 'memory-corrupted', fn: 'VideoPortMapDmaMemory' };
const sample = (): History =>
  updateHistory(emptyHistory(), [finding], { runId: 'r1', target: 'model', complete: true })
    .history;

describe('history file', () => {
  it('reads a missing file as an empty history (the first run)', async () => {
    expect(await readHistory(join(dir, 'none.json'))).toEqual({ ok: true, value: emptyHistory() });
  });

  it('reads an empty file as an empty history, and a file with a BOM as without it', async () => {
    for (const [i, text] of ['', '\n', ' \r\n', '\uFEFF'].entries()) {
      const path = join(dir, `empty-${i}.json`);
      writeFileSync(path, text);
      expect(await readHistory(path)).toEqual({ ok: true, value: emptyHistory() });
    }
    const path = join(dir, 'bom.json');
    writeFileSync(path, `\uFEFF${historyJson(sample())}`);
    expect(await readHistory(path)).toEqual({ ok: true, value: sample() });
  });

  it('writes atomically and reads back what it wrote', async () => {
    const path = join(dir, 'sub', 'history.json');
    await writeHistory(path, sample());
    expect(readFileSync(path, 'utf8')).toBe(historyJson(sample()));
    expect(await readHistory(path)).toEqual({ ok: true, value: sample() });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['history.json']); // no temporary left
  });

  it('reports a corrupted or wrong-version file by path and leaves it as it was', async () => {
    const cases: [string, RegExp][] = [
      ['{"format":"vpdma-history","version":1,"buck', /not valid JSON/],
      ['\uFEFF{"format":"vpdma-history","version":1,"buck', /not valid JSON/],
      ['{"format":"vpdma-history","version":7,"buckets":[]}', /version 7 is not supported/],
    ];
    for (const [i, [text, error]] of cases.entries()) {
      const path = join(dir, `bad-${i}.json`);
      writeFileSync(path, text);
      const r = await readHistory(path);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(error);
        expect(r.error).toContain(`history file ${path}: `);
        expect(r.error).toContain('will not overwrite it');
      }
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('refuses a directory', async () => {
    const path = join(dir, 'a-dir');
    mkdirSync(path);
    const r = await readHistory(path);
    expect(r).toEqual({ ok: false, error: `history file ${path}: not a regular file` });
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
