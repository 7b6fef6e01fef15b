// A long trace's replay keeps what it found when it cannot go to the end: stopped when asked
// (Ctrl-C), the calls and violations so far come back, marked interrupted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJsonl } from '../trace/jsonl.js';
import { Recorder } from '../model/recorder.js';
import { resolveDevice } from '../model/device.js';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { framebufferTraffic } from '../../test/support/testTraces.js';
import { createMutantTarget, MUTANTS } from './mutants.js';
import { HEARTBEAT_SLOTS } from './protocol.js';
import { askStop } from './heartbeat.js';
import { replayTrace } from './replayTrace.js';
import { runReplayTask, streamBytesMin } from './runTask.js';
import type { ItemResult } from './protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-partial-'));
const settings = { target: 'model', paranoid: false, timeoutMs: 5000, sampleBytes: 512 };

/** `lines` as a JSONL file, replayed read whole and streamed: the two results must agree. */
async function bothWays(
  name: string,
  lines: readonly string[],
  target: string,
): Promise<ItemResult> {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  const run = async (size: number): Promise<ItemResult | undefined> =>
    (
      await runReplayTask({
        settings: { ...settings, target },
        items: [{ id: 0, label: path, path, size }],
      })
    )[0];
  const whole = await run(1);
  const streamed = await run(streamBytesMin + 1);
  expect(streamed).toEqual(whole);
  if (whole === undefined) throw new Error('no result');
  return whole;
}

/** A violation at call 1 (under bytes-used-remembered), then 3,000 calls that pass. */
function longTrace(): Recorder {
  const r = new Recorder({}, true);
  r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
  r.call('VideoPortGetBytesUsed', { pDma: 0n });
  framebufferTraffic(r, 1500);
  return r;
}

function mutant(): ReturnType<typeof createMutantTarget> {
  const m = MUTANTS.find((x) => x.name === 'bytes-used-remembered');
  if (m === undefined) throw new Error('mutant missing');
  return createMutantTarget(m, { device: resolveDevice(KITCHEN_HEADER.device), profile: 'docs' });
}

describe('replayTrace stopped when asked', () => {
  it('returns the calls and violations so far, marked interrupted', async () => {
    const { calls } = longTrace();
    let asked = 0;
    const r = await replayTrace(KITCHEN_HEADER, calls, mutant(), {
      stopped: () => ++asked > 100,
    });
    expect(r.interrupted).toBe(true);
    expect(r.calls).toBe(100);
    expect(r.outcome).toBe('fail');
    expect(r.violations[0]).toMatchObject({ kind: 'inert-return-mismatch', callIndex: 1 });
    // Not asked to stop, the same trace runs to its end and is not marked.
    const whole = await replayTrace(KITCHEN_HEADER, calls, mutant());
    expect(whole.interrupted).toBeUndefined();
    expect(whole.calls).toBe(calls.length);
  });

  it('stops between batches of a streamed trace as well', async () => {
    const { calls } = longTrace();
    const batches = {
      async *[Symbol.asyncIterator](): AsyncGenerator<readonly (typeof calls)[number][]> {
        for (let i = 0; i < calls.length; i += 512)
          yield await Promise.resolve(calls.slice(i, i + 512));
      },
    };
    let asked = 0;
    const r = await replayTrace(KITCHEN_HEADER, batches, mutant(), {
      stopped: () => ++asked > 600,
    });
    expect(r).toMatchObject({ interrupted: true, calls: 600, outcome: 'fail' });
  });
});

describe('runReplayTask asked to stop', () => {
  it('begins no trace once the stop is set', async () => {
    const heartbeat = new SharedArrayBuffer(HEARTBEAT_SLOTS * 4);
    askStop(new Int32Array(heartbeat));
    const out = await runReplayTask({
      settings: { target: 'model', paranoid: false, timeoutMs: 5000, sampleBytes: 512 },
      items: [{ id: 0, label: 'corpus/events.jsonl', path: 'corpus/events.jsonl' }],
      heartbeat,
    });
    expect(out).toEqual([]);
  });
});

describe('bad input part way through a trace', () => {
  it('keeps the calls replayed before a bad line and their violations beside the error', async () => {
    const lines = formatJsonl({ header: KITCHEN_HEADER, calls: longTrace().calls })
      .trimEnd()
      .split('\n');
    // Call 2000 (line 2002) does not parse.
    lines[2001] = '{"fn":"VideoPortGetBytesUsed","args":{"pDma":"not-a-pointer"}}';
    const r = await bothWays('bad-line.jsonl', lines, 'mutant:bytes-used-remembered');
    expect(r.inputError).toMatch(/bad-line\.jsonl:2002: args\.pDma/);
    expect(r.result).toMatchObject({ outcome: 'fail', calls: 2000 });
    expect(r.result?.violations[0]).toMatchObject({ kind: 'inert-return-mismatch', callIndex: 1 });
  });

  it('ends the replay before the first call using a handle no call returned', async () => {
    const calls = kitchenSink().filter((c) => c.fn !== 'VideoPortGetDmaAdapter');
    const lines = formatJsonl({ header: KITCHEN_HEADER, calls }).trimEnd().split('\n');
    const r = await bothWays('dangling.jsonl', lines, 'model');
    const line = Number(
      /dangling\.jsonl:(\d+): .*which no earlier call returned/.exec(r.inputError ?? '')?.[1],
    );
    expect(line).toBeGreaterThan(2);
    // Every call before the one using the handle replayed, and none after it.
    expect(r.result?.calls).toBe(line - 2);
    expect(r.result?.violations).toEqual([]);
    // The calls after it were still read and checked, not replayed.
    expect(r.traceCalls).toBe(calls.length);
  });
});
