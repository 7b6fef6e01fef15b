import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { refusedWorkerFlags } from './pool.js';

describe('refusedWorkerFlags', () => {
  it("reads the flags from this Node's own refusal, and nothing from other errors", () => {
    let caught: unknown;
    try {
      // Refused before the thread starts: nothing runs.
      void new Worker('', {
        eval: true,
        execArgv: ['--max-old-space-size=64', '--no-warnings', '--jitless'],
      });
    } catch (e) {
      caught = e;
    }
    expect(refusedWorkerFlags(caught)).toEqual(new Set(['--max-old-space-size=64', '--jitless']));
    expect(refusedWorkerFlags(new Error('flags: --x'))).toBeUndefined();
    expect(refusedWorkerFlags('ERR_WORKER_INVALID_EXEC_ARGV')).toBeUndefined();
  });
});
