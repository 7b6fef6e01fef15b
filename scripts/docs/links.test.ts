// Every relative link in the repository's Markdown resolves inside the repository: to a file
// that exists and, for a `#fragment`, to a heading of that file (GitHub's anchor for it). A
// clone holds nothing outside its own directory, so no link may leave it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', 'dist-check', 'vpdma-out', 'coverage']);

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(text: string): string {
  return text.replace(/^```[^]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as '-'. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[^]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? '')));
}

function problems(file: string): string[] {
  const found: string[] = [];
  for (const m of prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
    const link = m[1] ?? '';
    if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
    const [path = '', fragment] = link.split('#');
    const target = path === '' ? file : resolve(dirname(file), path);
    const where = `${relative(root, file)}: ${link}`;
    if (!`${target}${sep}`.startsWith(`${root}${sep}`))
      found.push(`${where}: outside the repository`);
    else if (!existsSync(target)) found.push(`${where}: no such file`);
    else if (fragment !== undefined && target.endsWith('.md') && !anchors(target).has(fragment))
      found.push(`${where}: no such heading`);
  }
  return found;
}

describe('Markdown links', () => {
  it('every relative link resolves to a file (and heading) inside the repository', () => {
    const files = markdownFiles(root);
    expect(files.map((f) => relative(root, f))).toContain('docs/design.md');
    expect(files.flatMap(problems)).toEqual([]);
  });

  it("takes GitHub's anchors for headings and skips code", () => {
    const here = join(root, 'README.md');
    expect(anchors(here).has('writing-a-target')).toBe(true);
    expect(anchorOf('What vpdma found in the ReactOS profile')).toBe(
      'what-vpdma-found-in-the-reactos-profile',
    );
    expect(prose('[a](x) `[b](y)`\n```\n[c](z)\n```\n')).toBe('[a](x) \n\n');
  });
});
