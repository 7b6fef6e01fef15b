import { describe, expect, it } from 'vitest';
import { exitWithFaults } from './campaignGuards.js';
import { EXIT } from './exitCodes.js';

describe('exitWithFaults', () => {
  const run = (code: (typeof EXIT)[keyof typeof EXIT], faults: string[]) => {
    const err: string[] = [];
    return { code: exitWithFaults((t) => void err.push(t), code, faults), err };
  };

  it('makes a run the disk refused something exit 2, whatever it found, each fault in a line', () => {
    expect(run(EXIT.ok, ['a', 'b'])).toEqual({
      code: EXIT.badInput,
      err: ['vpdma: a\n', 'vpdma: b\n'],
    });
    expect(run(EXIT.violations, ['a']).code).toBe(EXIT.badInput);
  });

  it('leaves a crash, an interrupt and a run without faults their own code', () => {
    expect(run(EXIT.crash, ['a'])).toEqual({ code: EXIT.crash, err: ['vpdma: a\n'] });
    expect(run(EXIT.interrupted, ['a']).code).toBe(EXIT.interrupted);
    expect(run(EXIT.violations, [])).toEqual({ code: EXIT.violations, err: [] });
  });
});
