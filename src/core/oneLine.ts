// Text from outside (a trace, a target's error) made safe to print as part of one line: line
// breaks become spaces, and control characters (a crashed capture's NULs, an ESC sequence
// that would recolour the terminal or move its cursor) and bidirectional overrides are
// spelled as escapes rather than written raw.

/**
 * What must not reach a terminal raw, as a character-class body: C0 and C1 controls, DEL,
 * bidirectional overrides (shellWord.ts quotes the same set).
 */
export const UNPRINTABLE_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
const UNPRINTABLE = new RegExp(`[${UNPRINTABLE_CLASS}]`, 'g');

export function oneLine(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON.stringify's text of `value` with what it leaves raw and a terminal must not see (DEL,
 * C1 controls, bidirectional overrides) as \u escapes: the same JSON value, read back.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
