// `vpdma merge` of a shard vpdma itself cut short (its report's harnessError, as a night that
// failed part way writes it: campaignHarnessError.test.ts): the merge is incomplete, so it marks
// nothing fixed in --history, and the merged report carries the shard's harnessError naming the
// shard; exit 3, as the shard's own. In process; the shard's fault is written into its report.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { nightlyArgs } from '../../test/support/nightlyArgs.js';
import { plantedBugs } from '../../test/support/plantedBugs.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const A = 'inert-return-mismatch/GetBytesUsed/b8a02000';
const FAULT =
  "internal error (please report it): TypeError: Cannot read properties of undefined (reading 'kind')";
const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-harness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const bucketOf = (history: string): { signature: string; fixedSince?: string } | undefined =>
  json<{ buckets: { signature: string; fixedSince?: string }[] }>(history).buckets.find(
    (b) => b.signature === A,
  );

describe('vpdma merge of a shard vpdma itself cut short', () => {
  const bugs = plantedBugs(dir);
  const shard = join(dir, 'shard');
  const history = join(dir, 'history.json');
  const control = join(dir, 'control.json');
  const night = (seed: string) =>
    runCli(nightlyArgs({ target: bugs.target, seed, runs: 100, out: shard }));
  let faulted: CliRun | undefined;
  let controlMerge: CliRun | undefined;

  beforeAll(async () => {
    bugs.plant('A');
    expect((await night('1')).code).toBe(1);
    const first = await runCli(['merge', shard, '--out', join(dir, 'm1'), '--history', history]);
    expect(first.err).not.toMatch(/internal error/);
    expect(bucketOf(history)).toBeDefined();
    // Bug A is fixed: the next night's replay of its repro passes.
    bugs.plant('');
    const second = await night('2');
    expect(second.code, second.err).toBe(0);
    copyFileSync(history, control);
    controlMerge = await runCli(['merge', shard, '--out', join(dir, 'm2'), '--history', control]);
    // The same night, as one that vpdma cut short writes its report.
    const file = join(shard, 'report.json');
    const r = json<NightlyReportWithDetail>(file);
    writeFileSync(
      file,
      JSON.stringify({
        ...r,
        harnessError: FAULT,
        fuzzDetail: { ...r.fuzzDetail, harnessError: FAULT, stoppedBy: 'harness' },
      }),
    );
    faulted = await runCli(['merge', shard, '--out', join(dir, 'm3'), '--history', history]);
  }, 300_000);

  it('the shard as it ran marks bug A fixed (what the fault must prevent)', () => {
    expect(controlMerge?.code, controlMerge?.err).toBe(0);
    const m = json<NightlyReportWithDetail>(join(dir, 'm2', 'report.json'));
    expect(m.fixed.map((f) => f.signature)).toContain(A);
    expect(m.harnessError).toBeUndefined();
    expect(bucketOf(control)?.fixedSince).toBeDefined();
  });

  it('marks nothing fixed, carries the shard\u2019s harnessError naming it, and exits 3', () => {
    expect(faulted?.code, faulted?.err).toBe(3);
    const m = json<NightlyReportWithDetail>(join(dir, 'm3', 'report.json'));
    expect(m.fixed).toEqual([]);
    expect(bucketOf(history)?.fixedSince).toBeUndefined();
    expect(m.harnessError).toBe(`shard 1/1: ${FAULT}`);
    expect(m.fuzzDetail).toMatchObject({
      harnessError: `shard 1/1: ${FAULT}`,
      stoppedBy: 'harness',
    });
    expect(faulted?.err).toContain(
      `vpdma merge: shard 1/1: vpdma failed part way (${FAULT}); the merge marks nothing fixed\n`,
    );
    expect(faulted?.err).not.toMatch(/\n\s+at /);
    expect(faulted?.out).toContain('\nvpdma failed part way (a bug): ');
  });
});
