// A target's own coverage on the way in: a process child's `edges` bin and a module's
// coverage() answer become u32 ids, and every lie (not bin, a length that is no multiple of
// 4, too many ids, a hang) is a target fault, which a replay reports at the trace's last call.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageEdgesMax } from '../core/limits.js';
import { DEFAULT_DEVICE } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { TargetFault } from './callTarget.js';
import { guardTarget } from './guardedTarget.js';
import { createModelTargetSync } from './modelTarget.js';
import { createProcessTarget } from './processTarget.js';
import { replayTrace } from './replayTrace.js';
import { emptyHeader } from '../trace/trace.js';
import type { TraceCallIn } from './target.js';
import { edgesFromBin, edgesFromModule, newEdges } from './targetCoverage.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test/fixtures/slow-process-target.mjs');

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

const faultOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(TargetFault.is(e)).toBe(true);
    return (e as Error).message;
  }
  return 'no fault';
};

describe('edge ids from the wire and from modules', () => {
  it('a bin is little-endian u32 ids, in its order, duplicates kept', () => {
    const bin = Uint8Array.of(1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0);
    expect([...edgesFromBin(bin)]).toEqual([1, 0xffffffff, 1]);
    expect([...edgesFromBin(new Uint8Array(0))]).toEqual([]);
  });

  it('a bin that is no bin, no multiple of 4 or too long is garbage', () => {
    expect(faultOf(() => edgesFromBin('abc'))).toMatch(
      /coverage answered edges that are not bin \(the string "abc"\)/,
    );
    expect(faultOf(() => edgesFromBin(new Uint8Array(5)))).toMatch(
      /coverage answered 5 bytes of edges, not a multiple of 4/,
    );
    expect(faultOf(() => edgesFromBin(new Uint8Array((coverageEdgesMax + 1) * 4)))).toMatch(
      new RegExp(`listed ${coverageEdgesMax + 1} edge ids, more than ${coverageEdgesMax}`),
    );
    expect(edgesFromBin(new Uint8Array(coverageEdgesMax * 4))).toHaveLength(coverageEdgesMax);
  });

  it('a module answers a Uint32Array or integers from 0 to 2^32-1', () => {
    expect([...edgesFromModule([0, 7, 0xffffffff])]).toEqual([0, 7, 0xffffffff]);
    const mine = Uint32Array.of(3, 4);
    const copy = edgesFromModule(mine);
    mine[0] = 9;
    expect([...copy]).toEqual([3, 4]); // its own copy
    for (const bad of [-1, 2 ** 32, 1.5, '1', 1n])
      expect(faultOf(() => edgesFromModule([1, bad]))).toMatch(/at index 1; edge ids are integers/);
    expect(faultOf(() => edgesFromModule({ length: 1 }))).toMatch(
      /coverage\(\) answered a value of type object; expected a Uint32Array/,
    );
    expect(faultOf(() => edgesFromModule(new Array(coverageEdgesMax + 1).fill(0)))).toMatch(
      /more than 1048576 in one answer/,
    );
  });

  it('a task reports each edge once: the first case to hit it', () => {
    const seen = new Set<number>();
    expect(newEdges(Uint32Array.of(5, 2, 5, 9), seen)).toEqual([2, 5, 9]);
    expect(newEdges(Uint32Array.of(9, 1, 2), seen)).toEqual([1]);
  });

  it('a module target behind the guard: a coverage() that throws or lies is a fault', async () => {
    const model = createModelTargetSync({ device: DEFAULT_DEVICE, profile: 'docs' });
    const honest = guardTarget({ ...model, coverage: () => [1, 2] }, 1000);
    expect([...((await honest.coverage?.()) ?? [])]).toEqual([1, 2]);
    const throws = guardTarget(
      {
        call: (c: TraceCallIn) => model.call(c),
        read: (a: bigint, n: number) => model.read(a, n),
        coverage: () => {
          throw new Error('no counters');
        },
      },
      1000,
    );
    expect(faultOf(() => throws.coverage?.())).toMatch(/coverage\(\) threw .*no counters/);
    const lies = guardTarget({ ...model, coverage: () => 'x' }, 1000);
    expect(faultOf(() => lies.coverage?.())).toMatch(/coverage\(\) answered the string "x"/);
  });
});

/** A short trace: an adapter got and put back. */
function trace() {
  const r = new Recorder({}, false);
  const description = {
    scatterGather: true,
    dma32BitAddresses: true,
    dma64BitAddresses: false,
    maximumLength: 0x10000,
  };
  const adapter = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  r.call('VideoPortPutDmaAdapter', { vpDmaAdapter: adapter });
  return { header: emptyHeader(), calls: r.calls };
}

async function processTarget(mode: string, timeoutMs = 2000) {
  return createProcessTarget({
    command: `COVERAGE=${mode} ${process.execPath} ${fixture}`,
    device: DEFAULT_DEVICE,
    profile: 'docs',
    timeoutMs,
  });
}

describe('a process child that offers coverage', () => {
  it('answers the edges of the calls since it was last asked', async () => {
    const t = await processTarget('honest');
    try {
      const tr = trace();
      const r = await replayTrace(tr.header, tr.calls, t);
      expect(r.violations).toEqual([]);
      // replayTrace asked once at the end: nothing is left since then.
      expect([...((await t.coverage?.()) ?? [1])]).toEqual([]);
      await t.call({ fn: 'VideoPortGetBytesUsed', args: { hwDeviceExtension: 1n, pDma: 0n } });
      expect([...((await t.coverage?.()) ?? [])]).toEqual([fnv('VideoPortGetBytesUsed')]);
    } finally {
      t.child.kill();
    }
  });

  it.each([
    [
      'odd',
      'target-crashed',
      /sent garbage: coverage answered 5 bytes of edges, not a multiple of 4/,
    ],
    ['huge', 'target-crashed', /listed 1048577 edge ids, more than 1048576 in one answer/],
    ['text', 'target-crashed', /coverage answered edges that are not bin \(the string "abc"\)/],
    ['hang', 'target-timeout', /did not answer coverage within 500 ms/],
  ])('%s: the replay is %s at its last call', async (mode, kind, message) => {
    // Only the hang waits for its timeout; a 4 MiB answer ('huge') can take longer than 500 ms
    // to arrive on a loaded machine, which would make it a timeout instead of the lie it is.
    const t = await processTarget(mode, mode === 'hang' ? 500 : 10_000);
    try {
      const tr = trace();
      const r = await replayTrace(tr.header, tr.calls, t);
      expect(r.outcome).toBe(kind === 'target-timeout' ? 'timeout' : 'crash');
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]).toMatchObject({ kind, fn: 'VideoPortPutDmaAdapter', callIndex: 1 });
      expect(r.violations[0]?.message).toMatch(message);
    } finally {
      t.child.kill();
    }
  });
});
