// Model throughput on corpus-like call streams, single-threaded.
//
//   npx tsx scripts/bench/model.ts [frames]
//
// A stream is a driver's frame loop recorded once with the Recorder, in the proportions of
// the bundled corpus (about a quarter obsolete PDMA calls, a quarter packet DMA, the rest
// views, pool, events), then replayed on fresh Models: the model is deterministic, so every
// recorded handle is valid again. Three streams, measured in the same run:
//   baseline  VideoPortGetBytesUsed only: a no-op handler through the same step() dispatch
//   no-data   the frame loop with no memory traffic (goal: >= 2 million calls/s)
//   data      the same plus @write (256 B-4 KiB), @read (256 B) and @deviceDma (4-16 KiB)
import { performance } from 'node:perf_hooks';
import { EXECUTE_DMA_ROUTINE } from '../../src/core/constants.js';
import { Model, type ModelOptions } from '../../src/model/model.js';
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';

const OPTIONS: ModelOptions = { device: { systemMemoryBytes: 256 * 1024 * 1024 } };
const FB = 0xe0000000n;
const IN_IO_SPACE = [0, 1, 4, 8];

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = ((i * 131 + seed) & 0xff) | 1;
  return b;
}

interface Frame {
  readonly r: Recorder;
  readonly adapter: bigint;
  readonly view: bigint;
  readonly event: bigint;
  readonly pool: bigint;
  readonly data: boolean;
}

function legacy(r: Recorder, f: number, view: bigint): void {
  for (let k = 0; k < 3; k++)
    r.call('VideoPortMapDmaMemory', {
      pVrp: 0n,
      boardAddress: FB,
      length: 0x10000,
      inIoSpace: IN_IO_SPACE[(f + k) % 4] ?? 0,
      mappedUserEvent: 0n,
      displayDriverEvent: 0n,
      virtualAddress: k === 0 ? 0n : view,
    });
  r.call('VideoPortUnmapDmaMemory', {
    virtualAddress: view,
    processHandle: 0n,
    boardMemoryHandle: 0n,
  });
  const fn = ['VideoPortGetMdl', 'VideoPortSignalDmaComplete', 'VideoPortGetBytesUsed'][f % 3];
  r.call(
    fn ?? 'VideoPortGetMdl',
    fn === 'VideoPortSignalDmaComplete' ? { pDmaHandle: 0n } : { pDma: 0n },
  );
}

function packetDma({ r, adapter, pool, data }: Frame, f: number): void {
  const length = 0x1000 << (f % 3); // 4, 8, 16 KiB
  if (data) r.call('@write', { va: pool, data: PAYLOADS[f % 3] ?? new Uint8Array(1) });
  const mdl = r.ptr('VideoPortLockBuffer', { baseAddress: pool, length, operation: 2 });
  r.call('VideoPortStartDma', {
    vpDmaAdapter: adapter,
    mdl,
    offset: 0,
    pLength: length,
    executeDmaRoutine: EXECUTE_DMA_ROUTINE,
    context: 0n,
    writeToDevice: f % 2 === 0,
  });
  const sgList = r.call('@executeDma', { vpDmaAdapter: adapter }).out?.['sgList'] ?? 0n;
  if (data) r.call('@deviceDma', { sgList, deviceAddress: FB + BigInt(f % 256) * 0x10000n });
  r.call('VideoPortCompleteDma', {
    vpDmaAdapter: adapter,
    vpScatterGather: sgList,
    writeToDevice: f % 2 === 0,
  });
  r.call('VideoPortUnlockBuffer', { mdl });
}

function frame(x: Frame, f: number): void {
  const { r, view, event, data } = x;
  legacy(r, f, view);
  packetDma(x, f);
  const base = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: 0xf0000000n,
    numberOfUchars: 0x1000,
    inIoSpace: 0,
  });
  if (data) r.call('@read', { va: base + 0x100n, length: 256 });
  r.call('VideoPortFreeDeviceBase', { mappedAddress: base });
  const block = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x200, tag: 1 });
  if (data) r.call('@write', { va: block, data: PAYLOADS[0] ?? new Uint8Array(1) });
  r.call('VideoPortFreePool', { ptr: block });
  r.call('VideoPortSetEvent', { pEvent: event });
  r.call('VideoPortWaitForSingleObject', { object: event, timeout: 0n });
  r.call('VideoPortReadStateEvent', { pEvent: event });
  if (data) r.call('@read', { va: view + BigInt(f % 4096) * 0x100n, length: 256 });
}

