// A `module:` target that cannot be loaded at all, under `vpdma fuzz` and `vpdma nightly`: a
// CI job reads their reports, so they are written (atomically) with the setup failure in them,
// and the run exits 3, as for a process target that cannot start. `replay` and `minimize`
// refuse it up front instead (replayInput.test.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-target-check-'));
const missing = join(dir, 'does-not-exist.js');
const topThrow = join(dir, 'top-throw.mjs');
writeFileSync(topThrow, 'throw new Error("boom at load");\nexport default async () => ({});\n');

const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Whatever the reason, one line on stderr, last, and no stack trace. */
function saysSetUp(err: string, why: RegExp): void {
  const last = err.trimEnd().split('\n').at(-1) ?? '';
  expect(last).toMatch(/^vpdma: the target could not be set up: target module /);
  expect(last).toMatch(why);
  expect(err).not.toMatch(/\n\s+at /);
}

describe('a module target that cannot be loaded', () => {
  it.each([
    ['missing', `module:${missing}`, /does-not-exist\.js does not exist/, 2],
    ['no factory', 'module:test/fixtures/no-factory.mjs', /has no default export/, 2],
    ['throws at load', `module:${topThrow}`, /top-throw\.mjs failed to load: boom at load/, 3],
  ])('nightly (%s): all four reports, the setup failure in them', async (name, t, why, code) => {
    const out = join(dir, `nightly-${name.replace(/ /g, '-')}`);
    const r = await runCli(['nightly', '--target', t, '--runs', '20', '--out', out, '--quiet']);
    // A SPEC naming no module or no factory is a usage error; one that crashes, a crash.
    expect(r.code).toBe(code);
    saysSetUp(r.err, why);
    const files = readdirSync(out).sort();
    expect(files).toEqual(
      expect.arrayContaining(['junit.xml', 'report.html', 'report.json', 'results.sarif']),
    );
    expect(
      files.filter((f) => f.includes('tmp')),
      'no temporary file left',
    ).toEqual([]);
    const report = json<NightlyReportWithDetail>(join(out, 'report.json'));
    expect(report.fuzzDetail.stoppedBy).toBe('setup');
    expect(report.fuzzDetail.setupError).toMatch(why);
    expect(report.fuzzDetail.setupError).toMatch(/\(no trace replayed, no case fuzzed\)$/);
    expect(report.corpus.traces).toEqual([]);
    expect(report.fuzz.cases).toBe(0);
    // A dashboard must not show a green night: the failure is an error case of its own.
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="vpdma nightly" tests="1" failures="0" errors="1"/);
    expect(xml).toMatch(
      /<testcase classname="vpdma" name="target setup">\n\s*<error message="the target could not be set up: target module [^"]*" type="setup-failed"\/>/,
    );
    // Nothing ran, so nothing is known fixed or not: the budget warning is not given either.
    expect(r.err).not.toContain('--budget-replay');
  });

  it('fuzz: report.json (and --json) with stoppedBy "setup", no case run, exit 2', async () => {
    const out = join(dir, 'fuzz-no-factory');
    const copy = join(dir, 'fuzz-no-factory.json');
    const t = 'module:test/fixtures/no-factory.mjs';
    const r = await runCli(['fuzz', '--target', t, '--runs', '20', '--out', out, '--json', copy]);
    expect(r.code).toBe(2); // usage: the module has no factory
    saysSetUp(r.err, /has no default export/);
    expect(r.out).toMatch(/^the target could not be set up: target module .*no-factory\.mjs/m);
    expect(r.out).not.toMatch(/no findings/);
    const report = json<FuzzReport>(join(out, 'report.json'));
    expect(report).toMatchObject({ stoppedBy: 'setup', cases: 0, findings: [], violations: [] });
    expect(report.setupError).toMatch(/no-factory\.mjs has no default export.*\(no case fuzzed\)$/);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(existsSync(join(out, 'findings'))).toBe(false);
  });

  it('fuzz: still a usage error (exit 2, nothing written) for bad usage found before it', async () => {
    const out = join(dir, 'fuzz-bad-usage');
    const r = await runCli([
      ...['fuzz', '--target', `module:${missing}`, '--runs', '0', '--out', out],
    ]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    const mutant = await runCli(['fuzz', '--target', 'mutant:nope', '--runs', '5', '--out', out]);
    expect(mutant.code).toBe(2);
    expect(mutant.err).toMatch(/^vpdma: --target: unknown mutant "nope"/);
    expect(existsSync(out)).toBe(false);
  });
});
