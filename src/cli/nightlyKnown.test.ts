// `vpdma nightly --known`: a ReactOS port's documented divergences fail no night. The bundled
// corpus against model:reactos under the docs oracle, with a tiny fuzz budget: with the bundled
// list the night exits 0 and lists the divergences as known in every report, its findings
// written but not minimized; without it, 1, and they are minimized.
// Then the history rule: buckets a night without the list opened are held as they were by a
// night with it; and a merge keeps the marks. Four in-process nights of 2 cases, run once.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';
import type { NightlyReportWithDetail as NightlyReport } from '../report/nightlyBuild.js';
import type { SarifLog } from '../report/sarif.js';
import { bundledKnownPath, parseKnown } from './knownFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-known-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');
const report = (out: string): NightlyReport =>
  JSON.parse(read(out, 'report.json')) as NightlyReport;
const KNOWN = ['--known', 'reactos-divergences'];

/** One night of 2 cases on one worker against model:reactos under the docs oracle. */
const night = (out: string, history: string, more: readonly string[] = []): Promise<CliRun> =>
  runCli([
    ...['nightly', '--target', 'model:reactos', '--profile', 'docs', '--runs', '2'],
    ...['--workers', '1', '--out', join(dir, out), '--history', join(dir, history), '--quiet'],
    ...more,
  ]);

const LIST = (() => {
  const parsed = parseKnown(readFileSync(bundledKnownPath('reactos-divergences'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return new Set(parsed.value);
})();

let withList: CliRun;
let without: CliRun;
let again: CliRun;
let historyAfterWithout: string;
/** The night without the list's report and results.sarif, before the next night replaces them. */
let plain: NightlyReport;
let plainSarif: SarifLog;
beforeAll(async () => {
  withList = await night('known', 'fresh.json', KNOWN);
  without = await night('plain', 'h.json');
  historyAfterWithout = read(dir, 'h.json');
  plain = report(join(dir, 'plain'));
  plainSarif = JSON.parse(read(dir, 'plain', 'results.sarif')) as SarifLog;
  // The same --out: the earlier night's findings are replayed as regressions too.
  again = await night('plain', 'h.json', KNOWN);
}, 180_000);

describe('vpdma nightly --known reactos-divergences on the bundled corpus', () => {
  it('exits 0, every divergence listed and marked known; without the list, 1', () => {
    expect(withList.code, withList.err).toBe(0);
    const r = report(join(dir, 'known'));
    expect(r.knownFrom).toEqual(['reactos-divergences']);
    expect(r.corpus.violations.length).toBeGreaterThan(0);
    expect(r.corpus.violations.every((v) => v.known === true)).toBe(true);
    expect(r.corpus.summary.known).toBe(r.corpus.violations.length);
    // No trace is judged: its first violation not known is none.
    expect(r.corpus.traces.filter((t) => t.status !== undefined)).toEqual([]);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.every((f) => f.known === true && LIST.has(f.signature))).toBe(true);
    // Not minimized: the case as it ran is the repro (written, re-run); the summary says why.
    expect(r.findings.every((f) => f.notMinimized === 'known')).toBe(true);
    expect(r.findings.every((f) => f.reproCalls === f.originalCalls)).toBe(true);
    expect(r.fuzzDetail.findings.map((f) => [f.minimized, f.reproduced])).toEqual(
      r.findings.map(() => [false, '3/3']),
    );
    expect(withList.out).toMatch(/^ {2}\[known\] .*\(not minimized: known\), reproduced 3\/3: /m);
    expect(r.violations.every((v) => v.known === true)).toBe(true);
    const failing = new Set(r.corpus.violations.map((v) => v.trace)).size;
    expect(withList.out).toContain(
      `corpus: ${r.corpus.violations.length} violations known (from reactos-divergences) in ${failing} traces, not counted (${failing} with no other)`,
    );
    expect(withList.out).not.toContain('corpus traces that failed');
    expect(withList.out).toMatch(/^ {2}\[known\] /m);

    expect(without.code).toBe(1);
    expect(plain.knownFrom).toBeUndefined();
    expect(plain.corpus.violations.some((v) => v.known === true)).toBe(false);
    expect(plain.corpus.violations.map((v) => v.signature).sort()).toEqual(
      r.corpus.violations.map((v) => v.signature).sort(),
    );
    expect(plain.corpus.traces.filter((t) => t.status === 'new').length).toBe(failing);
    // Not known, the same bugs are minimized.
    expect(plain.findings.map((f) => f.signature).sort()).toEqual(
      r.findings.map((f) => f.signature).sort(),
    );
    expect(plain.findings.some((f) => f.notMinimized !== undefined)).toBe(false);
    expect(plain.fuzzDetail.findings.every((f) => f.minimized)).toBe(true);
  });

  it('is <skipped> in junit.xml, suppressed in results.sarif, marked in report.html', () => {
    const out = join(dir, 'known');
    const junit = read(out, 'junit.xml');
    expect(junit).not.toContain('<failure');
    expect(junit).toMatch(
      /<skipped message="known \(from reactos-divergences\), not counted: \d+ violations?: /,
    );
    const sarif = JSON.parse(read(out, 'results.sarif')) as SarifLog;
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const x of results)
      expect(x.suppressions).toEqual([
        {
          kind: 'external',
          status: 'accepted',
          justification: 'known (from reactos-divergences), not counted',
        },
      ]);
    expect(plainSarif.runs[0].results.some((x) => x.suppressions !== undefined)).toBe(false);
    const html = read(out, 'report.html');
    expect(html).toContain('Known corpus violations (--known), not counted');
    expect(html).toContain('<span class="status status-known">known</span>');
  });

  it('--history: opens no bucket; holds as they were those a night without the list opened', () => {
    expect(JSON.parse(read(dir, 'fresh.json'))).toMatchObject({ buckets: [] });
    const opened = (JSON.parse(historyAfterWithout) as { buckets: unknown[] }).buckets;
    expect(opened.length).toBeGreaterThan(0);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(read(dir, 'h.json'))).toEqual(JSON.parse(historyAfterWithout));
    // Held, not unseen: no [open] line, nor a stillOpen entry.
    expect(again.out).not.toMatch(/\[open\]/);
    expect(report(join(dir, 'plain')).stillOpen).toBeUndefined();
  });
});

