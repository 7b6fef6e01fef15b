// "1 call", "2 calls": a count and its noun, for summaries and messages.

/** `n` and `word`, with an "s" unless n is 1 (or `many`: "entries", "branches"). */
export function plural(
  n: number,
  word: string,
  shown: string = String(n),
  many: string = `${word}s`,
): string {
  return `${shown} ${n === 1 ? word : many}`;
}
