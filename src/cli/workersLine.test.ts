// The start lines' `workers=` says what is known before the run, and the summary what happened:
// a short campaign against an in-process target may start no worker, so its start line does
// not promise them; a module target's pool starts them all, and its line says the number. A
// merged report sums the workers its shards started.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOLO_MS } from '../fuzz/executor.js';
import { runCli as run } from '../../test/support/runCli.js';
import { fuzzWorkersText, nightlyWorkersText } from './workersLine.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-workers-line-'));
const LATE = `(started if the cases outlast ${SOLO_MS} ms in this thread)`;
const MODULE = 'module:test/fixtures/mutant-target.mjs';

/** The start line of a run's stderr (the one after the seed's). */
const startLine = (err: string, command: string): string =>
  err.split('\n').find((l) => l.startsWith(`vpdma ${command}: target=`)) ?? '';

describe('the workers a start line names', () => {
  it('are "up to N" for in-process targets, N for the others', () => {
    expect(fuzzWorkersText(2, 'model')).toBe(`up to 2 ${LATE}`);
    expect(fuzzWorkersText(3, 'mutant:drops-map-registers')).toBe(`up to 3 ${LATE}`);
    expect(fuzzWorkersText(2, MODULE)).toBe('2');
    expect(fuzzWorkersText(4, 'process:./t')).toBe('4');
  });

  it("are the nightly replay's and campaign's, one number when they agree", () => {
    expect(nightlyWorkersText(2, 2, MODULE)).toBe('2');
    expect(nightlyWorkersText(1, 2, MODULE)).toBe('1 replaying, 2 fuzzing');
    expect(nightlyWorkersText(0, 2, MODULE)).toBe('0 replaying, 2 fuzzing');
    expect(nightlyWorkersText(2, 2, 'model')).toBe(`2 replaying, up to 2 ${LATE} fuzzing`);
  });
});

describe('vpdma fuzz, nightly and merge: start line and summary', () => {
  it('fuzz against the model: "up to", then where the cases did run', async () => {
    const out = join(dir, 'model');
    const r = await run(['fuzz', '--runs', '8', '--workers', '2', '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(startLine(r.err, 'fuzz')).toContain(` workers=up to 2 ${LATE} corpus=`);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      timing: { workers: number; workersStarted: number };
    };
    // Either is true of a start line that says "up to 2"; the summary says which happened.
    expect([0, 2]).toContain(rep.timing.workersStarted);
    expect(r.out).toContain(
      rep.timing.workersStarted === 0
        ? ', in the main thread (no worker started)\n'
        : ', 2 workers\n',
    );
  });

  it('fuzz against a module: every worker starts, and the line says so', async () => {
    const out = join(dir, 'module');
    const args = ['--target', MODULE, '--runs', '4', '--workers', '2', '--calls-max', '8'];
    const r = await run(['fuzz', ...args, '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(startLine(r.err, 'fuzz')).toContain(' workers=2 corpus=');
    expect(r.out).toMatch(/ calls\/s, 2 workers\n/);
  });

  it("nightly: the corpus replay's workers and the campaign's; the summary says where cases ran", async () => {
    const out = join(dir, 'nightly');
    const r = await run(['nightly', '--runs', '8', '--workers', '2', '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(startLine(r.err, 'nightly')).toContain(
      ` workers=2 replaying, up to 2 ${LATE} fuzzing traces=`,
    );
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      fuzzDetail: { timing: { workersStarted: number } };
    };
    const ran = rep.fuzzDetail.timing.workersStarted;
    expect(r.out).toMatch(
      new RegExp(
        `\\nfuzz: 8 cases .*, corpus \\d+ \\(\\+\\d+\\), ${ran === 0 ? 'in the main thread \\(no worker started\\)' : '2 workers'}\\n`,
      ),
    );
  });

  it('merge: the workers the shards started, summed, as the merged summary says', async () => {
    const shards = ['1/2', '2/2'].map((k) => join(dir, `shard-${k[0] ?? ''}`));
    const args = ['--runs', '40', '--workers', '1', '--quiet'];
    for (const [i, out] of shards.entries()) {
      const r = await run(['nightly', ...args, '--shard', `${i + 1}/2`, '--out', out]);
      expect(r.code, r.err).toBe(0);
    }
    type Timing = { workers: number; workersStarted: number };
    const timing = (out: string): Timing =>
      (
        JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
          fuzzDetail: { timing: Timing };
        }
      ).fuzzDetail.timing;
    const out = join(dir, 'merged');
    const m = await run(['merge', ...shards, '--out', out]);
    expect(m.code, m.err).toBe(0);
    const started = shards.reduce((n, s) => n + timing(s).workersStarted, 0);
    expect(timing(out)).toEqual(expect.objectContaining({ workers: 2, workersStarted: started }));
    const where =
      started === 0
        ? 'in the main thread (no worker started)'
        : `${started} worker${started === 1 ? '' : 's'}`;
    expect(m.out).toMatch(
      new RegExp(`\\nfuzz: 40 cases .*\\), ${where.replace(/[()]/g, '\\$&')}\\n`),
    );
  });
});
