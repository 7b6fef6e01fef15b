// A fixed bug whose repro passes while a corpus trace it once failed now stops before it could
// show it (crashes earlier) is not fixed, and not seen either: the night says so in the summary
// and report.json (stillOpen), and keeps its JUnit test case, skipped with the reason. Once the
// trace runs past it again, failing first with another bug for good, it is fixed; back, it is
// regressed and fails the night (report/historyShows.ts). End to end: real nights against a
// module target whose bugs a file plants.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightlyArgs } from '../../test/support/nightlyArgs.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';
import { plantedBugs } from '../../test/support/plantedBugs.js';
import type { NightlyReport } from '../report/nightlySchema.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-still-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// In the trace, DoDma (B, C) comes first at call 16, GetBytesUsed (A) at call 21.
const A = 'inert-return-mismatch/GetBytesUsed/b8a02000';
const B = 'inert-return-mismatch/DoDma/b8a02000';
const C = 'target-crashed/DoDma/b8a02000';
const TRACE = 'corpus:legacy-mapdma-request-packets.jsonl';
const CASE = 'name="b8a02000 inert-return-mismatch VideoPortGetBytesUsed"';

describe('bug A fixed while a trace it failed now fails first with another bug', () => {
  const bugs = plantedBugs(dir);
  const out = join(dir, 'out');
  const nights: [CliRun, NightlyReport, string][] = [];
  const night = async (planted: string, seed: string): Promise<void> => {
    bugs.plant(planted);
    const r = await runCli(
      nightlyArgs({
        target: bugs.target,
        seed,
        runs: 100,
        out,
        history: join(dir, 'history.json'),
      }),
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as NightlyReport;
    nights.push([r, report, readFileSync(join(out, 'junit.xml'), 'utf8')]);
  };
  beforeAll(async () => {
    await night('A', '1');
    await night('C', '2');
    await night('B', '3');
    await night('A,B', '4');
  }, 400_000);

  it('night 1 sees A in the trace', () => {
    const [r, report] = nights[0]!;
    expect(r.code, r.err).toBe(1);
    expect(report.findings.map((f) => f.signature)).toContain(A);
    expect(report.corpus.traces.find((t) => t.traceId === TRACE)?.signature).toBe(A);
    expect(report.stillOpen).toBeUndefined();
  });

  it('night 2: the trace crashes before A’s call, so A is still open, and why, in report.json and the summary', () => {
    const [r, report] = nights[1]!;
    expect(report.fixed.map((f) => f.signature)).not.toContain(A);
    expect(report.findings.map((f) => f.signature)).not.toContain(A);
    const open = report.stillOpen?.find((x) => x.signature === A);
    expect(open?.waitingFor).toContainEqual({ trace: TRACE, now: C });
    expect(open?.why).toMatch(
      /^not seen tonight; its repro passed; still open while .*corpus:legacy-mapdma-request-packets\.jsonl fails \(now with target-crashed\/DoDma\/b8a02000\)/,
    );
    expect(r.out).toContain(`  [open] ${A}: ${open?.why ?? '?'}`);
    expect(r.out).toMatch(/findings: .*, 1 open but not seen\n/);
  });

  it('night 3: the trace runs to its end failing first with B, none of A: A is fixed', () => {
    const [r, report] = nights[2]!;
    expect(report.corpus.traces.find((t) => t.traceId === TRACE)?.signature).toBe(B);
    expect(report.fixed.map((f) => f.signature)).toContain(A);
    expect(report.stillOpen?.map((x) => x.signature) ?? []).not.toContain(A);
    expect(r.out).toMatch(new RegExp(`  \\[fixed\\] ${A} \\(first seen`));
  });

  it('night 4: A back, though the trace fails first with B, is regressed and fails the night', () => {
    const [r, report, junit] = nights[3]!;
    expect(report.findings.find((f) => f.signature === A)?.status).toBe('regressed');
    expect(report.findings.find((f) => f.signature === B)?.status).toBe('open');
    expect(r.code, r.out).toBe(1);
    expect(junit).toMatch(new RegExp(`${CASE}[^>]*>\\n {6}<failure`));
  });

  it('keeps A’s JUnit test case every night, skipped while it is open', () => {
    const cases = nights.map(([, , junit]) => junit.split(CASE).length - 1);
    expect(cases).toEqual([1, 1, 1, 1]);
    expect(nights[1]?.[2]).toMatch(
      new RegExp(
        `${CASE}>\\n {6}<skipped message="open: not seen tonight; its repro passed; still open while `,
      ),
    );
  });
});
