// `vpdma replay` names the line of a failing call in a .txt or .jsonl trace, besides its
// 0-based index: `repro.txt:6 (call 1): ...`, and `line` in --json. dist/ must be built.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printRepro } from '../replay/reproText.js';
import { parseText } from '../trace/text.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-lines-'));
const BARE = `#! vpdma-trace v1 profile=docs
VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=4096)
VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0)
`;

interface Report {
  violations: { trace: string; callIndex: number; kind: string; line?: number }[];
}

describe('vpdma replay locations', () => {
  it('names the line of the call in a .txt and a .jsonl, and the call alone in a .vpt', async () => {
    const parsed = parseText(BARE);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const txt = join(dir, 'repro.txt');
    // A repro as vpdma writes it: comments between the header and the calls, and after them.
    const text = printRepro(parsed.value);
    writeFileSync(txt, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('VideoPortGetBytesUsed')) + 1;
    expect(line).toBeGreaterThan(4);
    expect((await runCli(['convert', txt, join(dir, 'repro.jsonl')])).code).toBe(0);
    expect((await runCli(['convert', txt, join(dir, 'repro.vpt')])).code).toBe(0);
    const json = join(dir, 'report.json');
    const r = await runCli([
      'replay',
      txt,
      join(dir, 'repro.jsonl'),
      join(dir, 'repro.vpt'),
      '--target',
      'mutant:bytes-used-remembered',
      '--workers',
      '1',
      '--quiet',
      '--json',
      json,
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${txt}:${line} (call 1): inert-return-mismatch: `);
    expect(r.out).toContain(`${join(dir, 'repro.jsonl')}:3 (call 1): inert-return-mismatch: `);
    expect(r.out).toContain(`${join(dir, 'repro.vpt')}:call 1: inert-return-mismatch: `);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.violations.map((v) => [v.callIndex, v.line])).toEqual([
      [1, line],
      [1, 3],
      [1, undefined],
    ]);
    // Added after the fields a report always had, which keep their names and order (signature:
    // session 25, docs/report-json.md).
    expect(Object.keys(report.violations[0] ?? {}).slice(-3)).toEqual([
      'trace',
      'signature',
      'line',
    ]);
  });
});
