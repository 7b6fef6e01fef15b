// GitHub's anchors for a Markdown file's headings: what a `file.md#fragment` link may name
// (scripts/docs/links.test.ts, and the code that links docs headings: replay/ruleSource.ts).
import { readFileSync } from 'node:fs';

/** GitHub's anchor for a heading: its text (links by their text), lower case, punctuation
 * dropped, spaces as '-'. */
export function anchorOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor of a file; a heading met again gets `-1`, `-2`, ... as on GitHub. */
export function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[^]*?^```/gm, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = anchorOf(m[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}
