// The library's minimizeTrace against targets built in code, and against the command: the
// same trace and target give the same repro. The command's candidates replay in the pool,
// whose workers run dist/: `npm run build` first.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { createModelTargetSync } from '../replay/modelTarget.js';
import { createMutantTarget, findMutant } from '../replay/mutants.js';
import { replayTrace } from '../replay/replayTrace.js';
import type { Target } from '../replay/target.js';
import { readTrace } from '../store/traceFiles.js';
import { printText } from '../trace/text.js';
import type { Trace } from '../trace/trace.js';
import { minimizeTrace } from './minimizeTrace.js';
import { runCli } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test/fixtures/reshape-case.txt');
let dir = '';
let trace: Trace;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-minimize-trace-'));
  const r = await readTrace(fixture);
  if (!r.ok) throw new Error(r.error.message);
  trace = r.value;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Fresh mutant targets, counting how many were made and closed. */
function mutantFactory(name: string): { make: () => Target; made: number; closed: number } {
  const m = findMutant(name);
  if (m === undefined) throw new Error(name);
  const f = {
    made: 0,
    closed: 0,
    make: (): Target => {
      f.made++;
      const t = createMutantTarget(m, {
        device: resolveDevice(trace.header.device),
        profile: 'docs',
      });
      return { ...t, close: () => void f.closed++ };
    },
  };
  return f;
}

