// A fault of vpdma itself part way through a replay (exit 3, as a crashing target's): the
// report still says what finished, and `harnessError` says it was the harness. The pool is a
// stand-in that finishes one trace and then fails as a worker's harness bug does.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as Pool from '../replay/pool.js';
import type { ItemResult } from '../replay/protocol.js';
import type { ReplayReport } from '../report/replayReport.js';
import { runCli } from '../../test/support/runCli.js';

const finished: ItemResult = {
  id: 0,
  label: 'corpus/events.jsonl',
  result: { outcome: 'pass', calls: 7, violations: [] },
  traceCalls: 7,
};

vi.mock('../replay/pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof Pool>();
  class FailingExecutor {
    readonly workers = 1;
    inFlight(): number {
      return 0;
    }
    run(_tasks: unknown, control: { onItem?: (r: ItemResult) => void }): Promise<ItemResult[]> {
      control.onItem?.(finished);
      // As pool.ts rethrows a worker's harnessError: the worker's whole stack as the message.
      return Promise.reject(new Error('cannot read property of undefined\n    at worker.js:1:1'));
    }
    close(): Promise<void> {
      return Promise.resolve();
    }
  }
  return { ...real, PiscinaExecutor: FailingExecutor };
});

describe('replay when vpdma itself fails part way', () => {
  it('writes the report with harnessError and the traces finished, and exits 3', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'vpdma-harness-')), 'report.json');
    const r = await runCli([
      'replay',
      'corpus/events.jsonl',
      'corpus/pool-helpers.jsonl',
      '--quiet',
      '--json',
      json,
    ]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('internal error (please report it)');
    const report = JSON.parse(readFileSync(json, 'utf8')) as ReplayReport;
    expect(report.harnessError).toBe(
      'internal error (please report it): Error: cannot read property of undefined',
    );
    expect(report.traces.map((t) => [t.trace, t.outcome])).toEqual([
      ['corpus/events.jsonl', 'pass'],
    ]);
    expect(report.summary.calls).toBe(7);
  });
});
