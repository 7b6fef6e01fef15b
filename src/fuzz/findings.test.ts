// From failing cases to findings, with the replay faked: what gets minimized, and what a flaky
// failure (one that does not happen on every run) turns into.
import { describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_HEADER } from '../replay/kitchenSink.js';
import type { Violation } from '../replay/violation.js';
import type { Trace } from '../trace/trace.js';
import { groupFailures, processFindings, REPRODUCE_TIMES, type FindingDeps } from './findings.js';
import type { CaseResult } from './protocol.js';

const v: Violation = {
  kind: 'target-crashed',
  fn: 'VideoPortStartDma',
  callIndex: 9,
  message: 'VideoPortStartDma: the target threw Error: flaky',
};

const failing = (index: number): CaseResult => ({
  index,
  calls: 10,
  outcome: 'crash',
  violations: [v],
  keys: [],
});

/** Deps whose replays fail `fails` of every REPRODUCE_TIMES runs; counts what was asked. */
function deps(fails: number): FindingDeps & { minimized: number; replays: number } {
  const d = {
    minimized: 0,
    replays: 0,
    regenerate: (_index: number, calls: number): Trace => ({
      header: KITCHEN_HEADER,
      calls: kitchenSink().slice(0, calls),
    }),
    minimize: (trace: Trace) => {
      d.minimized++;
      return Promise.resolve({
        trace: { ...trace, calls: trace.calls.slice(-2) },
        exhausted: false,
        attempts: 7,
      });
    },
    reproduce: (_t: Trace, seen: Violation, times: number) => {
      d.replays += times;
      const count = Math.min(fails, times);
      return Promise.resolve(count > 0 ? { count, seen } : { count });
    },
  };
  return d;
}

describe('processFindings', () => {
  const groups = groupFailures([failing(4), failing(11)], 2);

  it('minimizes a failure that happens on every run, and counts the repro reproducing', async () => {
    const d = deps(REPRODUCE_TIMES);
    const [f, ...rest] = await processFindings(groups, d);
    expect(rest).toEqual([]); // both cases minimize to the same two calls
    expect(f).toMatchObject({ minimized: true, confirmed: true, reproduced: '3/3', reproCalls: 2 });
    expect(f?.cases).toEqual([4, 11]);
    expect(d.minimized).toBe(2);
  });

  it('does not minimize a flaky failure, reports it once per group, unminimized', async () => {
    const d = deps(1);
    const found = await processFindings(groups, d);
    expect(d.minimized).toBe(0);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      minimized: false,
      confirmed: true,
      reproduced: `1/${REPRODUCE_TIMES}`,
      caseIndex: 4,
      reproCalls: 10,
    });
    expect(d.replays).toBe(REPRODUCE_TIMES); // the check before minimizing is the count
  });

  it('keeps a failure that never happens again as unconfirmed, trying the next case', async () => {
    const d = deps(0);
    const found = await processFindings(groups, d);
    expect(d.minimized).toBe(0);
    // Both cases were tried (here they are the same trace, so one signature).
    expect(found.map((f) => [f.cases, f.confirmed, f.reproduced])).toEqual([
      [[4, 11], false, `0/${REPRODUCE_TIMES}`],
    ]);
    expect(d.replays).toBe(2 * REPRODUCE_TIMES);
  });
});
