// docs/text-format.md is a reference users edit repros by: every ```text block in it is a
// complete trace this parser must accept, so the doc cannot drift from the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText, printText } from './text.js';
import { accepted } from '../../test/support/testResult.js';

const DOC = 'docs/text-format.md';
const doc = readFileSync(new URL(`../../${DOC}`, import.meta.url), 'utf8');

/** The ```text blocks, with the line each starts on (for the error messages). */
function textBlocks(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  for (const m of markdown.matchAll(/^```text\n([\s\S]*?)^```$/gm)) {
    out.push({ line: markdown.slice(0, m.index).split('\n').length + 1, text: m[1] ?? '' });
  }
  return out;
}

describe(DOC, () => {
  const blocks = textBlocks(doc);

  it('has its examples (a changed fence would make this test vacuous)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks[0]?.text).toMatch(/^r0 = VideoPortGetDmaAdapter\(/m);
  });

  it('parses every text block, and each prints back to an equal trace', () => {
    for (const b of blocks) {
      const t = accepted(parseText(b.text, `${DOC}:${b.line}`));
      expect(accepted(parseText(printText(t)))).toEqual(t);
    }
  });

  it('shows in its round-trip pair exactly what the printer writes for the first', () => {
    const [written, printed] = blocks.slice(-2);
    const t = accepted(parseText(written?.text ?? '', DOC));
    expect(printText(t)).toBe(printed?.text);
    expect(written?.text).not.toBe(printed?.text);
  });
});
