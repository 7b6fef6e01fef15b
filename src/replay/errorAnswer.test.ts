// A process child that answers {error} (a function it does not implement) is reported as
// target-crashed with that text, and then serves the next trace or fuzz case with hello
// (docs/target-protocol.md): it is not killed and started again. A child that answers
// garbage is killed, also when the frame was sound and the garbage is in what it says (a ret of
// the wrong type, found after the child's part is done).
// test/fixtures/slow-process-target.mjs (the model behind a pipe; dist/ must be built) logs
// its pid at every start.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBase } from '../fuzz/base.js';
import { runFuzzTask } from '../fuzz/runCases.js';
import type { ReplaySettings } from './protocol.js';
import { closeSessions, runReplayTask } from './runTask.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test/fixtures/slow-process-target.mjs');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-error-answer-'));
let logs = 0;

/** A process SPEC with the environment given, and the file its starts are logged to. */
function spec(env: string): { target: string; starts: () => number } {
  const log = join(dir, `starts-${logs++}.log`);
  writeFileSync(log, '');
  return {
    target: `process:STARTLOG=${log} ${env} ${process.execPath} ${fixture}`,
    starts: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length,
  };
}

// Both call VideoPortLockBuffer; common-buffer-ring does not, and passes.
const traces = ['events', 'pool-helpers', 'common-buffer-ring'].map((t) =>
  join(root, `corpus/${t}.jsonl`),
);

async function replay(target: string) {
  const settings: ReplaySettings = { target, paranoid: false, timeoutMs: 5000, sampleBytes: 512 };
  const items = traces.map((path, id) => ({ id, label: path, path }));
  return (await runReplayTask({ settings, items })).map((r) => ({
    outcome: r.result?.outcome,
    last: r.result?.violations.at(-1),
  }));
}

afterEach(() => closeSessions());

describe('a process child that answers {error}', () => {
  it('replay: both traces are target-crashed with its text, and one child serves all three', async () => {
    const { target, starts } = spec('MISSING=VideoPortLockBuffer');
    const r = await replay(target);
    expect(r.map((x) => x.outcome)).toEqual(['crash', 'crash', 'pass']);
    for (const x of r.slice(0, 2))
      expect(x.last).toMatchObject({
        kind: 'target-crashed',
        fn: 'VideoPortLockBuffer',
        message: 'reported an error: not implemented: VideoPortLockBuffer',
      });
    expect(starts()).toBe(1);
  }, 60_000);

  it('replay: garbage in a well-framed answer (a ret of the wrong type) still retires the child', async () => {
    const { target, starts } = spec('GARBAGE=VideoPortLockBuffer');
    const r = await replay(target);
    expect(r.map((x) => x.outcome)).toEqual(['crash', 'crash', 'pass']);
    expect(r[0]?.last?.message).toBe(
      'VideoPortLockBuffer: the target answered garbage: ret is the string "garbage", not an integer (ptr)',
    );
    expect(starts()).toBe(3);
  }, 60_000);

  it('fuzz: the cases that hit it share one child', async () => {
    const missing = ['VideoPortAllocatePool', 'VideoPortCreateEvent', 'VideoPortGetDeviceBase'];
    const { target, starts } = spec(`MISSING=${missing.join(',')}`);
    const settings = {
      target,
      timeoutMs: 5000,
      sampleBytes: 512,
      callsMax: 16,
      seed: 3,
      seedText: '3',
    };
    const cases = Array.from({ length: 12 }, (_, i) => i);
    const r = await runFuzzTask({ settings, base: buildBase([], 16).shared, cases });
    const erred = r.filter((c) => /not implemented/.test(c.violations[0]?.message ?? ''));
    expect(erred.length).toBeGreaterThanOrEqual(2);
    expect(r.filter((c) => c.outcome === 'crash' || c.outcome === 'timeout')).toEqual(erred);
    expect(starts()).toBe(1);
  }, 60_000);
});
