// The cost of "did this call change anything?" around VideoPortMapDmaMemory, with 1 MiB and
// with 1 GiB of mapped memory.
//
//   npx tsx scripts/bench/integrity.ts [checks]
//
// The device has a 1 GiB framebuffer aperture. Each setup maps it with GetDeviceBase and
// MapMemory (a kernel view and a user view), allocates common buffers, and writes data into
// every mapping so their pages exist; "1 MiB" maps 1 MiB of the aperture (data in all 256
// pages), "1 GiB" all of it (data in 16384 pages).
// One check is what the replayer does around an inert call: version() before, the call,
// version() after, touched(); both must say "nothing changed". The goal is that the check
// costs the same however much memory is mapped: ratio (1 GiB / 1 MiB) <= 1.5. For scale,
// the naive alternative (checksum every mapped byte before and after) is timed at 1 MiB.
import { performance } from 'node:perf_hooks';
import { HW_DEVICE_EXTENSION } from '../../src/core/constants.js';
import { crc32 } from '../../src/core/crc32.js';
import { Model } from '../../src/model/model.js';
import type { Args } from '../../src/model/values.js';
import { DEVICE, FB, GIB, mapAndFill } from './mapped.js';

/** A model with `mapped` bytes of the aperture mapped twice, common buffers, and data. */
function setup(mapped: number): { m: Model; args: Args; pagesWithData: number } {
  const m = new Model({ device: DEVICE });
  const view = mapAndFill((fn, args) => m.step(fn, args), mapped, 16384);
  m.touched();
  const args: Args = {
    hwDeviceExtension: HW_DEVICE_EXTENSION,
    pVrp: 0n,
    boardAddress: FB,
    length: mapped,
    inIoSpace: 0,
    mappedUserEvent: 0n,
    displayDriverEvent: 0n,
    virtualAddress: view,
  };
  return { m, args, pagesWithData: m.state.mem.pageCount() };
}

interface Cost {
  /** ns per check, wall clock. */
  readonly wall: number;
  /** ns per check, process CPU time. */
  readonly cpu: number;
}

/** ns per check: version(), MapDmaMemory, version(), touched(); best of `reps`. */
function measure(m: Model, args: Args, checks: number, reps: number): Cost {
  let wall = Infinity;
  let cpu = Infinity;
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < checks; i++) {
      const before = m.version();
      m.step('VideoPortMapDmaMemory', args);
      if (m.version() !== before || m.touched().length !== 0) throw new Error('not inert');
    }
    wall = Math.min(wall, performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall: (wall * 1e6) / checks, cpu: (cpu * 1e6) / checks };
}

function naive(m: Model, args: Args, checks: number): number {
  const digest = (): number[] =>
    m.liveRanges().map((r) => crc32(m.read(r.va, r.length) ?? new Uint8Array(0)));
  const t0 = performance.now();
  for (let i = 0; i < checks; i++) {
    const before = digest().join();
    m.step('VideoPortMapDmaMemory', args);
    if (digest().join() !== before) throw new Error('not inert');
  }
  return ((performance.now() - t0) * 1e6) / checks;
}

const checks = Number(process.argv[2] ?? 1_000_000);
const small = setup(1024 * 1024);
const large = setup(GIB);
measure(small.m, small.args, checks / 10, 2); // warm up
measure(large.m, large.args, checks / 10, 2);
const reps = 5;
const a = measure(small.m, small.args, checks, reps);
const b = measure(large.m, large.args, checks, reps);
const n = naive(small.m, small.args, 20);

const mapped = (m: Model): string =>
  `${(m.liveRanges().reduce((sum, r) => sum + r.length, 0) / 1024 / 1024).toFixed(1)} MiB in ` +
  `${m.liveRanges().length} ranges`;
const ns = (c: Cost): string => `${c.cpu.toFixed(0)} ns/check CPU, ${c.wall.toFixed(0)} wall`;
console.log(`node ${process.version}, ${checks} checks, best of ${reps}`);
console.log(`1 MiB mapped (${mapped(small.m)}, ${small.pagesWithData} pages with data): ${ns(a)}`);
console.log(`1 GiB mapped (${mapped(large.m)}, ${large.pagesWithData} pages with data): ${ns(b)}`);
const ratio = b.cpu / a.cpu;
console.log(
  `ratio 1 GiB / 1 MiB: ${ratio.toFixed(2)} CPU, ${(b.wall / a.wall).toFixed(2)} wall ` +
    `(goal <= 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`,
);
console.log(
  `naive checksum of all mapped bytes, 1 MiB: ${(n / 1000).toFixed(0)} us/check wall ` +
    `(${(n / a.wall).toFixed(0)}x)`,
);
