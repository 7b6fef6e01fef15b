// scripts/tidyRules.ts: the no-focus, no-skip guard catches every spelling vitest offers, and
// tidy looks wherever vitest finds tests. (The test APIs are spelled through `api` here, so
// this file does not trip the guard itself.)
import { describe, expect, it } from 'vitest';
import config from '../vitest.config.js';
import { linesMax, TIDY_DIRS, tidyProblems } from './tidyRules.js';

const lines = (text: string, file = 'src/x.test.ts'): string[] => tidyProblems(file, text);
const FOCUSED = 'focused test (.only)';
const SKIPPED = 'skipped test (.skip / .todo / .skipIf / .runIf / .fails)';

describe('tidy: focused and skipped tests', () => {
  it('catches .only, with or without modifiers, on every test API', () => {
    for (const api of ['it', 'test', 'describe', 'suite']) {
      for (const use of [
        `${api}.only('x', () => {});`,
        `${api}.only.each([1, 2])('x %i', () => {});`,
        `${api}.concurrent.only('x', async () => {});`,
        `${api}.sequential.only('x', () => {});`,
      ]) {
        expect(lines(`// a test\n  ${use}\n`), use).toEqual([`src/x.test.ts:2: ${FOCUSED}`]);
      }
    }
  });

  it('catches .skip, .todo, .skipIf, .runIf and .fails, with or without modifiers', () => {
    for (const api of ['it', 'test', 'describe', 'suite']) {
      for (const use of [
        `${api}.skip('x', () => {});`,
        `${api}.skip.each([1, 2])('x %i', () => {});`,
        `${api}.concurrent.skip('x', async () => {});`,
        `${api}.todo('x');`,
        `${api}.skipIf(process.env.CI)('x', () => {});`,
        `${api}.runIf(process.platform === 'linux')('x', () => {});`,
        `${api}.fails('x', () => {});`,
        `${api}.concurrent.fails('x', () => {});`,
      ]) {
        expect(lines(`${use}\n`), use).toEqual([`src/x.test.ts:1: ${SKIPPED}`]);
      }
    }
  });

  it('lets plain tests, .each and .concurrent through, and other objects\u2019 skip', () => {
    const api = 'it';
    const fine = [
      `${api}('x', () => {});`,
      `${api}.each([1, 2])('x %i', () => {});`,
      `describe.each([1])('x', () => {});`,
      `test.concurrent('x', async () => {});`,
      `this.skip(4);`,
      `cursor.skipped = true;`,
    ].join('\n');
    expect(lines(fine)).toEqual([]);
  });

  it('applies to test files anywhere, not to other code', () => {
    const use = `${'it'}.only('x', () => {});`;
    for (const file of [
      'src/a/b.test.ts',
      'scripts/corpus/c.test.ts',
      'examples/c-target/d.test.ts',
      'test/e.test.ts',
    ])
      expect(tidyProblems(file, use)).toEqual([`${file}:1: ${FOCUSED}`]);
    expect(tidyProblems('examples/c-target/randomDriver.ts', use)).toEqual([]);
  });
});

describe('tidy: where it looks, and file length', () => {
  it('walks every directory vitest takes tests from', () => {
    const include = config.test?.include ?? [];
    expect(include.length).toBeGreaterThan(0);
    for (const pattern of include) expect(TIDY_DIRS).toContain(pattern.split('/')[0]);
  });

  it(`flags a file of more than ${linesMax} lines`, () => {
    expect(tidyProblems('src/a.ts', `${'x\n'.repeat(linesMax - 1)}x`)).toEqual([]);
    expect(tidyProblems('src/a.ts', `${'x\n'.repeat(linesMax)}x`)).toEqual([
      `src/a.ts: ${linesMax + 1} lines (at most ${linesMax}: split it by concept)`,
    ]);
  });
});
