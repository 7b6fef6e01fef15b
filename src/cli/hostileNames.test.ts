// File names from outside (a capture named with an ESC sequence or a newline) reach the
// terminal escaped: replay, convert and minimize print each path on one line, as show does.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const root = mkdtempSync(join(tmpdir(), 'vpdma-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NAME = 'x\u001b[31mred\nline]]>';
const ESCAPED = 'x\\u001b[31mred line]]>';

/** A directory holding the reactos-divergent corpus trace under the hostile name. */
function hostileDir(label: string): { dir: string; file: string } {
  const dir = join(root, label);
  mkdirSync(dir);
  const file = join(dir, `${NAME}.jsonl`);
  copyFileSync('corpus/divergence-answers.jsonl', file);
  return { dir, file };
}

/** Neither stream has a raw ESC, and no line break splits the name. */
function expectOneLineNames(r: CliRun): void {
  const text = r.out + r.err;
  expect(text).not.toContain('\u001b');
  for (const line of text.split('\n')) {
    if (line.includes('31mred')) expect(line).toContain('line]]>');
    expect(line.startsWith('line]]>')).toBe(false);
  }
}

describe('hostile file names on the terminal', () => {
  it('replay: the violations, a damaged trace and an unreadable one', async () => {
    const { dir, file } = hostileDir('replay');
    const text = readFileSync(file, 'utf8');
    writeFileSync(join(dir, `${NAME}-cut.jsonl`), text.slice(0, -30));
    writeFileSync(join(dir, `${NAME}-bad.jsonl`), 'not json\n');
    mkdirSync(join(dir, `${NAME}-empty`));
    const r = await runCli([
      'replay',
      dir,
      join(dir, `${NAME}-empty`),
      '--target',
      'model:reactos',
      '--profile',
      'docs',
      '--quiet',
    ]);
    expect(r.code).toBe(2);
    expectOneLineNames(r);
    expect(r.out).toContain(`${ESCAPED}.jsonl:2 (call 0): inert-return-mismatch`);
    expect(r.out).toContain(`${ESCAPED}-cut.jsonl:`);
    expect(r.err).toContain(`${ESCAPED}-bad.jsonl:1:`);
    expect(r.err).toContain(`${ESCAPED}-empty: no trace files`);
  });

  it('convert: the summary line', async () => {
    const { dir, file } = hostileDir('convert');
    const r = await runCli(['convert', file, join(dir, `${NAME}.vpt`)]);
    expect(r.code).toBe(0);
    expectOneLineNames(r);
    const at = join(root, 'convert', ESCAPED);
    expect(r.out).toBe(`${at}.jsonl -> ${at}.vpt: 8 calls\n`);
  });

  it('minimize: the violation, the file written and a pasteable command', async () => {
    const { file } = hostileDir('minimize');
    const r = await runCli(['minimize', file, '--target', 'model:reactos', '--quiet']);
    expect(r.code).toBe(1);
    expectOneLineNames(r);
    expect(r.out).toContain(`wrote ${join(root, 'minimize', ESCAPED)}.min.txt\n`);
    // bash, zsh and ksh read $'...' back into the very name.
    expect(r.out).toContain(`vpdma replay $'${join(root, 'minimize')}/x\\x1b[31mred\\x0aline]]>`);
  });

  it('minimize: a trace that shows no violation', async () => {
    const { file } = hostileDir('clean');
    const r = await runCli(['minimize', file, '--target', 'model', '--profile', 'docs']);
    expect(r.code).toBe(2);
    expectOneLineNames(r);
    expect(r.err).toContain(`${ESCAPED}.jsonl shows no violation`);
  });
});
