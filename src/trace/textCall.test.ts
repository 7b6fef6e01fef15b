// The hand-editing rough edges of the text format: trailing comments, and errors that say
// what a broken byte or hex literal is instead of "expected a value".
import { describe, expect, it } from 'vitest';
import { parseText } from './text.js';
import { accepted, verdict } from './testResult.js';

const h = '#! vpdma-trace v1\n';
const error = (text: string): string => verdict(parseText(text, 'r.txt'));

describe('text format: trailing comments', () => {
  it('ends a call at a "#" after it, whatever the call ends with', () => {
    const plain = accepted(parseText(`${h}@read(va=0x10, length=2) -> x"00ff"\n`));
    for (const line of [
      '@read(va=0x10, length=2) -> x"00ff" # what the driver saw',
      '@read(va=0x10, length=2) -> x"00ff"#tight',
      '@read(va=0x10, length=2) -> x"00ff" # out(va=0x20) is commented out too',
    ]) {
      expect(accepted(parseText(`${h}${line}\n`))).toEqual(plain);
    }
    const out = '@executeDma(vpDmaAdapter=0x10) out(sgList=0x5000, context=0x0, elements=[])';
    expect(accepted(parseText(`${h}${out} # cut\n`)).calls[0]?.out).toEqual({
      sgList: 0x5000n,
      context: 0n,
      elements: [],
    });
    expect(accepted(parseText('#! vpdma-trace v1 profile=docs # repro\n')).header.profile).toBe(
      'docs',
    );
  });

  it('is not a comment inside a byte literal or a meta string', () => {
    // Byte literals are hex digits only, so a '#' in one is an error, never a comment.
    expect(error(`${h}@read(va=0x10, length=2) -> x"00#ff"`)).toMatch(/^r.txt:2: column \d+: /);
    const meta = accepted(parseText('#! vpdma-trace v1\n#! meta {"note":"rev #2"}\n')).header.meta;
    expect(meta).toEqual({ note: 'rev #2' });
    // The rest of a meta line is JSON, so a comment after it is refused, not silently dropped.
    expect(error('#! vpdma-trace v1\n#! meta {} # c\n')).toMatch(/^r.txt:2: meta: invalid JSON/);
  });

  it('still refuses other text after a call', () => {
    expect(error(`${h}@read(va=0x10, length=2) -> x"00ff" junk`)).toBe(
      "r.txt:2: column 37: unexpected text, found 'junk'",
    );
  });
});
