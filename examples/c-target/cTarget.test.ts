// The C process target (examples/c-target), driven by the harness: it must replay the corpus,
// the kitchen-sink scenario and randomized driver-shaped traces with zero violations, with its
// `touched` operation in call answers, apart and off; touched must cover every byte that
// changed; each fault switch must surface as its own violation kind without hurting the
// harness. The wire itself: cTargetWire.test.ts. (Built once by test/buildCTarget.ts.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDevice, type DeviceSpec } from '../../src/model/device.js';
import { INERT_FNS } from '../../src/model/calls.js';
import { Recorder } from '../../src/model/recorder.js';
import { deviceBaseArgs } from '../../src/model/testDevice.js';
import type { TraceCall } from '../../src/model/values.js';
import { KITCHEN_DEVICE, kitchenSink } from '../../test/support/kitchenSink.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import type { ReplayOptions, ReplayResult } from '../../src/replay/replay.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import type { Target } from '../../src/replay/target.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import { parseText } from '../../src/trace/textParse.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { testSeed } from '../../test/seed.js';
import { randomDriverTrace } from './randomDriver.js';
import { BINARY, DIR, FILLER, mapDmaSession, running } from './testKit.js';
import { audited, type Audit } from './touchedAudit.js';

const CORPUS = path.join(DIR, '../../corpus');
const children: ProcessChild[] = [];
/** Long-lived children by environment (touched on, touched off); fault switches get their own. */
const shared = new Map<string, ProcessChild>();
const NO_TOUCHED = 'VPDMA_C_NO_TOUCHED=1';
/** touched as a request of its own after every call, as before touched-in-call. */
const NO_IN_CALL = 'VPDMA_C_NO_TOUCHED_IN_CALL=1';

afterAll(() => {
  for (const c of children) c.kill();
});

interface RunOptions {
  readonly env?: string;
  readonly timeoutMs?: number;
  readonly mark?: string;
  readonly replay?: ReplayOptions;
  /** Wraps the process target (the touched audit). */
  readonly wrap?: (t: Target) => Target;
}

const header = (device: DeviceSpec = {}): TraceHeader => ({
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device,
  meta: {},
});

/** Replays against the C target: one long-lived child per environment unless a fault switch is set. */
async function replayC(
  h: TraceHeader,
  calls: readonly TraceCall[],
  run: RunOptions = {},
): Promise<ReplayResult> {
  const { env = '', timeoutMs = 5000, mark = '' } = run;
  const command = `${env} '${BINARY}' ${mark}`.trim(); // the target ignores its arguments
  const options = { command, device: resolveDevice(h.device), profile: 'docs', timeoutMs };
  const reusable = env === '' || env === NO_TOUCHED || env === NO_IN_CALL;
  const target = await createProcessTarget(options, reusable ? shared.get(env) : undefined);
  children.push(target.child);
  if (reusable) shared.set(env, target.child);
  expect(target.touched === undefined).toBe(env.includes(NO_TOUCHED));
  return replayTrace(h, calls, run.wrap?.(target) ?? target, run.replay);
}

const show = (r: ReplayResult): string[] =>
  r.violations.map((v) => `${v.kind} #${v.callIndex} ${v.fn}: ${v.message}`);

const corpusFiles = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
  : [];

