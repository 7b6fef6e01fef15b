// The import boundaries of eslint.config.js, as lint applies them: each file's own
// no-restricted-imports setting, run over one import line at a time.
import { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
const linter = new Linter({ configType: 'flat' });

/** The modules `file` may not import, out of `specifiers`, by the repository's lint config. */
async function refused(file: string, specifiers: readonly string[]): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(file)) as Linter.Config;
  const rule = config.rules?.['no-restricted-imports'];
  const only: Linter.Config = {
    files: ['**/*.ts'],
    languageOptions: { sourceType: 'module' },
    rules: { 'no-restricted-imports': rule ?? 'off' },
  };
  return specifiers.filter(
    (s) => linter.verify(`import { x } from '${s}';\n`, [only], file).length > 0,
  );
}

describe('import boundaries (eslint.config.js)', () => {
  it('src/store imports nothing above trace', async () => {
    const above = [
      '../replay/pool.js',
      '../fuzz/run.js',
      '../minimize/minimize.js',
      '../report/history.js',
      '../cli/main.js',
    ];
    const below = [
      '../core/result.js',
      '../model/values.js',
      '../trace/trace.js',
      './writeFile.js',
    ];
    expect(await refused('src/store/anything.ts', [...above, ...below])).toEqual(above);
  });

  it('src/report imports neither cli nor store', async () => {
    const refusedHere = ['../cli/main.js', '../store/writeFile.js'];
    const allowed = ['../replay/violation.js', '../fuzz/findings.js', '../core/plural.js'];
    expect(await refused('src/report/anything.ts', [...refusedHere, ...allowed])).toEqual(
      refusedHere,
    );
  });

  it('both refuse piscina and msgpackr; their tests are not bound', async () => {
    for (const dir of ['store', 'report'])
      expect(
        await refused(`src/${dir}/anything.ts`, ['piscina', 'msgpackr', 'fast-check']),
      ).toEqual(['piscina', 'msgpackr']);
    expect(await refused('src/report/anything.test.ts', ['../cli/main.js'])).toEqual([]);
  });
});