describe('minimizeTrace', () => {
  it('shrinks a fuzz case to the repro `vpdma minimize` writes for it', async () => {
    const f = mutantFactory('drops-map-registers');
    const r = await minimizeTrace(trace, f.make);
    if (r.outcome !== 'minimized') throw new Error(r.outcome);
    expect(r.violation.kind).toBe('transfer-state-changed');
    expect(r.reproduced).toBe(true);
    expect(r.exhausted).toBe(false);
    expect(r.trace.calls.length).toBeLessThan(trace.calls.length);
    expect(r.trace.header.meta['minimized']).toEqual({
      calls: trace.calls.length,
      kind: 'transfer-state-changed',
      fn: r.violation.fn,
    });
    // Every target made was closed: one per replay.
    expect(f.closed).toBe(f.made);
    expect(f.made).toBeGreaterThan(r.attempts);
    // The bug is the mutant's: the plain model replays the repro cleanly.
    const plain = createModelTargetSync({
      device: resolveDevice(r.trace.header.device),
      profile: 'docs',
    });
    expect((await replayTrace(r.trace.header, r.trace.calls, plain)).outcome).toBe('pass');

    const out = join(dir, 'cli.txt');
    const cli = await runCli([
      'minimize',
      fixture,
      '--target',
      'mutant:drops-map-registers',
      '--out',
      out,
      '--quiet',
    ]);
    expect(cli.code).toBe(1);
    const written = await readTrace(out);
    if (!written.ok) throw new Error(written.error.message);
    expect(printText({ header: trace.header, calls: r.trace.calls })).toBe(
      printText({ header: trace.header, calls: written.value.calls }),
    );
    expect(await readFile(out, 'utf8')).toContain('profile=docs');
  });

  it('keeps the violation asked for, and says so when the trace shows none', async () => {
    const f = mutantFactory('drops-map-registers');
    const none = await minimizeTrace(trace, f.make, { kind: 'map-dma-returned-non-null' });
    expect(none.outcome).toBe('passes');
    const model = (): Target =>
      createModelTargetSync({ device: resolveDevice(trace.header.device), profile: 'docs' });
    const clean = await minimizeTrace(trace, model);
    if (clean.outcome !== 'passes') throw new Error(clean.outcome);
    expect(clean.replay.outcome).toBe('pass');
  });

  it('stops at the attempt budget and says the repro may not be minimal', async () => {
    const f = mutantFactory('drops-map-registers');
    const r = await minimizeTrace(trace, f.make, { attemptsMax: 3 });
    if (r.outcome !== 'minimized') throw new Error(r.outcome);
    expect(r.exhausted).toBe(true);
    expect(r.attempts).toBe(3);
    expect(r.reproduced).toBe(true);
  });

  it('caps all its rounds together at attemptsMax, as `vpdma minimize --attempts-max` does', async () => {
    // This capture minimizes to 8 calls within 10 (or 30) attempts, and reshaping then finds
    // a shorter repro: each later round used to get the whole budget again (20 and 60 in all).
    const legacy = join(root, 'corpus/legacy-mapdma-during-transfers.jsonl');
    const read = await readTrace(legacy);
    if (!read.ok) throw new Error(read.error.message);
    const m = findMutant('mapdma-corrupts-common-buffer');
    if (m === undefined) throw new Error('no such mutant');
    const device = resolveDevice(read.value.header.device);
    const make = (): Target => createMutantTarget(m, { device, profile: 'docs' });
    for (const attemptsMax of [10, 30]) {
      const r = await minimizeTrace(read.value, make, { attemptsMax });
      if (r.outcome !== 'minimized') throw new Error(r.outcome);
      expect(r.attempts).toBe(attemptsMax);
      expect(r.exhausted).toBe(true);
      const out = join(dir, `capped-${attemptsMax}.txt`);
      const cli = await runCli([
        ...['minimize', legacy, '--target', 'mutant:mapdma-corrupts-common-buffer'],
        // Both names: --attempts-max as fuzz has it, --attempts its older one.
        ...[attemptsMax === 10 ? '--attempts-max' : '--attempts', String(attemptsMax)],
        ...['--out', out, '--quiet'],
      ]);
      expect(cli.code).toBe(1);
      expect(cli.out).toContain(`: ${attemptsMax} attempts (`);
      const written = await readTrace(out);
      if (!written.ok) throw new Error(written.error.message);
      expect(written.value.calls).toEqual(r.trace.calls);
    }
  });

  it('ends with the shortest repro so far when aborted', async () => {
    const f = mutantFactory('drops-map-registers');
    const stop = new AbortController();
    const r = await minimizeTrace(
      trace,
      () => {
        if (f.made === 5) stop.abort();
        return f.make();
      },
      { signal: stop.signal },
    );
    if (r.outcome !== 'minimized') throw new Error(r.outcome);
    expect(r.aborted).toBe(true);
    expect(r.attempts).toBeLessThan(10);
    expect(r.reproduced).toBe(true);
  });

  it('hears an abort from a timer while a synchronous target replays', async () => {
    const f = mutantFactory('drops-map-registers');
    const stop = new AbortController();
    // Every replay slowed, so that the whole minimization would take seconds.
    const slow = (): Target => {
      const t = f.make();
      const call = t.call.bind(t);
      return {
        ...t,
        call: (c) => {
          const until = performance.now() + 2;
          while (performance.now() < until);
          return call(c);
        },
      };
    };
    setTimeout(() => stop.abort(), 300);
    const r = await minimizeTrace(trace, slow, { signal: stop.signal });
    if (r.outcome !== 'minimized') throw new Error(r.outcome);
    expect(r.aborted).toBe(true);
  });

  it('takes a target that fails to start or to close as the command does, and refuses bad options', async () => {
    const none = await minimizeTrace(trace, () => null as unknown as Target);
    expect(none.outcome).toBe('cannot-start');
    const f = mutantFactory('drops-map-registers');
    const badClose = (): Target => ({
      ...f.make(),
      close: () => {
        throw new Error('close failed');
      },
    });
    const r = await minimizeTrace(trace, badClose);
    expect(r.outcome).toBe('minimized');
    await expect(minimizeTrace(trace, f.make, { attemptsMax: 0 })).rejects.toThrow(/attemptsMax/);
    await expect(minimizeTrace(trace, f.make, { kind: 'no-such-kind' as never })).rejects.toThrow(
      /unknown violation kind/,
    );
    await expect(minimizeTrace(trace, f.make, { fn: 'VideoPortNope' })).rejects.toThrow(/fn/);
  });
});
