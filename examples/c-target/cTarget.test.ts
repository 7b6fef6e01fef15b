// The C process target (examples/c-target): built with make, it must replay the corpus, the
// kitchen-sink scenario and randomized driver-shaped traces with zero violations; each fault
// switch must surface as its own violation kind without hurting the harness; and malformed
// input must be answered with an error (or a clean exit), never undefined behaviour.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, int } from '../../src/core/rng.js';
import { resolveDevice, type DeviceSpec } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';
import { KITCHEN_DEVICE, kitchenSink } from '../../src/replay/kitchenSink.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace, type ReplayResult } from '../../src/replay/replay.js';
import { packMessage, unpackMessage } from '../../src/trace/codec.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { randomDriverTrace } from './randomDriver.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const BINARY = path.join(DIR, 'vpdma-c-target');
const CORPUS = path.join(DIR, '../../corpus');
const children: ProcessChild[] = [];
let shared: ProcessChild | undefined;

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

const header = (device: DeviceSpec = {}): TraceHeader => ({
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device,
  meta: {},
});

/** Replays against the C target: one long-lived child unless a fault switch is set. */
async function replayC(
  h: TraceHeader,
  calls: readonly TraceCall[],
  env = '',
  timeoutMs = 5000,
  mark = '',
): Promise<ReplayResult> {
  const command = `${env} '${BINARY}' ${mark}`.trim(); // the target ignores its arguments
  const options = { command, device: resolveDevice(h.device), profile: 'docs', timeoutMs };
  const target = await createProcessTarget(options, env === '' ? shared : undefined);
  children.push(target.child);
  if (env === '') shared = target.child;
  return replayTrace(h, calls, target);
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

  it.each(corpusFiles)('corpus/%s', async (file) => {
    const parsed = parseJsonl(readFileSync(path.join(CORPUS, file), 'utf8'), file);
    if (!parsed.ok) throw new Error(`corpus/${file} does not parse`);
    const r = await replayC(parsed.value.header, parsed.value.calls);
    expect(show(r)).toEqual([]);
    expect(r.outcome).toBe('pass');
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

/** A driver with a live common buffer and view, then the obsolete call under test. */
function mapDmaSession(): TraceCall[] {
  const r = new Recorder({}, false);
  const description = {
    scatterGather: true,
    dma32BitAddresses: true,
    dma64BitAddresses: false,
    maximumLength: 0x10000,
  };
  const adapter = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  const args = { vpDmaAdapter: adapter, desiredLength: 0x2000, cacheEnabled: true, reserved: 0n };
  const buffer = r.ptr('VideoPortAllocateCommonBuffer', args);
  r.call('@write', { va: buffer, data: Uint8Array.from({ length: 64 }, (_, i) => i + 1) });
  const fb = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: 0xe0000000n,
    numberOfUchars: 0x1000,
    inIoSpace: 0,
  });
  r.call('VideoPortMapDmaMemory', {
    pVrp: 0n,
    boardAddress: 0xe0000000n,
    length: 0x1000,
    inIoSpace: 0,
    mappedUserEvent: 0n,
    displayDriverEvent: 0n,
    virtualAddress: fb,
  });
  r.call('@read', { va: buffer, length: 64 });
  return r.calls;
}

/** Live processes whose command line contains `mark` (Linux /proc; none elsewhere). */
function running(mark: string): string[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mark);
    } catch {
      return false; // exited while we looked
    }
  });
}

describe('fault switches surface as their violation kinds', () => {
  it('a clean run of the session has no violations', async () => {
    expect(show(await replayC(header(), mapDmaSession()))).toEqual([]);
  });

  it('a hung target is gone after its timeout (the shell and the program it started)', async () => {
    const mark = `hung-${process.pid}-${Date.now()}`;
    const r = await replayC(header(), mapDmaSession(), 'VPDMA_C_FAULT=hang-after:1', 300, mark);
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
    const r = await replayC(header(), mapDmaSession(), `VPDMA_C_FAULT=${fault}`, 400);
    expect(r.outcome).toBe(outcome);
    expect(r.violations.map((v) => v.kind)).toContain(kind);
    const first = r.violations.find((v) => v.kind === kind);
    if (outcome === 'fail') expect(first?.fn).toBe('VideoPortMapDmaMemory');
    else expect(first?.callIndex).toBe(2);
  });
});

// ---- the wire itself: malformed input ------------------------------------------------------

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.set(payload, 4);
  return out;
}

const msg = (m: Record<string, unknown>): Buffer => frame(packMessage(m));
const hello = msg({ op: 'hello', version: 1, profile: 'docs', device: resolveDevice() });

/** Runs the binary on raw input; its answers, decoded. */
function talk(input: Buffer): { status: number | null; signal: string | null; answers: unknown[] } {
  const r = spawnSync(BINARY, [], { input, maxBuffer: 64 << 20 });
  const answers: unknown[] = [];
  let at = 0;
  while (at + 4 <= r.stdout.length) {
    const n = r.stdout.readUInt32LE(at);
    answers.push(unpackMessage(r.stdout.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  expect(at).toBe(r.stdout.length);
  return { status: r.status, signal: r.signal, answers };
}

const isError = (a: unknown): boolean =>
  typeof a === 'object' &&
  a !== null &&
  typeof (a as Record<string, unknown>)['error'] === 'string';

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
