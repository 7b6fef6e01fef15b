// The shell examples of every Markdown page (`npx vpdma replay ... --explain` in a code block, and
// `vpdma ...` code spans in the prose) against the real command line, from the commander
// definitions in-process: a command renamed or an option dropped or misspelt fails here, where a
// user pasting the example would meet it. (contractDoc.test.ts checks the option tables.)
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliContext } from './context.js';
import { buildProgram } from './main.js';
import type { CommandLine } from '../../test/support/commandLines.js';
import { commandLines, commandSpans, problemOf } from '../../test/support/commandLines.js';
import { markdownFiles } from '../../test/support/markdownFiles.js';

const root = resolve(import.meta.dirname, '../..');
const program = buildProgram(new CliContext({ out: () => undefined, err: () => undefined }));

function linesOf(page: string, text: string): CommandLine[] {
  return [...commandLines(page, text), ...commandSpans(page, text)];
}

/** `page:line: problem` for each command line that has one; null for one that is none. */
function check(lines: readonly CommandLine[]): (string | null)[] {
  return lines.flatMap((l) => {
    const p = problemOf(program, l);
    return p === undefined ? [] : [p === null ? null : `${l.page}:${l.line}: ${p}`];
  });
}

const pages = markdownFiles(root).map((f) => relative(root, f));
const lines = pages.flatMap((p) => linesOf(p, readFileSync(join(root, p), 'utf8')));

describe('the vpdma command lines of the Markdown pages', () => {
  it('are found: in code blocks and code spans, the README and docs/ both', () => {
    const commands = lines.filter((l) => problemOf(program, l) !== null);
    expect(commands.filter((l) => l.span !== true).length).toBeGreaterThan(40);
    expect(commands.filter((l) => l.span === true).length).toBeGreaterThan(200);
    const where = new Set(commands.map((l) => l.page));
    for (const page of ['README.md', 'docs/replay.md', 'docs/nightly.md', 'docs/design.md'])
      expect(where).toContain(page);
    // A subcommand's line too: its options are the subcommand's, not its parent's.
    const readme = commands.filter((l) => l.page === 'README.md').map((l) => l.text);
    expect(readme.some((t) => t.startsWith('vpdma corpus prune '))).toBe(true);
  });

  it('name commands vpdma has, and only options those commands take', () => {
    expect(check(lines).filter((p) => p !== null)).toEqual([]);
  });

  it('fail on a planted wrong command or option, and skip output quoted from vpdma', () => {
    const page = [
      '    npx vpdma replya corpus', //                                          1
      '    $ npx vpdma replay corpus --explian', //                               2
      '    vpdma show t.jsonl --runs 5', //                                       3
      '    vpdma corpus prun DIR', //                                             4
      '    vpdma corpus', //                                                      5
      '    vpdma fuzz: new finding at case 31', //                                6
      '    vpdma fuzz [--seed S] [--runs N | --tiem D]  (what --nope does)', //   7
      '    npx vpdma replay x.jsonl \\', //                                       8
      '      --target model --nope',
      '',
      '```sh',
      'vpdma merge a b --out m --fail-on new --histroy', //                     12
      '```',
      '```json',
      'vpdma replay --not-a-command-line',
      '```',
      '`vpdma failed part way (a bug)`, `vpdma replay --explian` and `vpdma nightly -q`.', // 17
    ].join('\n');
    expect(check(linesOf('p.md', page))).toEqual([
      'p.md:1: vpdma has no command replya',
      'p.md:2: vpdma replay has no option --explian',
      'p.md:3: vpdma show has no option --runs',
      'p.md:4: vpdma corpus has no command prun',
      'p.md:5: vpdma corpus needs a command: prune',
      null,
      'p.md:7: vpdma fuzz has no option --tiem',
      'p.md:8: vpdma replay has no option --nope',
      'p.md:12: vpdma merge has no option --histroy',
      null,
      'p.md:17: vpdma replay has no option --explian',
      'p.md:17: vpdma nightly has no option -q',
    ]);
  });
});
