// "1 call", "2 calls": a count and its noun, for summaries and messages.

/** `n` and `word`, with an "s" unless n is 1. */
export function plural(n: number, word: string, shown: string = String(n)): string {
  return `${shown} ${word}${n === 1 ? '' : 's'}`;
}
