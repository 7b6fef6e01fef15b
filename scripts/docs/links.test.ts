// Every relative link in the repository's Markdown resolves inside the repository: to a file
// that exists and, for a `#fragment`, to a heading of that file (GitHub's anchor for it). A
// clone holds nothing outside its own directory, so no link may leave it. The README is the
// front door: it links every page of docs/. A source file a page names in code (`src/...ts`)
// exists too.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from '../../test/support/markdownFiles.js';
import { anchorOf, anchors } from '../../test/support/mdAnchors.js';

const root = resolve(import.meta.dirname, '../..');

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(text: string): string {
  return text.replace(/^```[^]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The link targets of a Markdown text: inline `[text](target)` and reference definitions. */
function links(text: string): string[] {
  const p = prose(text);
  const inline = [...p.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
  const defined = [...p.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map(
    (m) => m[1] ?? '',
  );
  return [...inline, ...defined];
}

function problems(file: string, top = root): string[] {
  const found: string[] = [];
  for (const link of links(readFileSync(file, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
    const [path = '', fragment] = link.split('#');
    const target = path === '' ? file : resolve(dirname(file), decodeURI(path));
    const where = `${relative(top, file)}: ${link}`;
    if (!`${target}${sep}`.startsWith(`${top}${sep}`))
      found.push(`${where}: outside the repository`);
    else if (!existsSync(target)) found.push(`${where}: no such file`);
    else if (fragment !== undefined && target.endsWith('.md') && !anchors(target).has(fragment))
      found.push(`${where}: no such heading`);
  }
  return found;
}

describe('Markdown links', () => {
  it('every relative link resolves to a file (and heading) inside the repository', () => {
    const files = markdownFiles(root).map((f) => relative(root, f));
    expect(files).toContain('README.md');
    const docs = readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md'));
    for (const name of docs) expect(files).toContain(`docs/${name}`);
    expect(files.flatMap((f) => problems(join(root, f)))).toEqual([]);
  });

  it('finds the links there are to check: the README links every page of docs/', () => {
    const readme = join(root, 'README.md');
    const linked = new Set(
      links(readFileSync(readme, 'utf8'))
        .filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#'))
        .map((l) => relative(root, resolve(root, l.split('#')[0] ?? ''))),
    );
    const pages = markdownFiles(join(root, 'docs')).map((f) => relative(root, f));
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
    // And the README's links into docs/ with anchors are among those checked above.
    expect(links(readFileSync(readme, 'utf8')).some((l) => /^docs\/.+\.md#./.test(l))).toBe(true);
  });

  it('names only source files that exist, in code spans as `src/x/y.test.ts`', () => {
    // Not links, so the check above misses them; a page citing a test that moved misleads.
    const named = markdownFiles(root).flatMap((f) =>
      [
        ...readFileSync(f, 'utf8').matchAll(
          /`((?:src|scripts|test|bin)\/[\w./-]+\.(?:ts|mjs|js))`/g,
        ),
      ].map((m) => `${relative(root, f)}: ${m[1] ?? ''}`),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((n) => !existsSync(join(root, n.split(': ')[1] ?? '')))).toEqual([]);
  });

  it('reports a missing file, a missing heading and a link leaving the repository', () => {
    const top = mkdtempSync(join(tmpdir(), 'vpdma-links-'));
    try {
      mkdirSync(join(top, 'docs'));
      writeFileSync(
        join(top, 'docs/a.md'),
        '# A page\n\n## Same\n\n## Same\n\n### `--x` flag: on\n',
      );
      const text = [
        'Good: [a](docs/a.md), [top](docs/a.md#a-page), [again](docs/a.md#same-1),',
        '[flag](docs/a.md#--x-flag-on), [self](#readme), [web](https://example.com/x.md#nope).',
        'Bad: [gone](docs/b.md), [no heading](docs/a.md#same-2), [out](../elsewhere.md),',
        '[ref]: docs/c.md',
        '`[code](docs/not-a-link.md)`',
        '```\n[fenced](docs/not-a-link-either.md)\n```',
        '# Readme',
      ].join('\n');
      writeFileSync(join(top, 'README.md'), text);
      expect(problems(join(top, 'README.md'), top)).toEqual([
        'README.md: docs/b.md: no such file',
        'README.md: docs/a.md#same-2: no such heading',
        'README.md: ../elsewhere.md: outside the repository',
        'README.md: docs/c.md: no such file',
      ]);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });

  it("takes GitHub's anchors for headings and skips code", () => {
    const here = join(root, 'README.md');
    expect(anchors(here).has('writing-a-target')).toBe(true);
    expect(anchorOf('What vpdma found in the ReactOS profile')).toBe(
      'what-vpdma-found-in-the-reactos-profile',
    );
    expect(anchorOf('What fails the night in `junit.xml`')).toBe(
      'what-fails-the-night-in-junitxml',
    );
    expect(anchorOf('1. Regressions first')).toBe('1-regressions-first');
    expect(anchorOf("Node's own flags")).toBe('nodes-own-flags');
    expect(anchorOf('See [the spec](spec.md) here')).toBe('see-the-spec-here');
    expect(prose('[a](x) `[b](y)`\n```\n[c](z)\n```\n')).toBe('[a](x) \n\n');
  });
});
