// A fault of vpdma itself part way through a campaign (as replayHarnessError.test.ts has it for
// replay): `vpdma fuzz` and `vpdma nightly` still write their reports with what was gathered
// before it (cases, the corpus entries kept), `harnessError` saying it was vpdma, then exit 3
// with the internal error's stack; the night is incomplete in --history, so it marks nothing
// fixed. In process: the campaign is made to throw once it has run its first cases, or the
// minimizer at its first finding.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type * as Campaign from '../fuzz/campaign.js';
import type * as Minimize from '../minimize/minimize.js';
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { plantedNights } from '../../test/support/plantedBugs.js';
import { runCli } from '../../test/support/runCli.js';
import { REPORT_FILES } from './nightlyOutputs.js';

const fault = vi.hoisted(() => ({ afterCases: 0, inMinimize: false, diskFull: false }));

// A bug thrown once the campaign has run its first `afterCases` cases (0: no fault).
vi.mock('../fuzz/campaign.js', async (importOriginal) => {
  const real = await importOriginal<typeof Campaign>();
  return {
    ...real,
    runCampaign: async (...[ex, o]: Parameters<typeof real.runCampaign>) => {
      if (fault.afterCases === 0) return real.runCampaign(ex, o);
      await real.runCampaign(ex, { ...o, runs: fault.afterCases });
      // As Node's fs says a full disk.
      if (fault.diskFull)
        throw Object.assign(new Error("ENOSPC: no space left on device, write '/ci/x.vpt'"), {
          code: 'ENOSPC',
          syscall: 'write',
          path: '/ci/x.vpt',
        });
      throw new TypeError("Cannot read properties of undefined (reading 'kind')");
    },
  };
});

vi.mock('../minimize/minimize.js', async (importOriginal) => {
  const real = await importOriginal<typeof Minimize>();
  return {
    ...real,
    minimize: (...a: Parameters<typeof real.minimize>) =>
      fault.inMinimize
        ? Promise.reject(new RangeError('Invalid array length'))
        : real.minimize(...a),
  };
});

const HARNESS_ERROR =
  "internal error (please report it): TypeError: Cannot read properties of undefined (reading 'kind')";
