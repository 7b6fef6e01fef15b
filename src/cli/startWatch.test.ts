// `vpdma replay` (and nightly's phase 1, nightlyStart.test.ts) stop starting a target that
// cannot start: decided from the first traces in order, so the same for any number of workers.
import { readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ItemResult } from '../replay/protocol.js';
import { NOT_STARTED } from '../replay/violation.js';
import { notTriedMessage, STARTS_FAILED_MAX, StartWatch, withNotTried } from './startWatch.js';
import { passed, unreadable, unstarted } from '../../test/support/itemResults.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';
import { pgrep, stillThere } from '../../test/pgrep.js';

/** The ids, fed in this order: the one whose result decided, if any. */
function decide(results: readonly ItemResult[]): number | undefined {
  const w = new StartWatch();
  const at = results.findIndex((r) => w.note(r));
  return at < 0 ? undefined : results[at]?.id;
}

describe('StartWatch', () => {
  it('decides from the first traces in order, whatever order their results come in', () => {
    const ids = Array.from({ length: 20 }, (_, i) => i);
    expect(decide(ids.map(unstarted))).toBe(STARTS_FAILED_MAX - 1);
    // Later traces first: only the result completing the first eight decides.
    const late = [...ids.slice(8), 3, 1, 0, 7, 6, 5, 4, 2].map(unstarted);
    expect(decide(late)).toBe(2);
    const w = new StartWatch();
    for (const r of late) w.note(r);
    expect(w.verdict).toEqual({
      lastId: STARTS_FAILED_MAX - 1,
      message: `${NOT_STARTED}: did not answer hello`,
    });
  });

  it('skips unreadable traces (the target was not tried), and never decides once one started', () => {
    const ids = Array.from({ length: 12 }, (_, i) => i);
    expect(decide(ids.map((i) => (i === 2 ? unreadable(i) : unstarted(i))))).toBe(8);
    expect(decide(ids.map((i) => (i === 5 ? passed(i) : unstarted(i))))).toBeUndefined();
    const setup = (id: number): ItemResult => ({ id, label: '', setupError: 'killed its thread' });
    expect(decide(ids.map(setup))).toBe(7);
  });
});

describe('withNotTried', () => {
  it('keeps the traces the verdict came from and files every later one alike, whichever ran', () => {
    const labels = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const verdict = { lastId: 7, message: `${NOT_STARTED}: did not answer hello` };
    // One worker stopped after trace 7; two had also run 8 (and 9 was started, then dropped).
    const one = withNotTried(
      labels.slice(0, 8).map((_, i) => unstarted(i)),
      verdict,
      labels,
    );
    const two = withNotTried(
      [9, 8, 3, 1, 0, 2, 4, 6, 5, 7].map((i) => (i === 9 ? passed(i) : unstarted(i))),
      verdict,
      labels,
    );
    expect(two).toEqual(one);
    expect(one.map((r) => r.id)).toEqual(labels.map((_, i) => i));
    expect(one[8]).toEqual({
      id: 8,
      label: 't8',
      setupError:
        'not started: the target failed to start 8 times in a row with: did not answer hello',
    });
    expect(notTriedMessage(verdict)).toBe(one[11]?.setupError);
  });
});

describe('vpdma replay with a process target that never answers its hello', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-start-'));
  // Each start of the target adds a line to `starts`, then it never answers.
  const starts = join(dir, 'starts');
  const command = 'sleep 997.27';
  const traces = readdirSync('corpus').filter((f) => /\.(jsonl|vpt|txt)$/.test(f)).length;
  const runs = new Map<number, { cli: CliRun; tried: number; report: Record<string, unknown> }>();

  beforeAll(async () => {
    expect(starts).toMatch(/^[\w/.-]+$/); // goes into a shell command as it is
    // One at a time: each run's starts are counted apart. A 100 ms hello allowance: a start
    // that fails costs that, however loaded the machine (the child never answers anyway).
    for (const workers of [1, 2]) {
      writeFileSync(starts, '');
      const json = join(dir, `w${workers}.json`);
      const cli = await runCli([
        ...['replay', 'corpus', '--target', `process:echo s >> ${starts}; exec ${command}`],
        ...['--workers', String(workers), '--timeout', '100', '--load-timeout', '100'],
        ...['--json', json, '--quiet'],
      ]);
      const tried = readFileSync(starts, 'utf8').split('\n').filter(Boolean).length;
      const report = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
      runs.set(workers, { cli, tried, report });
    }
  }, 120_000);

  it('starts the target about STARTS_FAILED_MAX times, not once per trace', async () => {
    expect(traces).toBeGreaterThan(STARTS_FAILED_MAX + 4);
    for (const [workers, { cli, tried }] of runs) {
      expect(cli.code, cli.err).toBe(3);
      // A worker free before the verdict may have started one more, abandoned.
      expect(tried).toBeGreaterThanOrEqual(STARTS_FAILED_MAX);
      expect(tried).toBeLessThanOrEqual(STARTS_FAILED_MAX + workers - 1);
    }
    expect(await stillThere(() => pgrep(['-f', command])), 'no target left running').toBe('');
  });

  it('reports the same for 1 worker and 2: the first traces as they ran, the rest not started', () => {
    const strip = (r: Record<string, unknown>): Record<string, unknown> => ({ ...r, timing: 0 });
    const one = runs.get(1);
    const two = runs.get(2);
    expect(strip(two?.report ?? {})).toEqual(strip(one?.report ?? {}));
    const entries = one?.report.traces as { outcome: string; error?: string }[];
    expect(entries).toHaveLength(traces);
    const why =
      'the target failed to start 8 times in a row with: did not answer hello within 100 ms';
    expect(entries.map((t) => t.outcome)).toEqual([
      ...Array<string>(STARTS_FAILED_MAX).fill('timeout'),
      ...Array<string>(traces - STARTS_FAILED_MAX).fill('setup-failed'),
    ]);
    expect(entries.at(-1)?.error).toBe(`not started: ${why}`);
    const out = one?.cli.out ?? '';
    const rest = traces - STARTS_FAILED_MAX;
    expect(out).toContain(
      `0 unreadable, ${rest} not started\n${rest} traces not started: ${why}\n`,
    );
    expect(out).toContain(
      `every trace tried (8): target-timeout: ${NOT_STARTED}: did not answer hello within 100 ms`,
    );
    expect(two?.cli.out.replace(/calls .*\n/, '')).toBe(out.replace(/calls .*\n/, ''));
  });
});
