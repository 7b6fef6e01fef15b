// --load-timeout governs a process: target's start (spawn + hello) as it does a module's load:
// a real child that answers hello late is given exactly that long (the default stays
// START_TIMEOUT_MS, or --timeout if longer, as replay/startTimeout.ts says why).
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplayReport } from '../report/replayReport.js';
import { helloTimeoutMs, START_TIMEOUT_MS, startTimeoutMs } from '../replay/startTimeout.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-process-start-'));
const trace = join(dir, 'ring.jsonl');
copyFileSync(join(import.meta.dirname, '../../corpus/common-buffer-ring.jsonl'), trace);
/** Answers hello 1.5 s after it starts (slow-process-target.mjs's START argument). */
const late = 'process:node test/fixtures/slow-process-target.mjs 0 1500';

describe('a process target that answers hello late', () => {
  it('has --load-timeout to start, not the fixed 5 s', async () => {
    const json = join(dir, 'r.json');
    const r = await runCli([
      ...['replay', trace, '--target', late, '--load-timeout', '300', '--json', json, '--quiet'],
    ]);
    expect(r.code).toBe(3);
    const report = JSON.parse(readFileSync(json, 'utf8')) as ReplayReport;
    expect(report.traces[0]).toMatchObject({ outcome: 'timeout', calls: 0, notStarted: true });
    expect(report.violations[0]?.message).toBe(
      'the target could not start: did not answer hello within 300 ms',
    );
  });

  it('the pool watchdog waits as long as the child may take to say hello', () => {
    expect(startTimeoutMs('process:x', 1000, 60_000)).toBe(60_000);
    expect(startTimeoutMs('process:x', 1000, 300)).toBe(300);
    // Without --load-timeout: the short default, or --timeout if longer; a module: its call's.
    expect(startTimeoutMs('process:x', 1000)).toBe(START_TIMEOUT_MS);
    expect(helloTimeoutMs(9000, undefined)).toBe(9000);
    expect(startTimeoutMs('module:m.mjs', 1000, 60_000)).toBe(1000);
  });
});
