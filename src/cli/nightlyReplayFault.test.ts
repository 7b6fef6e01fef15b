// A fault of vpdma itself in nightly's phase 1, the corpus replay (campaignHarnessError.test.ts
// has the fuzz phase's): the night runs no case on a harness known broken, writes every report
// with the traces replayed before the fault and `harnessError`, is incomplete in --history (it
// marks nothing fixed), then exits 3 with the stack. In process: the replay pool fails as a
// worker's harness bug does, once its first trace (the earlier finding's repro) is back.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Pool from '../replay/pool.js';
import type { ItemResult } from '../replay/protocol.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { plantedNights } from '../../test/support/plantedBugs.js';
import { REPORT_FILES } from './nightlyOutputs.js';

const fault = vi.hoisted(() => ({ on: false }));

vi.mock('../replay/pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof Pool>();
  class FaultingExecutor extends real.PiscinaExecutor {
    override run(
      tasks: Parameters<Pool.PiscinaExecutor['run']>[0],
      control: { onItem?: (r: ItemResult) => void } = {},
    ): Promise<ItemResult[]> {
      if (!fault.on) return super.run(tasks, control);
      fault.on = false;
      return new Promise((resolve, reject) => {
        // Nothing comes back after the fault (the tasks still running are stopped by close()).
        let failed = false;
        const onItem = (r: ItemResult): void => {
          if (failed) return;
          failed = true;
          control.onItem?.(r);
          // As pool.ts rethrows a worker's harnessError: the worker's whole stack as the message.
          reject(new Error('cannot read property of undefined\n    at worker.js:1:1'));
        };
        super.run(tasks, { ...control, onItem }).then(resolve, reject);
      });
    }
  }
  return { ...real, PiscinaExecutor: FaultingExecutor };
});

const A = 'inert-return-mismatch/GetBytesUsed/b8a02000';
const HARNESS_ERROR = 'internal error (please report it): Error: cannot read property of undefined';
const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('vpdma nightly when vpdma itself fails in the corpus replay', () => {
  const bugs = plantedNights(dir);
  const { out, night } = bugs;

  it('writes every report and the history, runs no case, marks nothing fixed, and exits 3', async () => {
    bugs.plant('A');
    const first = await night('1');
    expect(first.code, first.err).toBe(1);
    // Bug A is fixed: its repro, replayed first, passes before the fault.
    bugs.plant('');
    fault.on = true;
    const r = await night('2');
    expect(fault.on).toBe(false);
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/\nvpdma: internal error \(please report it\)\nError: cannot read /);
    for (const f of REPORT_FILES) expect(existsSync(join(out, f)), f).toBe(true);
    const report = json<NightlyReportWithDetail>(join(out, 'report.json'));
    expect(report.harnessError).toBe(HARNESS_ERROR);
    expect(report.fuzzDetail).toMatchObject({
      harnessError: HARNESS_ERROR,
      stoppedBy: 'harness',
      cases: 0,
    });
    expect(report.corpus.traces.map((t) => t.outcome)).toEqual(['pass']);
    expect(report.corpus.traces[0]?.trace).toContain(`/findings/${A}/`);
    expect(report.fixed).toEqual([]);
    const bucket = bugs.bucket(A);
    expect(bucket).toBeDefined();
    expect(bucket?.fixedSince).toBeUndefined();
    expect(r.out).toContain('\nvpdma failed part way (a bug): ');
  }, 300_000);
});
