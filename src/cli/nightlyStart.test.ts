// Phase 1 of `vpdma nightly` stops early on a target that cannot start: decided from the first
// traces in order (the same for any number of workers), the night ending with exit 3.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../replay/protocol.js';
import { NOT_STARTED, violation } from '../replay/violation.js';
import { keptAfterStop } from './nightlyStart.js';
import { passed, unreadable } from '../../test/support/itemResults.js';
import { STARTS_FAILED_MAX } from './startWatch.js';
import { pgrep, stillThere } from '../../test/pgrep.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-start-'));

describe('vpdma nightly with a process target that never answers its hello', () => {
  it('stops after the first traces fail to start, reports them and exits 3, trying no more', async () => {
    const out = join(dir, 'out');
    const command = 'sleep 997.25';
    // Each start of the target adds a line to `starts`, then it never answers.
    const starts = join(dir, 'starts');
    expect(starts).toMatch(/^[\w/.-]+$/); // goes into a shell command as it is
    const target = `echo started >> ${starts}; exec ${command}`;
    // As a user runs it (bin/vpdma.js, built): each start waits out the 5 s hello timeout,
    // so the first eight run side by side.
    const r = spawnSync(
      process.execPath,
      [
        ...['bin/vpdma.js', 'nightly', '--target', `process:${target}`, '--runs', '20'],
        ...['--workers', String(STARTS_FAILED_MAX), '--timeout', '100', '--out', out, '--quiet'],
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(3);
    // The verdict stops the replay: the traces after the first eight are not all tried, one
    // hello timeout each (the workers free by then may have started one more each, abandoned).
    const traces = readdirSync('corpus').filter((f) => /\.(jsonl|vpt|txt)$/.test(f)).length;
    const tried = readFileSync(starts, 'utf8').split('\n').filter(Boolean).length;
    expect(tried).toBeGreaterThanOrEqual(STARTS_FAILED_MAX);
    expect(tried).toBeLessThan(traces);
    expect(r.stderr).toMatch(
      new RegExp(
        `^vpdma: the target could not be set up: (?!${NOT_STARTED}).* \\(in each of the first 8 traces; 15 more not replayed, no case fuzzed\\)$`,
        'm',
      ),
    );
    expect(r.stdout).toContain('corpus: 8 traces, 0 passed, 0 with violations, 8 crashed or hung');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      corpus: { traces: { outcome: string }[] };
      fuzz: { cases: number };
      fuzzDetail: { stoppedBy: string };
    };
    expect(report.corpus.traces.map((t) => t.outcome)).toEqual(Array(8).fill('timeout'));
    expect([report.fuzz.cases, report.fuzzDetail.stoppedBy]).toEqual([0, 'setup']);
    expect(await stillThere(() => pgrep(['-f', command])), 'no target left running').toBe('');
  });
});

describe('keptAfterStop', () => {
  it('keeps a trace stopped part way only if it showed a violation before the stop', () => {
    const v = violation('recorded-mismatch', 'VideoPortMapDmaMemory', 10, 'ret');
    const stopped = (id: number, violations: (typeof v)[]): ItemResult => ({
      id,
      label: `t${id}`,
      result: {
        outcome: violations.length > 0 ? 'fail' : 'pass',
        calls: 50,
        violations,
        interrupted: true,
      },
    });
    const kept = keptAfterStop([passed(0), stopped(1, [v]), stopped(2, []), unreadable(3)]);
    expect(kept.map((r) => r.id)).toEqual([0, 1, 3]);
  });
});
