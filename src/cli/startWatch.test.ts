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

// A child that exits at once fails the same way every time, whatever the load: the reports of
// two runs can be compared whole. (One that never answers its hello fails by a timer, in the
// worker or, on a starved machine, by the pool's watchdog, each in its own words.)
describe('vpdma replay with a process target that exits before its hello', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-start-'));
  // Each start of the target adds a line to `starts`.
  const starts = join(dir, 'starts');
  const target = `process:echo s >> ${starts}; exit 7`;
  const traces = readdirSync('corpus').filter((f) => /\.(jsonl|vpt|txt)$/.test(f)).length;
  const runs = new Map<number, { cli: CliRun; tried: number; report: Record<string, unknown> }>();

  beforeAll(async () => {
    expect(starts).toMatch(/^[\w/.-]+$/); // goes into a shell command as it is
    // One at a time: each run's starts are counted apart.
    for (const workers of [1, 2]) {
      writeFileSync(starts, '');
      const json = join(dir, `w${workers}.json`);
      const cli = await runCli([
        ...['replay', 'corpus', '--target', target, '--workers', String(workers)],
        ...['--json', json, '--quiet'],
      ]);
      const tried = readFileSync(starts, 'utf8').split('\n').filter(Boolean).length;
      const report = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
      runs.set(workers, { cli, tried, report });
    }
  }, 120_000);

  it('exits 3 having started the target for the first traces at least', () => {
    expect(traces).toBeGreaterThan(STARTS_FAILED_MAX + 4);
    // Failing in milliseconds, a batch of later traces may run before the verdict stops it:
    // their results are dropped (below). The count that matters, a wait each, is tested next.
    for (const { cli, tried } of runs.values()) {
      expect(cli.code, cli.err).toBe(3);
      expect(tried).toBeGreaterThanOrEqual(STARTS_FAILED_MAX);
    }
  });

  it('reports the same for 1 worker and 2: the first traces as they ran, the rest not started', () => {
    const strip = (r: Record<string, unknown>): Record<string, unknown> => ({ ...r, timing: 0 });
    const one = runs.get(1);
    const two = runs.get(2);
    expect(strip(two?.report ?? {})).toEqual(strip(one?.report ?? {}));
    const entries = one?.report.traces as { outcome: string; error?: string }[];
    expect(entries).toHaveLength(traces);
    expect(entries.map((t) => t.outcome)).toEqual([
      ...Array<string>(STARTS_FAILED_MAX).fill('crash'),
      ...Array<string>(traces - STARTS_FAILED_MAX).fill('setup-failed'),
    ]);
    const why = `the target failed to start 8 times in a row with: \`echo s >> ${starts}; exit 7\` exited (code 7)`;
    expect(entries.at(-1)?.error).toBe(`not started: ${why}`);
    const out = one?.cli.out ?? '';
    const rest = traces - STARTS_FAILED_MAX;
    expect(out).toContain(
      `0 unreadable, ${rest} not started\n${rest} traces not started: ${why}\n`,
    );
    expect(out).toMatch(/^every trace tried \(8\): target-crashed: the target could not start: /m);
    expect(two?.cli.out.replace(/calls .*\n/, '')).toBe(out.replace(/calls .*\n/, ''));
  });
});

describe('vpdma replay with a process target that never answers its hello', () => {
  it('waits out the allowance of the first traces only, not one per trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-hello-'));
    const starts = join(dir, 'starts');
    // It dies on its own: a worker the watchdog ended on a starved machine leaves its child,
    // which only the CLI's exit reaps (bin/vpdma.js; runCli is in-process).
    const target = `process:echo s >> ${starts}; exec sleep 5`;
    const json = join(dir, 'r.json');
    // A second's allowance: the verdict stops the other worker within its wait, at load 20.
    const cli = await runCli([
      ...['replay', 'corpus', '--target', target, '--workers', '2', '--timeout', '100'],
      ...['--load-timeout', '1000', '--json', json, '--quiet'],
    ]);
    expect(cli.code, cli.err).toBe(3);
    const tried = readFileSync(starts, 'utf8').split('\n').filter(Boolean).length;
    // The other worker may have started one more, abandoned at the verdict.
    expect([tried >= STARTS_FAILED_MAX, tried <= STARTS_FAILED_MAX + 1], `${tried}`).toEqual([
      true,
      true,
    ]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { traces: { error?: string }[] };
    // The reason is the worker's timer's or the watchdog's: the rule, not the words, is tested.
    const said = 'not started: the target failed to start 8 times in a row with: ';
    const rest = report.traces.slice(STARTS_FAILED_MAX).map((t) => t.error?.slice(0, said.length));
    expect(rest).toEqual(Array<string>(report.traces.length - STARTS_FAILED_MAX).fill(said));
  }, 60_000);
});
