// Quoting for the commands vpdma prints so that a failure can be reproduced by pasting them.

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** POSIX shell quoting: plain words stay as they are, anything else is single-quoted. */
export function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
