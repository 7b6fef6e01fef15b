// The C process target (examples/c-target): built with make, it must replay the corpus, the
// kitchen-sink scenario and randomized driver-shaped traces with zero violations, with its
// `touched` operation on and off; touched must cover every byte that changed; each fault
// switch must surface as its own violation kind without hurting the harness; and malformed
// input must be answered with an error (or a clean exit), never undefined behaviour.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, int } from '../../src/core/rng.js';
import { resolveDevice, type DeviceSpec } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';
import { KITCHEN_DEVICE, kitchenSink } from '../../src/replay/kitchenSink.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import type { ReplayOptions, ReplayResult } from '../../src/replay/replay.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import type { Target } from '../../src/replay/target.js';
import { packMessage } from '../../src/trace/codec.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { randomDriverTrace } from './randomDriver.js';
import {
  BINARY,
  DIR,
  FILLER,
  hello,
  isError,
  mapDmaSession,
  msg,
  running,
  talk,
  frame,
} from './testKit.js';
import { audited, type Audit } from './touchedAudit.js';

const CORPUS = path.join(DIR, '../../corpus');
const children: ProcessChild[] = [];
/** Long-lived children by environment (touched on, touched off); fault switches get their own. */
const shared = new Map<string, ProcessChild>();
const NO_TOUCHED = 'VPDMA_C_NO_TOUCHED=1';

beforeAll(() => {
  try {
    execFileSync('make', ['-C', DIR], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const why = err.stderr?.toString().trim() || err.message;
    throw new Error(`cannot build examples/c-target (it needs make and gcc): ${why}`);
  }
});

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
  const reusable = env === '' || env === NO_TOUCHED;
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

  it('answers a read of nothing, however long, with nothing (as the model), not an error', async () => {
    const r = await replayC(header({}), [{ fn: '@read', args: { va: 0n, length: 0xffffffff } }]);
    expect(show(r)).toEqual([]);
  });

  it.each([true, false])('the kitchen-sink scenario (captured: %s)', async (captured) => {
    const r = await replayC(header(KITCHEN_DEVICE), kitchenSink(captured));
    expect(show(r)).toEqual([]);
  });

  it('randomized driver-shaped traces, differentially against the model', async () => {
    const seed = Number(process.env['VPDMA_SEED'] ?? 20261128);
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
    const seed = Number(process.env['VPDMA_SEED'] ?? 20261128);
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

// ---- the wire itself: malformed input ------------------------------------------------------

describe('malformed input is answered with an error, never undefined behaviour', () => {
  it('each bad frame gets {error} and the target reads on', () => {
    const bad: Buffer[] = [
      frame(Uint8Array.of(0xc1)), // a never-used type byte
      frame(Uint8Array.of(0x82, 0xa2, 0x6f)), // a map cut short
      frame(Uint8Array.of(0xdb, 0xff, 0xff, 0xff, 0xff, 0x61)), // str longer than the frame
      frame(Uint8Array.of(0xdf, 0x7f, 0xff, 0xff, 0xff)), // map count far beyond the input
      frame(Uint8Array.of(0xd4, 0x01, 0x02)), // ext
      frame(new Uint8Array(200).fill(0x91)), // arrays nested 200 deep
      frame(Uint8Array.of(0x93, 0x01, 0x02, 0x03)), // not a map
      frame(Uint8Array.of(0x80, 0x80)), // trailing bytes
      frame(new Uint8Array(0)), // empty payload
      msg({ op: 'dance' }),
      msg({ op: 'call', fn: 'VideoPortFrobnicate', args: {} }),
      msg({ op: 'call', fn: 7, args: {} }),
      msg({ op: 'call', fn: 'VideoPortGetDmaAdapter', args: [1, 2] }),
      msg({ op: 'read', address: 0xffff900000000000n, length: 16 }),
      msg({ op: 'read', address: 0x1000n, length: 16 << 20 }),
      msg({ op: 'call', fn: '@read', args: { va: 0x100000n, length: 0xffffffff } }),
    ];
    const before = talk(Buffer.concat([msg({ op: 'state' }), ...bad]));
    expect(before.answers.every(isError)).toBe(true); // no hello yet: everything is an error
    const r = talk(Buffer.concat([hello, ...bad, msg({ op: 'close' })]));
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.answers).toHaveLength(bad.length + 2);
    expect(r.answers.slice(1, -1).every(isError)).toBe(true);
    expect(r.answers[r.answers.length - 1]).toEqual({});
  });

  it('random payloads never crash it', () => {
    const rng = createRng(Number(process.env['VPDMA_SEED'] ?? 20261128));
    const frames = Array.from({ length: 500 }, () => {
      const valid = packMessage({
        op: 'call',
        fn: '@write',
        args: { va: 0x10000n, data: Uint8Array.of(1) },
      });
      const bytes = Uint8Array.from({ length: int(rng, 0, 64) }, () => int(rng, 0, 255));
      // Half pure noise, half a valid request with a few bytes flipped.
      if (int(rng, 0, 1) === 0) return frame(bytes);
      for (let k = int(rng, 1, 3); k > 0; k--) {
        const at = int(rng, 0, valid.length - 1);
        valid[at] = (valid[at] ?? 0) ^ (1 << int(rng, 0, 7));
      }
      return frame(valid);
    });
    const r = talk(Buffer.concat([hello, ...frames, msg({ op: 'close' })]));
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.answers).toHaveLength(frames.length + 2);
  });

  it('an oversized frame or input cut mid-frame ends it with exit code 1', () => {
    const huge = Buffer.alloc(4);
    huge.writeUInt32LE((16 << 20) + 1, 0);
    for (const input of [
      Buffer.concat([hello, huge]),
      Buffer.concat([hello, hello.subarray(0, 9)]),
    ]) {
      const r = talk(input);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.answers).toHaveLength(1);
    }
  });
});

