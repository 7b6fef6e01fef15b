// A night that finds a bug again but cannot minimize it (--minimize-time spent, an interrupt,
// a flaky failure) never replaces the minimized repro an earlier night left of the same
// signature: it reports the finding with that repro, with the status its bucket gives
// (regressed, not new), under one JUnit test case; and the next night removes nothing of it.
// End to end: real nights against a module target whose bug a file plants.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightlyArgs } from '../../test/support/nightlyArgs.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';
import { plantedBugs } from '../../test/support/plantedBugs.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-unminimized-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = 'inert-return-mismatch/GetBytesUsed/b8a02000';

interface Report {
  findings: { signature: string; status: string; reproCalls: number; kept?: boolean }[];
  fixed: { signature: string }[];
  regressedByReplay?: { signature: string }[];
}

/** Every test case's (classname, name) in a junit.xml. */
function caseIds(xml: string): string[] {
  return [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map(
    (m) => `${m[1]} / ${m[2]}`,
  );
}

describe('a minimized repro, then a night that finds its bug again and cannot minimize it', () => {
  const bugs = plantedBugs(dir);
  const out = join(dir, 'out');
  const history = join(dir, 'history.json');
  // One trace that calls neither buggy function: the bundled corpus would only add time.
  const replay = join(dir, 'traces');
  mkdirSync(replay);
  copyFileSync(join(root, 'corpus/events.jsonl'), join(replay, 'events.jsonl'));
  const findingDir = join(out, 'findings', ...A.split('/'));
  const night = async (
    planted: string,
    seed: string,
    more: string[] = [],
  ): Promise<[CliRun, Report, string]> => {
    bugs.plant(planted);
    const r = await runCli(
      nightlyArgs({ target: bugs.target, seed, runs: 200, out }, ['--replay', replay, ...more]),
    );
    expect(existsSync(join(out, 'report.json')), r.err).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    return [r, report, readFileSync(join(out, 'junit.xml'), 'utf8')];
  };
  const h = ['--history', history];
  const files: Record<string, string>[] = [];
  // A night that wrote no repro (a night that failed for another reason, under heavy load) is
  // named with its exit code and stderr here, not as a bare ENOENT from beforeAll.
  const snapshot = (): Record<string, string> => {
    const last = nights.at(-1)?.[0];
    if (!existsSync(findingDir))
      throw new Error(`night ${nights.length} wrote no ${A}: exit ${last?.code}: ${last?.err}`);
    return Object.fromEntries(
      ['repro.jsonl', 'finding.json'].map((f) => [f, readFileSync(join(findingDir, f), 'utf8')]),
    );
  };
  const nights: [CliRun, Report, string][] = [];
  beforeAll(async () => {
    nights.push(await night('A', '1', h));
    files.push(snapshot());
    // Fixed: --calls-max 1, as the fuzzer has no bug to find (what fixes it is the replay).
    nights.push(await night('', '2', [...h, '--calls-max', '1']));
    // Found again, fixed before: regressed, and --minimize-time is spent at once.
    nights.push(await night('A', '3', [...h, '--minimize-time', '1ms']));
    files.push(snapshot());
    // Without --history too (every finding is new there).
    nights.push(await night('A', '4', ['--minimize-time', '1ms']));
    files.push(snapshot());
    // A night that runs to its end removes earlier unminimized findings: not this one.
    nights.push(await night('A', '5', h));
  }, 300_000);

  it('night 1 minimizes it, night 2 marks it fixed', () => {
    const [r, report] = nights[0]!;
    expect(r.code, r.err).toBe(1);
    expect(report.findings.map((f) => [f.signature, f.status])).toEqual([[A, 'new']]);
    expect(nights[1]?.[1].fixed.map((f) => f.signature)).toEqual([A]);
  });

  it('keeps the minimized repro, byte for byte, on the nights that could not minimize', () => {
    expect(JSON.parse(files[0]!['finding.json']!)).toMatchObject({ minimized: true });
    expect(files[1]).toEqual(files[0]);
    expect(files[2]).toEqual(files[0]);
  });

  it('reports the finding once, regressed, with the minimized repro', () => {
    const [r, report, junit] = nights[2]!;
    expect(r.code, r.err).toBe(1);
    expect(report.findings.map((f) => [f.signature, f.status, f.kept])).toEqual([
      [A, 'regressed', true],
    ]);
    expect(report.findings[0]?.reproCalls).toBe(nights[0]?.[1].findings[0]?.reproCalls);
    expect(r.out).not.toContain('[new]');
    expect(r.out).toContain('[regressed] inert-return-mismatch in VideoPortGetBytesUsed');
    expect(
      junit.match(/name="b8a02000 inert-return-mismatch VideoPortGetBytesUsed"/g),
    ).toHaveLength(1);
  });

  it('gives every JUnit test case its own (classname, name), every night', () => {
    for (const [, , junit] of nights) {
      const ids = caseIds(junit);
      expect(new Set(ids).size, ids.join('\n')).toBe(ids.length);
    }
  });

  it('without --history, reports the finding with the minimized repro as well', () => {
    const [, report] = nights[3]!;
    expect(report.findings.map((f) => [f.signature, f.status, f.kept])).toEqual([[A, 'new', true]]);
  });

  it('leaves the minimized repro in place once a later night runs to its end', () => {
    const [r] = nights[4]!;
    expect(r.err).not.toContain('unminimized finding');
    expect(existsSync(join(findingDir, 'repro.jsonl'))).toBe(true);
    expect(JSON.parse(readFileSync(join(findingDir, 'finding.json'), 'utf8'))).toMatchObject({
      minimized: true,
    });
  });
});
