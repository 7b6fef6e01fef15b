import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callLines } from './callLines.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-lines-'));
const CALL = 'VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0)';

describe('callLines', () => {
  it('places a .txt call among comments, blank lines, directives and trailing comments', async () => {
    const file = join(dir, 'repro.txt');
    const lines = [
      '\uFEFF# a comment before the header',
      '#! vpdma-trace v1 profile=docs',
      '#! meta {"note":"# not a comment"}',
      '',
      `  ${CALL}  # call 0, indented`,
      '# oracle at call 0: -> 0',
      '   # an indented comment',
      `${CALL}`,
      '',
      `${CALL}`,
    ];
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    expect([...(await callLines(file, [2, 0, 1, 7]))].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 5],
      [1, 8],
      [2, 10],
    ]);
  });

  it('counts a JSONL call from the line after its header, and gives a .vpt none', async () => {
    expect([...(await callLines('x.jsonl', [0, 3]))]).toEqual([
      [0, 2],
      [3, 5],
    ]);
    expect((await callLines('x.vpt', [0])).size).toBe(0);
    // A file it cannot read has no lines: a location helps, it never fails the run.
    expect((await callLines(join(dir, 'missing.txt'), [0])).size).toBe(0);
  });
});
