// What a process target's bad frame says in a message (docs/target-protocol.md "Faults"):
// built from bytes read once the child's pipes are drained, so the same fault reads the same
// however its output was cut into chunks.

/** Characters of a stray print that a message quotes. */
export const strayCharsMax = 40;

/**
 * What a frame header that is really text says (a print to stdout is the usual cause): the
 * text up to its first line break or other byte that is no text. Not beyond it, where the
 * frame the child wrote next may or may not have arrived.
 */
export function strayText(bytes: Buffer): string {
  const printable = (b: number | undefined): boolean => b !== undefined && b >= 0x20 && b < 0x7f;
  let end = 0;
  while (end < bytes.length && (printable(bytes[end]) || bytes[end] === 0x09)) end++;
  // Its length prefix is all text, or a line break ends the text within it ("ok\n").
  const lineEnd = bytes[end] === 0x0a || bytes[end] === 0x0d;
  if (end < 4 && !(lineEnd && end > 0)) return '';
  const text = bytes.subarray(0, end).toString('latin1').replace(/\s+/g, ' ');
  const more = end === strayCharsMax ? '...' : '';
  return `; its first bytes read as text "${text}${more}" (a stray print to stdout?)`;
}