describe('the C target replays clean', () => {
  it('has a corpus to replay', () => {
    expect(corpusFiles.length).toBeGreaterThan(0);
  });

  it.each(corpusFiles)('corpus/%s (touched on)', async (file) => {
    const parsed = parseJsonl(readFileSync(path.join(CORPUS, file), 'utf8'), file);
    if (!parsed.ok) throw new Error(`corpus/${file} does not parse`);
    const r = await replayC(parsed.value.header, parsed.value.calls);
    expect(show(r)).toEqual([]);
    expect(r.outcome).toBe('pass');
  });

  // Without touched vpdma re-reads all live memory around every obsolete call: ~20 s in all.
  it.each(corpusFiles)('corpus/%s (touched off)', async (file) => {
    const parsed = parseJsonl(readFileSync(path.join(CORPUS, file), 'utf8'), file);
    if (!parsed.ok) throw new Error(`corpus/${file} does not parse`);
    const r = await replayC(parsed.value.header, parsed.value.calls, { env: NO_TOUCHED });
    expect(show(r)).toEqual([]);
    expect(r.outcome).toBe('pass');
  });

  it('replays the corpus and random traces the same with touched asked after each call', async () => {
    // The older path, without touched-in-call: a touched request of its own after each call.
    for (const file of corpusFiles) {
      const parsed = parseJsonl(readFileSync(path.join(CORPUS, file), 'utf8'), file);
      if (!parsed.ok) throw new Error(`corpus/${file} does not parse`);
      const r = await replayC(parsed.value.header, parsed.value.calls, { env: NO_IN_CALL });
      expect({ file, violations: show(r) }).toEqual({ file, violations: [] });
    }
    for (let i = 0; i < 10; i++) {
      const t = randomDriverTrace(20261128, i, 120);
      const r = await replayC(header(t.device), t.calls, { env: NO_IN_CALL });
      expect({ case: i, violations: show(r) }).toEqual({ case: i, violations: [] });
    }
  });

  it('answers a read of nothing, however long, with nothing (as the model), not an error', async () => {
    const r = await replayC(header({}), [{ fn: '@read', args: { va: 0n, length: 0xffffffff } }]);
    expect(show(r)).toEqual([]);
  });

  it('answers a readable @read longer than a trace can carry with nothing, as the model', async () => {
    // A fuzzed @read of 16 MiB of a frame-buffer view: misuse (the oracle answers no bytes),
    // once answered with an error, a target-crashed finding.
    const view = { fn: 'VideoPortGetDeviceBase', args: deviceBaseArgs(0x1000000) };
    const r = await replayC(header({}), [
      view,
      { fn: '@read', args: { va: 0xffffc00000000000n, length: 0x1000000 } },
    ]);
    expect(show(r)).toEqual([]);
  });

  it('a request buffer running from a user view past its end is not compared with the oracle', async () => {
    // The oracle maps nothing past the view; the C target has user memory there. A fuzzed
    // MapDmaMemory whose pVrp output buffer did so was a memory-mismatch "found by the sample".
    const text = [
      '#! vpdma-trace v1 profile=docs',
      'VideoPortMapMemory(hwDeviceExtension=0xffffe00000001000, physicalAddress=0xe0000000, length=1, inIoSpace=0, virtualAddress=0xffffffffffffffff)',
      'VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0x0, inputBufferLength=0, outputBuffer=0x800000000000, outputBufferLength=262145}, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0x0)',
    ].join('\n');
    const parsed = parseText(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const r = await replayC(parsed.value.header, parsed.value.calls);
    expect(show(r)).toEqual([]);
  });

  it.each([true, false])('the kitchen-sink scenario (captured: %s)', async (captured) => {
    const r = await replayC(header(KITCHEN_DEVICE), kitchenSink(captured));
    expect(show(r)).toEqual([]);
  });

  it('randomized driver-shaped traces, differentially against the model', async () => {
    const seed = testSeed.value;
    let calls = 0;
    for (let i = 0; i < 60; i++) {
      const t = randomDriverTrace(seed, i, 120);
      calls += t.calls.length;
      const r = await replayC(header(t.device), t.calls);
      expect({ seed, case: i, violations: show(r) }).toEqual({ seed, case: i, violations: [] });
    }
    expect(calls).toBeGreaterThan(2000);
  });
});

describe('round trips', () => {
  it('asks for the state once between calls: the state after one obsolete call is the next one’s before', async () => {
    const calls = mapDmaSession(3, 3); // seven obsolete calls in a row
    const h = header();
    const options = {
      command: BINARY,
      device: resolveDevice(h.device),
      profile: 'docs',
      timeoutMs: 5000,
    };
    const target = await createProcessTarget(options);
    children.push(target.child);
    const ops: string[] = [];
    const request = target.child.request.bind(target.child);
    target.child.request = (msg, ms) => {
      ops.push(String(msg['op']));
      return request(msg, ms);
    };
    expect(show(await replayTrace(h, calls, target))).toEqual([]);
    // Each run of obsolete calls: its first call's before, and each call's after.
    let expected = 0;
    calls.forEach((c, i) => {
      if (!INERT_FNS.has(c.fn)) return;
      expected += INERT_FNS.has(calls[i - 1]?.fn ?? '') ? 1 : 2;
    });
    expect(ops.filter((o) => o === 'state')).toHaveLength(expected);
    expect(expected).toBeLessThan(2 * calls.filter((c) => INERT_FNS.has(c.fn)).length);
  });
});

describe('a long trace against addresses of its own', () => {
  // The C target allocates with its own bump allocator, so every address is translated: what
  // was learned at the start must still translate after many thousands of short-lived objects.
  it('a frame-buffer mapping made first still translates after 10,000 pool blocks came and went', async () => {
    const r = new Recorder({}, false);
    const fb = r.ptr('VideoPortGetDeviceBase', {
      ioAddress: 0xe0000000n,
      numberOfUchars: 0x1000,
      inIoSpace: 0,
    });
    r.call('@write', { va: fb + 0x10n, data: Uint8Array.of(1, 2, 3, 4) });
    for (let i = 0; i < 10_000; i++) {
      const p = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 64, tag: 0x61626364 });
      r.call('VideoPortFreePool', { ptr: p });
    }
    r.call('@write', { va: fb + 0x20n, data: Uint8Array.of(5, 6) });
    r.call('@read', { va: fb + 0x10n, length: 4 });
    const res = await replayC(header(), r.calls);
    expect(show(res)).toEqual([]);
    expect(res.calls).toBe(20_004);
  });
});