it('refuses a --known file that is not one before any work, as replay does: one line, exit 2', async () => {
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, 'return-mismatch/GetMdl/f586ddc4\nbogus\n');
  const out = join(dir, 'refused-night');
  const r = await runCli(['nightly', '--known', bad, '--out', out]);
  expect(r.code).toBe(2);
  expect(r.err).toBe(
    `vpdma: --known ${bad}: line 2: not a signature (kind/Function/hash, as report.json's violations[].signature)\n`,
  );
  expect(existsSync(out)).toBe(false);
});

describe('vpdma merge of nights run with --known', () => {
  it('keeps the marks, and exits 0', async () => {
    const r = await runCli(['merge', join(dir, 'known'), '--out', join(dir, 'merged')]);
    expect(r.code, r.err).toBe(0);
    const merged = report(join(dir, 'merged'));
    const shard = report(join(dir, 'known'));
    expect(merged.knownFrom).toEqual(['reactos-divergences']);
    expect(merged.corpus.summary.known).toBe(shard.corpus.summary.known);
    expect(merged.findings.map((f) => [f.signature, f.known])).toEqual(
      shard.findings.map((f) => [f.signature, true]),
    );
    expect(merged.findings.every((f) => f.notMinimized === 'known')).toBe(true);
    expect(read(dir, 'merged', 'junit.xml')).not.toContain('<failure');
  });

  it('refuses shards given different --known, naming it', async () => {
    const other = join(dir, 'unknown-shard');
    cpSync(join(dir, 'known'), other, { recursive: true });
    const path = join(other, 'report.json');
    const r = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete r['knownFrom'];
    writeFileSync(path, JSON.stringify(r));
    const m = await runCli(['merge', join(dir, 'known'), other, '--out', join(dir, 'refused')]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(
      /has --known \[\], .* has \["reactos-divergences"\]: not shards of one run/,
    );
  });
});
