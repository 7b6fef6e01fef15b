import { describe, expect, it } from 'vitest';
import { unwrittenError } from './nightlyOutputs.js';

describe('unwrittenError', () => {
  it('names --out for the reports in it and --json by its own path', () => {
    const e = unwrittenError('O2', {
      files: ['report.html', '--json /dev/full'],
      reason: 'ENOSPC: no space left on device',
    });
    expect(e.message).toBe(
      'cannot write report.html to O2 or --json /dev/full (ENOSPC: no space left on device): they hold what an earlier run wrote, if any',
    );
  });

  it('does not put --json under --out when only it failed', () => {
    const e = unwrittenError('O2', { files: ['--json /dev/full'], reason: 'ENOSPC' }, 'h.json');
    expect(e.message).toBe(
      'cannot write --json /dev/full (ENOSPC): it holds what an earlier run wrote, if any; --history h.json was not written either',
    );
  });
});
