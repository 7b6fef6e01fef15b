// Every TypeScript and JavaScript example of the Markdown pages compiles against the package's
// public types (dist/index.d.ts, as `import ... from 'vpdma'` finds it), under the project's
// strict options: a renamed export, a field a type lacks or an unhandled `undefined` fails here,
// where a user copying the example would meet it. A block that is a fragment on purpose says so
// on the line before its fence, `<!-- not-checked: why -->`; there are few. (docs/library.md's
// and the README's examples are also run: src/cli/libraryDoc.test.ts, readmeExamples.test.ts.)
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, CodeBlock } from './codeBlocks.js';
import { markdownFiles } from '../../test/support/markdownFiles.js';
import { checkBlocks, codeBlocks, exemptionComments } from './codeBlocks.js';

const root = resolve(import.meta.dirname, '../..');
const pages = markdownFiles(root).map((f) => relative(root, f));
const texts = new Map(pages.map((p) => [p, readFileSync(join(root, p), 'utf8')]));
const blocks = pages.flatMap((p) => codeBlocks(p, texts.get(p) ?? ''));

// A page with what the check must catch, checked in the same Program (it exists only in memory).
const PLANTED = 'docs/planted-by-codeBlocks-test.md';
const planted = [
  '# Planted', //                                                            1
  '',
  '```ts',
  "import { createModelTarget } from 'vpdma';", //                           4
  "const target = await createModelTarget({ profile: 'docs' });",
  'target.nope();', //                                                       6
  '```',
  '',
  '<!-- not-checked: a fragment, on purpose -->',
  '',
  '```js',
  'undefinedName();', //                                                    12
  '```',
  '',
  '- In a list:',
  '',
  '  ```javascript',
  "  import { replayTrac } from 'vpdma';", //                               18
  '  ```',
  '',
  '```js',
  'export default async function createTarget() {', //                       22
  '  return { call: () => 42 };',
  '}',
  '```',
  '',
].join('\n');
const plantedBlocks = codeBlocks(PLANTED, planted);

describe('the code examples of the Markdown pages', () => {
  let checked: CheckResult;
  beforeAll(() => {
    checked = checkBlocks(root, [...blocks, ...plantedBlocks]);
  });
  const ours = (): string[] => checked.errors.filter((e) => !e.startsWith(`${PLANTED}:`));

  it('are found: the README, library.md and report-json.md ones', () => {
    const where = (b: CodeBlock): string => `${b.page} ${b.lang}`;
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks.map(where)).toEqual(
      expect.arrayContaining(['README.md js', 'docs/library.md js', 'docs/report-json.md ts']),
    );
    for (const b of blocks) expect(b.code.trim(), `${b.page}:${b.line}`).not.toBe('');
  });

  it("import 'vpdma' as the built package's types, not the source", () => {
    const files = checked.program.getSourceFiles().map((f) => f.fileName);
    expect(files).toContain(join(root, 'dist/index.d.ts'));
    expect(files.filter((f) => f.startsWith(join(root, 'src') + sep))).toEqual([]);
  });

  it('type-check, each of them', () => {
    expect(ours()).toEqual([]);
  });

  it('are exempt only with a reason, on the line before the block, and few', () => {
    const exempt = blocks.filter((b) => b.exempt !== undefined);
    for (const b of exempt) expect(b.exempt, `${b.page}:${b.line}`).not.toBe('');
    const comments = pages.reduce((n, p) => n + exemptionComments(texts.get(p) ?? ''), 0);
    expect(comments, 'a not-checked comment that exempts no block').toBe(exempt.length);
    expect(exempt.length).toBeLessThanOrEqual(3);
  });

  it('fail on a planted error, wrong import or factory, and skip the exempt block', () => {
    expect(plantedBlocks.map((b) => [b.line, b.lang, b.exempt])).toEqual([
      [4, 'ts', undefined],
      [12, 'js', 'a fragment, on purpose'],
      [18, 'js', undefined],
      [22, 'js', undefined],
    ]);
    // A comment with prose between it and the block exempts nothing: the count above tells.
    const stray = '<!-- not-checked: lost -->\n\nProse.\n\n```ts\nlet x = 1;\n```\n';
    expect([exemptionComments(stray), codeBlocks('s.md', stray)[0]?.exempt]).toEqual([
      1,
      undefined,
    ]);
    expect(exemptionComments(planted)).toBe(1);
    const errors = checked.errors.filter((e) => e.startsWith(`${PLANTED}:`));
    expect(errors).toEqual([
      expect.stringMatching(/:6: Property 'nope' does not exist on type 'ModelTarget'/),
      expect.stringMatching(/:18: .*has no exported member named 'replayTrac'/),
      expect.stringMatching(/:22: its default export is no TargetFactory: /),
    ]);
  });
});
