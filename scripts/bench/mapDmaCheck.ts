// What the replayer's check around VideoPortMapDmaMemory costs, by mapped memory (1 MiB, 1 GiB),
// end to end through the Replayer against the model target: with touched() (what the target
// wrote, plus the rotating sample of the rest) and without it (every live mapping read before
// and after each call, as for a target that cannot say what it wrote).
//
//   npx tsx scripts/bench/mapDmaCheck.ts [calls=20000] [callsWithoutTouched=4]
//
// Each trace is mapped.ts's set-up (`mapped` bytes of a 1 GiB frame-buffer aperture mapped
// twice, a kernel view and a user view; eight 64 KiB common buffers; data through every
// mapping), then MapDmaMemory `calls` times (NULL and live VirtualAddress, every InIoSpace). Only the MapDmaMemory calls are timed (process CPU time, best of 3
// with touched()); goal (1 GiB / 1 MiB) <= 1.5.
import { availableParallelism, loadavg } from 'node:os';
import { resolveDevice } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';
import { createModelTargetSync } from '../../src/replay/modelTarget.js';
import { Replayer } from '../../src/replay/replay.js';
import type { Target } from '../../src/replay/target.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { DEVICE, FB, GIB, mapAndFill } from './mapped.js';

const header: TraceHeader = {
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device: DEVICE,
  meta: {},
};

function trace(mapped: number, calls: number): TraceCall[] {
  const r = new Recorder({ device: DEVICE }, false);
  const view = mapAndFill((fn, args) => r.call(fn, args), mapped, 4096);
  for (let i = 0; i < calls; i++) {
    r.call('VideoPortMapDmaMemory', {
      pVrp: 0n,
      boardAddress: FB + BigInt((i * 0x1000) % mapped),
      length: 0x1000,
      inIoSpace: i % 4,
      mappedUserEvent: 0n,
      displayDriverEvent: 0n,
      virtualAddress: i % 2 === 0 ? 0n : view,
    });
  }
  return r.calls;
}

/** The model target, with or without touched(). */
function target(touched: boolean): Target {
  const t = createModelTargetSync({ device: resolveDevice(DEVICE), profile: 'docs' });
  if (touched) return t;
  return { call: (c) => t.call(c), read: (a, n) => t.read(a, n), state: () => t.state?.() ?? {} };
}

/**
 * µs of CPU per MapDmaMemory: the set-up calls are stepped first, then only the MapDmaMemory
 * calls are timed (no final sweep), best of 3 (of 1 without touched(): seconds per call).
 */
function perCall(mapped: number, calls: number, touched: boolean): number {
  const all = trace(mapped, calls);
  const setup = all.length - calls;
  let best = Infinity;
  for (let k = 0; k < (touched ? 3 : 1); k++) {
    const r = new Replayer(header, target(touched));
    const step = (c: TraceCall | undefined): void => {
      if (c === undefined || r.step(c) !== true) throw new Error('not a synchronous clean step');
    };
    for (let i = 0; i < setup; i++) step(all[i]);
    const c0 = process.cpuUsage();
    for (let i = setup; i < all.length; i++) step(all[i]);
    const used = process.cpuUsage(c0);
    if (r.violations.length > 0) throw new Error(r.violations[0]?.message);
    best = Math.min(best, (used.user + used.system) / calls);
  }
  return best;
}

const calls = Number(process.argv[2] ?? 20_000);
const callsWithout = Number(process.argv[3] ?? 4);
console.log(
  `node ${process.version}, ${availableParallelism()} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
perCall(1 << 20, calls / 10, true); // warm up
const rows: [string, number, number][] = [];
for (const [label, touched, n] of [
  ['with touched() + 512 B sample', true, calls],
  ['without touched(): every live mapping read', false, callsWithout],
] as const) {
  const small = perCall(1 << 20, n, touched);
  const large = perCall(GIB, n, touched);
  rows.push([label, small, large]);
  console.log(
    `${label}: 1 MiB ${small.toFixed(1)} µs/call, 1 GiB ${large.toFixed(1)} µs/call, ratio ${(large / small).toFixed(2)} (${n} calls)`,
  );
}
console.log('\n| check around MapDmaMemory | 1 MiB mapped | 1 GiB mapped | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, small, large] of rows)
  console.log(
    `| ${label} | ${small.toFixed(1)} µs | ${large.toFixed(1)} µs | ${(large / small).toFixed(2)} |`,
  );
