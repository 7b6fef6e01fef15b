import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { startupLine, startupWarning } from './fuzzStartup.js';

const root = resolve(import.meta.dirname, '../..');

describe('startupWarning', () => {
  const runs = { loadMs: 10_800, cases: 1, entries: 3131 };
  const base = { ...runs, timeMs: 15_000, timeText: '15s' };

  it('says what start-up cost when it took half of --time or more', () => {
    expect(startupWarning({ ...base, firstCasesMs: 14_200 })).toBe(
      '--time 15s fuzzed 1 case: the first cases came back 14.2 s into it (worker start-up: threads loading 3131 corpus entries, the target starting), after 10.8 s reading the corpus before it; give --time well over the start-up, or bound the corpus (--corpus-max)',
    );
    expect(startupWarning({ ...base, firstCasesMs: 7500 })).toMatch(/came back 7\.5 s into it/);
    expect(startupWarning({ ...base, cases: 0 })).toMatch(
      /^--time 15s fuzzed 0 cases: no case came back within it /,
    );
  });

  it('is silent under half of --time, and with --runs', () => {
    expect(startupWarning({ ...base, firstCasesMs: 7499 })).toBeUndefined();
    expect(startupWarning({ ...runs, firstCasesMs: 60_000 })).toBeUndefined();
    expect(startupLine({ ...runs, firstCasesMs: 1250 })).toBe(
      'fuzz start-up: 10.8 s reading the corpus, then 1.3 s until the first cases came back',
    );
    expect(startupLine({ ...base, firstCasesMs: 1250 })).toMatch(/came back \(of --time 15s\)$/);
  });
});

describe('vpdma nightly --time with a slow start-up', () => {
  it('warns in one line with the figures, and reports the start-up in report.json and the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-startup-'));
    // Every thread that loads it waits 1.5 s: the fuzz workers' start-up takes most of --time 2s.
    const target = join(dir, 'slow-start.mjs');
    writeFileSync(
      target,
      `import { createModelTarget } from ${JSON.stringify(join(root, 'dist/lib/index.bundle.js'))};\n` +
        'await new Promise((r) => setTimeout(r, 1500));\nexport default createModelTarget;\n',
    );
    const out = join(dir, 'out');
    // --timeout: loading the module under a loaded machine's test run can take more than 5 s.
    const args = ['nightly', '--target', `module:${target}`, '--workers', '1', '--quiet'];
    args.push('--timeout', '30000');
    const r = await runCli([...args, '--time', '2s', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const warned = r.err.split('\n').filter((l) => l.includes('give --time well over'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(
      /^vpdma: --time 2s fuzzed \d+ cases?: (the first cases came back \d+\.\d s into it|no case came back within it) \(worker start-up: threads loading \d+ corpus entries/,
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      timing: { fuzzStartupMs?: number; firstCasesMs?: number };
      fuzzDetail: { warnings: string[]; timing: { loadMs: number } };
    };
    const { fuzzStartupMs, firstCasesMs } = report.timing;
    expect(firstCasesMs ?? 1500).toBeGreaterThanOrEqual(1400);
    expect(fuzzStartupMs).toBeGreaterThanOrEqual(
      (firstCasesMs ?? 0) + report.fuzzDetail.timing.loadMs - 1,
    );
    expect(report.fuzzDetail.warnings).toContain(warned[0]?.replace(/^vpdma: /, ''));
    expect(r.out).toMatch(
      /^fuzz start-up: \d+\.\d s reading the corpus, then .* \(of --time 2s\)$/m,
    );
    expect(r.out).toMatch(/^ {2}--time 2s fuzzed /m);

    // With --runs there is no clock to eat: the start-up is reported, not warned about.
    const runs = await runCli([...args, '--runs', '4', '--out', join(dir, 'runs')]);
    expect(runs.code, runs.err).toBe(0);
    expect(runs.err).not.toContain('give --time');
    expect(runs.out).toMatch(/^fuzz start-up: .* then \d+\.\d s until the first cases came back$/m);
  });
});