const dir = mkdtempSync(join(tmpdir(), 'vpdma-campaign-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => void Object.assign(fault, { afterCases: 0, inMinimize: false, diskFull: false }));

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const vpt = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.vpt'));

describe('vpdma fuzz when vpdma itself fails part way through the campaign', () => {
  it('writes the report with harnessError, the cases and the corpus entries kept, and exits 3', async () => {
    const out = join(dir, 'fuzz');
    const also = join(dir, 'fuzz.json');
    fault.afterCases = 60;
    const r = await runCli([
      ...['fuzz', '--target', 'mutant:unmapdma-tears-down-view', '--runs', '400'],
      ...['--workers', '1', '--out', out, '--json', also, '--quiet'],
    ]);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(
      /\nvpdma: internal error \(please report it\)\nTypeError: Cannot read properties of undefined \(reading 'kind'\)\n\s+at /,
    );
    const report = json<FuzzReport>(join(out, 'report.json'));
    expect(json<FuzzReport>(also)).toEqual(report);
    expect(report).toMatchObject({
      harnessError: HARNESS_ERROR,
      stoppedBy: 'harness',
      cases: 60,
      runsEquivalent: 60,
      findings: [],
    });
    expect(report.calls).toBeGreaterThan(0);
    expect(report.coverage).toBeGreaterThan(0);
    // What only the campaign knew is left out: the branches are counted from what it reached.
    expect(report).not.toHaveProperty('reached');
    expect(report).not.toHaveProperty('branches');
    // Every entry kept before the fault is listed, and each one listed is on disk.
    expect(report.corpus.kept).toBeGreaterThan(0);
    expect(report.corpus.keptFiles.map((k) => k.file).sort()).toEqual(
      vpt(join(out, 'corpus')).sort(),
    );
    expect(report.corpus.keptFiles.every((k) => k.caseIndex >= 0 && k.caseIndex < 60)).toBe(true);
    // The failing cases not written as findings are counted, with how to run them again.
    expect(report.warnings.join('\n')).toMatch(
      /^\d+ failing cases? \(1 kind and function pair\) found before vpdma failed, 0 written as findings: the same seed and options with --runs 60 run these cases again$/m,
    );
    expect(r.out).toContain('vpdma failed part way (a bug): results cover what it gathered before');
  });
});

describe('vpdma fuzz when the disk fails part way through the campaign', () => {
  it('the report says what main() says of it: a disk error, not a bug; exit 2', async () => {
    const out = join(dir, 'fuzz-disk');
    Object.assign(fault, { afterCases: 20, diskFull: true });
    const r = await runCli([
      ...['fuzz', '--target', 'model', '--runs', '100'],
      ...['--workers', '1', '--out', out, '--quiet'],
    ]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/\nvpdma: write \/ci\/x\.vpt: no space left on device\n$/);
    expect(r.err).not.toContain('please report it');
    expect(r.out).toContain(
      '\nvpdma failed part way (write /ci/x.vpt: no space left on device): results cover',
    );
    expect(json<FuzzReport>(join(out, 'report.json'))).toMatchObject({
      harnessError: 'write /ci/x.vpt: no space left on device',
      stoppedBy: 'harness',
      cases: 20,
    });
  });
});

describe('vpdma fuzz when vpdma itself fails while minimizing', () => {
  it('writes the report with harnessError and the campaign as it ended, and exits 3', async () => {
    const out = join(dir, 'fuzz-minimize');
    fault.inMinimize = true;
    const r = await runCli([
      ...['fuzz', '--target', 'mutant:unmapdma-tears-down-view', '--runs', '60'],
      ...['--workers', '1', '--out', out, '--quiet'],
    ]);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(
      /\nvpdma: internal error \(please report it\)\nRangeError: Invalid array length\n\s+at /,
    );
    const report = json<FuzzReport>(join(out, 'report.json'));
    expect(report).toMatchObject({
      harnessError: 'internal error (please report it): RangeError: Invalid array length',
      // The campaign ran to its end: its own stop, and what only it knew, are kept.
      stoppedBy: 'runs',
      cases: 60,
      findings: [],
    });
    expect(report.corpus.baseId).toMatch(/\S/);
    expect(report.newCoverage.length).toBeGreaterThan(0);
    expect(Object.keys(report.reached ?? {}).length).toBeGreaterThan(0);
    expect(report.branches).toBeGreaterThan(Object.keys(report.reached ?? {}).length);
    expect(report.corpus.keptFiles.map((k) => k.file).sort()).toEqual(
      vpt(join(out, 'corpus')).sort(),
    );
    expect(report.warnings.join('\n')).toMatch(
      /^\d+ failing cases? \(1 kind and function pair\) found before vpdma failed, 0 written as findings: the same seed and options with --runs 60 run these cases again$/m,
    );
  });
});

describe('vpdma nightly when vpdma itself fails part way through the campaign', () => {
  const A = 'inert-return-mismatch/GetBytesUsed/b8a02000';
  const bugs = plantedNights(dir);
  const { out, night } = bugs;

  it('writes every report and the history, marks nothing fixed, and exits 3', async () => {
    bugs.plant('A');
    const first = await night('1');
    expect(first.code, first.err).toBe(1);
    expect(
      json<NightlyReportWithDetail>(join(out, 'report.json')).findings.map((f) => f.signature),
    ).toContain(A);
    // Bug A is fixed: a night that ran to its end would mark it so (nightlyStillOpen.test.ts).
    bugs.plant('');
    fault.afterCases = 30;
    const r = await night('2');
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain('\nvpdma: internal error (please report it)\nTypeError: ');
    for (const f of REPORT_FILES) expect(existsSync(join(out, f)), f).toBe(true);
    const report = json<NightlyReportWithDetail>(join(out, 'report.json'));
    expect(report.harnessError).toBe(HARNESS_ERROR);
    expect(report.fuzzDetail).toMatchObject({ harnessError: HARNESS_ERROR, cases: 30 });
    expect(report.fuzz.cases).toBe(30);
    // A's repro passed in the corpus replay, yet the night did not finish: not fixed.
    const repro = report.corpus.traces.find((t) => t.trace.includes(`/findings/${A}/`));
    expect(repro?.outcome).toBe('pass');
    expect(report.fixed).toEqual([]);
    const bucket = bugs.bucket(A);
    expect(bucket).toBeDefined();
    expect(bucket?.fixedSince).toBeUndefined();
    expect(r.out).toContain(
      '\nvpdma failed part way (a bug): the reports cover what it gathered before; the night marks nothing fixed\n',
    );
    // A dashboard shows the night as not finished.
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(
      /<testcase classname="vpdma" name="harness">\n\s*<error message="internal error \(please report it\): TypeError: [^"]*" type="harness-error"/,
    );
  }, 300_000);
});
