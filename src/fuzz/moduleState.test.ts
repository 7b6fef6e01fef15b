import { describe, expect, it } from 'vitest';
import { moduleStateWarning } from './moduleState.js';

const sig = 'target-timeout/CreateEvent/0b1c2d3e';

/** A run's result as the warning reads it: its findings, and `unconfirmed` failing cases. */
function run(findings: readonly { signature: string; reproduced: string }[], unconfirmed: number) {
  return { findings, unconfirmed: Array.from({ length: unconfirmed }) };
}

describe('moduleStateWarning', () => {
  it('points a module target with workers at its top-level state when re-runs disagree', () => {
    const w = moduleStateWarning(
      'module:./shim.mjs',
      2,
      run([{ signature: sig, reproduced: '1/3' }], 0),
    );
    expect(w).toBe(
      `warning: 1 finding reproduced only in part (${sig} 1/3) with 2 workers: a module target's top-level state (a counter, a cache) is shared by the cases of one worker thread, so what fails depends on --workers; keep state in the target its factory makes (docs/targets.md, "Arguments and state of a module target")`,
    );
  });

  it('counts failing cases that never failed again, and shows three re-runs at most', () => {
    const findings = ['0/3', '2/3', '1/3', '2/3', '3/3'].map((reproduced, i) => ({
      signature: `s${i}`,
      reproduced,
    }));
    const w = moduleStateWarning('module:./shim.mjs', 4, run(findings, 2));
    expect(w).toMatch(
      /^warning: 4 findings reproduced only in part \(s0 0\/3, s1 2\/3, s2 1\/3, \.\.\.\) and 2 failing cases never failed again with 4 workers: /,
    );
  });

  it('says nothing when every re-run agreed, with one worker, or for other targets', () => {
    const flaky = [{ signature: sig, reproduced: '2/3' }];
    expect(
      moduleStateWarning('module:./t.mjs', 2, run([{ signature: sig, reproduced: '3/3' }], 0)),
    ).toBe(undefined);
    expect(moduleStateWarning('module:./t.mjs', 1, run(flaky, 1))).toBeUndefined();
    expect(moduleStateWarning('process:./t', 2, run(flaky, 1))).toBeUndefined();
    expect(moduleStateWarning('model', 2, run(flaky, 1))).toBeUndefined();
  });
});
