// A streamed trace is read between calls, outside the target: the watchdog must not time the
// read (a slow line under load was reported as the target's start timing out, exit 3).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { load, streamBytesMin } from './loadTrace.js';
import { newHeartbeat, starting } from './heartbeat.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-load-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = '{"format":"vpdma-trace","version":1,"profile":"docs","device":{}}';
const write = (hex: string): string =>
  `{"fn":"@write","args":{"va":"0xffff9d0020000010","data":"${hex}"}}`;

describe('load, streamed', () => {
  it('marks the heartbeat outside the target while it reads the next batch', async () => {
    const path = join(dir, 'big.jsonl');
    // Two 1 MiB writes: streamed, and read over several turns of the event loop.
    const big = write('ab'.repeat(1 << 20));
    writeFileSync(path, `${HEADER}\n${big}\n${big}\n`);
    expect(streamBytesMin).toBeLessThan(4 << 20);
    const { beat: hb } = newHeartbeat();
    starting(hb, 7);
    const trace = await load({ id: 7, label: 'big.jsonl', path }, hb);
    if (typeof trace === 'string') throw new Error(trace);
    const seen = new Set<number>();
    let sampling = true;
    const sample = (): void => {
      seen.add(Atomics.load(hb, 0));
      if (sampling) setImmediate(sample);
    };
    sample();
    let calls = 0;
    try {
      for await (const batch of trace.calls as AsyncIterable<readonly unknown[]>) {
        calls += batch.length;
        // Back in the replay: the watchdog times the target again.
        expect(Atomics.load(hb, 0)).toBe(7);
      }
    } finally {
      sampling = false;
      await trace.close?.();
    }
    expect(calls).toBe(2);
    expect(seen.has(-1)).toBe(true);
  });
});
