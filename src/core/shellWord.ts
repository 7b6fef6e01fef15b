// Quoting for the commands vpdma prints so that a failure can be reproduced by pasting them.

import { UNPRINTABLE_CLASS } from './oneLine.js';

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** What must not reach a terminal raw, as oneLine.ts escapes it; and what $'...' escapes. */
const UNPRINTABLE = new RegExp(`[${UNPRINTABLE_CLASS}]`);
const ESCAPED = new RegExp(`[\\\\'${UNPRINTABLE_CLASS}]`, 'g');

/**
 * POSIX shell quoting: plain words stay as they are, anything else is single-quoted. A word
 * holding a control character (a file named with an ESC sequence or a newline) is written as
 * `$'...'` with the character escaped (bash, zsh, ksh and POSIX.1-2024 sh read it), so the
 * command stays one pasteable line and the terminal never sees the raw character.
 */
export function shellWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  if (!UNPRINTABLE.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  return `$'${word.replace(ESCAPED, dollarEscape)}'`;
}

function dollarEscape(c: string): string {
  if (c === '\\' || c === "'") return `\\${c}`;
  const code = c.charCodeAt(0);
  // \x takes at most two hex digits and \u at most four: what follows is never read into it.
  return code < 0x80
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
