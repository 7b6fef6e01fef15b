// The hand-editing rough edges of the text format: trailing comments, and errors that say
// what a broken byte or hex literal is instead of "expected a value".
import { describe, expect, it } from 'vitest';
import { parseText } from './text.js';
import { accepted, verdict } from '../../test/support/testResult.js';

const h = '#! vpdma-trace v1\n';
const BASE =
  'VideoPortGetDeviceBase(hwDeviceExtension=0x1, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0)';
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
    expect(error(`${h}@read(va=0x10, length=2) -> x"00#ff"`)).toBe(
      'r.txt:2: column 33: byte literal x"...": "#" is not a hex digit (write x"0df0ad0b", no spaces)',
    );
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

describe('text format: broken literals', () => {
  it('says a byte literal is unterminated, or which character is not hex', () => {
    expect(error(`${h}@write(va=0x10, data=x"0df0ad0b)`)).toBe(
      'r.txt:2: column 22: byte literal x"... has no closing \'"\'',
    );
    expect(error(`${h}@write(va=0x10, data=x"0d f0")`)).toBe(
      'r.txt:2: column 26: byte literal x"...": " " is not a hex digit (write x"0df0ad0b", no spaces)',
    );
    expect(error(`${h}@write(va=0x10, data=X"0df0")`)).toBe(
      'r.txt:2: column 22: byte literals are written x"...", with a lower-case x',
    );
  });

  it('says hex literals are written 0x, in a value, a named result and an offset', () => {
    expect(error(`${h}@read(va=0XFF, length=1)`)).toBe(
      "r.txt:2: column 10: hex literals are written 0x..., with a lower-case x, found '0XFF, length'",
    );
    const base = `${h}r0 = ${BASE}`;
    expect(error(`${base} -> 0XFFFFC00000000000`)).toMatch(
      /^r.txt:2: column 111: hex literals are written 0x\.\.\., with a lower-case x/,
    );
    expect(error(`${base} -> 0xffffc00000000000\n@read(va=r0+0X1, length=1)`)).toMatch(
      /^r.txt:3: column 13: hex literals are written 0x/,
    );
    expect(error(`${h}@read(va=-0x10, length=1)`)).toBe(
      'r.txt:2: column 10: hex literals are unsigned: write a negative value in decimal (-0x10 is -16)',
    );
    // The hint is the literal's own value.
    expect(error(`${h}@read(va=-0x20, length=1)`)).toBe(
      'r.txt:2: column 10: hex literals are unsigned: write a negative value in decimal (-0x20 is -32)',
    );
    expect(error(`${h}@read(va=0x, length=1)`)).toBe(
      'r.txt:2: column 10: expected hex digits after 0x',
    );
  });
});

describe('text format: error columns', () => {
  it('count from the line as written, indentation included', () => {
    expect(error(`${h}@read(va=NULL, length=1)`)).toBe(
      "r.txt:2: column 10: expected a value, found 'NULL'",
    );
    expect(error(`${h}  \t@read(va=NULL, length=1)`)).toBe(
      "r.txt:2: column 13: expected a value, found 'NULL'",
    );
  });
});
