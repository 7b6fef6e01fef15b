// Coverage of one long capture, as `vpdma corpus prune` and a campaign's base measure it:
// lifting the trace to a program and running it for its coverage keys, at 25,000, 50,000 and
// 100,000 calls (pool blocks allocated and freed). Prints the time per call at each length and
// its ratio to the shortest's, measured in the same run: 1 is linear, 4 at 100,000 quadratic.
//   npx tsx scripts/bench/pruneLong.ts [rounds=3]
import { performance } from 'node:perf_hooks';
import { entryKeys } from '../../src/fuzz/base.js';
import { liftTrace } from '../../src/fuzz/lift.js';
import { Recorder } from '../../src/model/recorder.js';
import type { Trace } from '../../src/trace/trace.js';

const rounds = Number(process.argv[2] ?? 3);

function allocFree(pairs: number): Trace {
  const r = new Recorder({}, false);
  for (let i = 0; i < pairs; i++) {
    const p = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 64, tag: 0x61626364 });
    r.call('VideoPortFreePool', { ptr: p });
  }
  const header = {
    format: 'vpdma-trace',
    version: 1,
    profile: 'docs',
    device: {},
    meta: {},
  } as const;
  return { header, calls: r.calls };
}

let first: number | undefined;
for (const pairs of [12_500, 25_000, 50_000]) {
  const trace = allocFree(pairs);
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const program = liftTrace(trace);
    entryKeys({ name: 'long', header: trace.header, program }, program.length);
    best = Math.min(best, performance.now() - t0);
  }
  const perCall = (best * 1000) / trace.calls.length;
  first ??= perCall;
  console.log(
    `${trace.calls.length} calls: ${best.toFixed(0)} ms (best of ${rounds}), ${perCall.toFixed(2)} us per call, ${(perCall / first).toFixed(2)}x the shortest's`,
  );
}