describe('touched answers are bounded', () => {
  const big = msg({
    op: 'hello',
    version: 1,
    profile: 'docs',
    device: resolveDevice({ systemMemoryBytes: 512 << 20 }),
  });
  const pages = 70_000; // one byte written in each: more pages than an answer may list ranges
  const alloc = msg({
    op: 'call',
    fn: 'VideoPortAllocatePool',
    args: { hwDeviceExtension: 0n, poolType: 0, numberOfBytes: pages * 4096, tag: 0 },
  });
  const touched = msg({ op: 'touched' });
  const ranges = (a: unknown): [bigint, number][] =>
    ((a as { ranges: [number | bigint, number][] }).ranges ?? []).map(([x, n]) => [BigInt(x), n]);

  it('byte-granular when few, coarsened to at most 65,536 ranges when many, then empty', () => {
    const first = talk(Buffer.concat([big, alloc, msg({ op: 'close' })]));
    const va = BigInt((first.answers[1] as { ret: number | bigint }).ret);
    expect(va).not.toBe(0n);
    const write = (page: number): Buffer =>
      msg({
        op: 'call',
        fn: '@write',
        args: { va: va + BigInt(page * 4096 + 0x800), data: Uint8Array.of(0xa5) },
      });
    const r = talk(
      Buffer.concat([
        big,
        alloc,
        touched, // drains the allocation
        write(0),
        write(2),
        touched,
        ...Array.from({ length: pages }, (_, i) => write(i)),
        touched,
        touched,
        msg({ op: 'close' }),
      ]),
    );
    expect(r.status).toBe(0);
    const a = r.answers;
    expect(ranges(a[5])).toEqual([
      [va + 0x800n, 1],
      [va + 0x2800n, 1],
    ]);
    const many = ranges(a[6 + pages]);
    expect(many.length).toBeGreaterThan(0);
    expect(many.length).toBeLessThanOrEqual(65536);
    const covered = (x: bigint): boolean => many.some(([at, n]) => x >= at && x < at + BigInt(n));
    for (let i = 0; i < pages; i += 997) expect(covered(va + BigInt(i * 4096 + 0x800))).toBe(true);
    expect(covered(va + BigInt((pages - 1) * 4096 + 0x800))).toBe(true);
    // Never beyond the allocation.
    for (const [at, n] of many) {
      expect(at >= va).toBe(true);
      expect(at + BigInt(n) <= va + BigInt(pages * 4096)).toBe(true);
    }
    expect(ranges(a[7 + pages])).toEqual([]);
  });

  it('VPDMA_C_NO_TOUCHED=1 leaves touched out of the features and refuses the request', () => {
    const features = (a: unknown): unknown => (a as { features: unknown }).features;
    const on = talk(Buffer.concat([hello, touched]));
    expect(features(on.answers[0])).toEqual(['state', 'touched']);
    expect(on.answers[1]).toEqual({ ranges: [] });
    const off = talk(Buffer.concat([hello, touched]), { VPDMA_C_NO_TOUCHED: '1' });
    expect(features(off.answers[0])).toEqual(['state']);
    expect(isError(off.answers[1])).toBe(true);
  });
});
