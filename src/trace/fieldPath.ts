/**
 * Field paths in messages, spelled as the replay's violations spell them:
 * `out.elements[1].length` (an index in brackets, names joined by dots).
 */
export function indexName(i: number): string {
  return `[${i}]`;
}

export function joinPath(parts: readonly string[]): string {
  let s = '';
  for (const p of parts) if (p !== '') s += s === '' || p.startsWith('[') ? p : `.${p}`;
  return s;
}