describe('touched covers every byte the C target changes', () => {
  it('randomized driver-shaped traces and the kitchen sink, audited call by call', async () => {
    const seed = testSeed.value;
    const audit: Audit = { missed: [], changed: 0 };
    for (let i = 0; i < 12; i++) {
      const t = randomDriverTrace(seed, 1000 + i, 120);
      const r = await replayC(header(t.device), t.calls, { wrap: audited(audit) });
      expect({ seed, case: i, violations: show(r) }).toEqual({ seed, case: i, violations: [] });
    }
    for (const captured of [true, false]) {
      const r = await replayC(header(KITCHEN_DEVICE), kitchenSink(captured), {
        wrap: audited(audit),
      });
      expect(show(r)).toEqual([]);
    }
    expect(audit.missed).toEqual([]);
    expect(audit.changed).toBeGreaterThan(1000);
  });
});

describe('fault switches surface as their violation kinds', () => {
  it('a clean run of the session has no violations', async () => {
    expect(show(await replayC(header(), mapDmaSession()))).toEqual([]);
  });

  it('a hung target is gone after its timeout (the shell and the program it started)', async () => {
    const mark = `hung-${process.pid}-${Date.now()}`;
    const env = 'VPDMA_C_FAULT=hang-after:1';
    const r = await replayC(header(), mapDmaSession(), { env, timeoutMs: 300, mark });
    expect(r.outcome).toBe('timeout');
    for (let i = 0; i < 20 && running(mark).length > 0; i++)
      await new Promise((done) => setTimeout(done, 50));
    expect(running(mark)).toEqual([]);
  });

  it.each([
    ['mapdma-nonnull', 'map-dma-returned-non-null', 'fail'],
    ['corrupt-on-mapdma', 'memory-corrupted', 'fail'],
    ['crash-after:2', 'target-crashed', 'crash'],
    ['garbage-after:2', 'target-crashed', 'crash'],
    ['hang-after:2', 'target-timeout', 'timeout'],
  ] as const)('VPDMA_C_FAULT=%s → %s', async (fault, kind, outcome) => {
    const env = `VPDMA_C_FAULT=${fault}`;
    const r = await replayC(header(), mapDmaSession(), { env, timeoutMs: 400 });
    expect(r.outcome).toBe(outcome);
    expect(r.violations.map((v) => v.kind)).toContain(kind);
    const first = r.violations.find((v) => v.kind === kind);
    if (outcome === 'fail') expect(first?.fn).toBe('VideoPortMapDmaMemory');
    else expect(first?.callIndex).toBe(2);
  });
});

describe('corruption by an obsolete call is caught with touched on and off', () => {
  const MAP_DMA = 'VideoPortMapDmaMemory';
  const loud = 'VPDMA_C_FAULT=corrupt-on-mapdma';
  const silent = 'VPDMA_C_FAULT=corrupt-silently-on-mapdma';
  // The corrupted byte is the common buffer's first. A filler before MapDmaMemory moves the
  // sample past it; the buffer and the view are 24 samples of 512 bytes, so the 25th obsolete
  // call samples it again.
  it.each([
    [
      'reported by touched()',
      loud,
      1,
      'read',
      'memory-corrupted',
      MAP_DMA,
      5,
      'reported by touched()',
    ],
    ['in the sample', silent, 0, 'read', 'memory-corrupted', MAP_DMA, 4, 'sampled bytes'],
    [
      'unreported, later in the sample',
      silent,
      1,
      23,
      'memory-mismatch',
      FILLER.fn,
      28,
      'found by the rotating sample',
    ],
    [
      'unreported, by the final sweep',
      silent,
      1,
      'write',
      'memory-mismatch',
      '@write',
      6,
      'found by the final sweep',
    ],
    [
      'reported by a touched request of its own',
      `${loud} ${NO_IN_CALL}`,
      1,
      'read',
      'memory-corrupted',
      MAP_DMA,
      5,
      'reported by touched()',
    ],
    [
      'unreported, by the final sweep, touched asked apart',
      `${silent} ${NO_IN_CALL}`,
      1,
      'write',
      'memory-mismatch',
      '@write',
      6,
      'found by the final sweep',
    ],
    [
      'touched off',
      `${loud} ${NO_TOUCHED}`,
      1,
      'read',
      'memory-corrupted',
      MAP_DMA,
      5,
      'full comparison',
    ],
    [
      'touched off, unreported',
      `${silent} ${NO_TOUCHED}`,
      1,
      'read',
      'memory-corrupted',
      MAP_DMA,
      5,
      'full comparison',
    ],
  ] as const)('%s', async (_name, env, before, after, kind, fn, callIndex, how) => {
    const r = await replayC(header(), mapDmaSession(before, after), { env });
    expect(r.outcome).toBe('fail');
    const first = r.violations[0];
    expect({ kind: first?.kind, fn: first?.fn, callIndex: first?.callIndex }).toEqual({
      kind,
      fn,
      callIndex,
    });
    expect(first?.message).toContain(how);
  });
});
