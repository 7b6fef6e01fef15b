// docs/capturing.md's "Limits" table is what a logger author sizes a capture by: each figure
// must be the bound the reader enforces, and the messages it quotes the reader's own.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  apertureBytesMax,
  bytesArgMax,
  callsMax,
  jsonDepthMax,
  jsonFieldsMax,
  lineBytesMax,
  sgElementsMax,
} from '../../src/core/limits.js';
import { lineTooLongMessage, SPLIT_BYTES_HINT } from '../../src/trace/lines.js';
import { trailingBlankCharsMax } from '../../src/trace/jsonl.js';
import {
  aperturesMax,
  apertureNameMax,
  callMetaBytesMax,
  mapRegistersMax,
  metaBytesMax,
  systemMemoryBytesMax,
} from '../../src/trace/traceLimits.js';

const doc = readFileSync(new URL('../../docs/capturing.md', import.meta.url), 'utf8');
const section = doc.split('### Limits\n')[1]?.split('\n## ')[0] ?? '';
const rows = new Map(
  section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| limit') && !l.startsWith('| ---'))
    .map((l) => [l.split(' | ')[0]?.slice(2) ?? '', l] as const),
);
const n = (v: number): string => v.toLocaleString('en-US');

describe('docs/capturing.md limits', () => {
  it('gives each bound the reader enforces', () => {
    const want: [string, number[]][] = [
      ['one line', [lineBytesMax]],
      ['blank lines at the end of a JSONL file', [trailingBlankCharsMax]],
      ["one byte string (`@write`'s `data`, `@read`'s `ret`)", [bytesArgMax]],
      ['elements in one `sglist`', [sgElementsMax]],
      ['calls in a trace read whole', [callsMax]],
      ['`meta`', [metaBytesMax, jsonDepthMax, jsonFieldsMax]],
      ["a call's `meta`", [callMetaBytesMax, jsonDepthMax, jsonFieldsMax]],
      ['`device.apertures`', [aperturesMax, apertureNameMax, apertureBytesMax]],
      ['`device.systemMemoryBytes`', [systemMemoryBytesMax]],
      ['`device.dma.mapRegisters`', [mapRegistersMax]],
    ];
    expect([...rows.keys()]).toEqual(want.map(([k]) => k));
    for (const [k, values] of want) {
      for (const v of values)
        expect(rows.get(k), `${k}: ${v}`).toMatch(new RegExp(`\\b${n(v)}\\b`));
    }
  });

  it("quotes the reader's messages, which end with what to do", () => {
    expect(section).toContain(`: ${lineTooLongMessage(lineBytesMax)}\``);
    expect(section.replace(/\n/g, ' ')).toContain(`got 1500000 bytes; ${SPLIT_BYTES_HINT}\``);
  });
});