const PAYLOADS = [256, 1024, 4096].map((n, i) => bytes(n, i));

/** Records `frames` frames; `data` adds the memory traffic. Args only (generated style). */
function record(frames: number, data: boolean): TraceCall[] {
  const r = new Recorder(OPTIONS, false);
  const adapter = r.ptr('VideoPortGetDmaAdapter', {
    vpDeviceDescription: {
      scatterGather: true,
      dma32BitAddresses: true,
      dma64BitAddresses: false,
      maximumLength: 0x10000,
    },
  });
  const view = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: FB,
    numberOfUchars: 0x1000000,
    inIoSpace: 0,
  });
  const created = r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n });
  const event = created.out?.['ppEvent'] as bigint;
  const pool = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x4000, tag: 1 });
  const x: Frame = { r, adapter, view, event, pool, data };
  for (let f = 0; f < frames; f++) frame(x, f);
  return r.calls;
}

/** Bytes a data stream moves: written, read, and transferred by the device. */
function movedBytes(calls: readonly TraceCall[]): number {
  let sum = 0;
  let pending = 0;
  for (const c of calls) {
    if (c.fn === '@write') sum += (c.args['data'] as Uint8Array).length;
    if (c.fn === '@read') sum += c.args['length'] as number;
    if (c.fn === 'VideoPortStartDma') pending = c.args['pLength'] as number;
    if (c.fn === '@deviceDma') sum += pending;
  }
  return sum;
}

interface Rate {
  /** Calls per second of wall-clock time. */
  readonly wall: number;
  /** Calls per second of process CPU time (user + system, GC threads included). */
  readonly cpu: number;
}

/** Best of `reps` replays, each on a fresh Model. */
function measure(calls: readonly TraceCall[], reps: number): Rate {
  let wall = Infinity;
  let cpu = Infinity;
  for (let k = 0; k < reps; k++) {
    const m = new Model(OPTIONS);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const c of calls) m.step(c.fn, c.args);
    wall = Math.min(wall, performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall: calls.length / (wall / 1000), cpu: calls.length / (cpu / 1000) };
}

const frames = Number(process.argv[2] ?? 20_000);
const noData = record(frames, false);
const withData = record(frames, true);
const noop: TraceCall = { fn: 'VideoPortGetBytesUsed', args: { hwDeviceExtension: 1n, pDma: 0n } };
const base = Array.from({ length: noData.length }, () => noop);

for (const calls of [base, noData, withData]) measure(calls, 2); // warm up
const reps = 7;
const b = measure(base, reps);
const nd = measure(noData, reps);
const wd = measure(withData, reps);
const rate = (x: number): string => `${(x / 1e6).toFixed(2).padStart(5)} M/s`;
const row = (name: string, n: number, x: Rate): string =>
  `${name.padEnd(26)}${String(n).padStart(8)}  ${rate(x.cpu)} (ratio ${(x.cpu / b.cpu).toFixed(2)})` +
  `  ${rate(x.wall)} (ratio ${(x.wall / b.wall).toFixed(2)})`;
const mb = (x: number): string =>
  `${(((movedBytes(withData) / withData.length) * x) / 1e6).toFixed(0)} MB/s`;

console.log(`node ${process.version}, ${frames} frames, best of ${reps} replays on fresh models`);
console.log(`${'stream'.padEnd(26)}${'calls'.padStart(8)}  ${'CPU time'.padEnd(23)}  wall clock`);
console.log(row('baseline (no-op handler)', base.length, b));
console.log(row('no-data', noData.length, nd));
console.log(row('data', withData.length, wd));
console.log(`data moved by the data stream: ${mb(wd.cpu)} (CPU time), ${mb(wd.wall)} (wall)`);
console.log(`goal: no-data >= 2.00 M calls/s: ${nd.cpu >= 2e6 ? 'met' : 'NOT met'} (CPU time)`);
