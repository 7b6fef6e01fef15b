// What --rss-limit-mb's sampling costs a process: target's replay (src/replay/rssLimit.ts):
//   npx tsx scripts/bench/rssLimit.ts [passes=20] [rounds=6]                    (Linux: /proc)
//
// 1. One sample alone: /proc/PID/status read and parsed, CPU µs each (20,000 of them).
// 2. A/B in one process: every corpus trace replayed `passes` times against one long-lived C
//    child (examples/c-target, as scripts/bench/cTarget.ts's headline) with no limit (A: no
//    sampling) and with the default limit (B: a sample every rssSampleMs), rounds alternating
//    A and B so that load drifts hit both alike. Node's CPU time per pass (process.cpuUsage:
//    the sampler runs in Node) and wall time, medians over rounds.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { resolveDevice } from '../../src/model/device.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import { RSS_LIMIT_MB, rssKib, rssSampleMs } from '../../src/replay/rssLimit.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import type { Trace } from '../../src/trace/trace.js';

const root = resolve(import.meta.dirname, '../..');
const passes = Number(process.argv[2] ?? 20);
const rounds = Number(process.argv[3] ?? 6);
const command = `'${resolve(root, 'examples/c-target/vpdma-c-target')}'`;
const traces: Trace[] = readdirSync(resolve(root, 'corpus'))
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .map((f) => {
    const r = parseJsonl(readFileSync(resolve(root, 'corpus', f), 'utf8'), f);
    if (!r.ok) throw new Error(`corpus/${f} does not parse`);
    return r.value;
  });
const perPass = traces.reduce((n, t) => n + t.calls.length, 0);
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return ((s[(s.length - 1) >> 1] ?? NaN) + (s[s.length >> 1] ?? NaN)) / 2;
};

function sampleCost(): number {
  const n = 20_000;
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) rssKib(process.pid);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

/** `passes` corpus passes against one child: Node CPU ms and wall ms, per pass. */
async function run(rssLimitMb: number): Promise<{ cpu: number; wall: number }> {
  let child: ProcessChild | undefined;
  const wall = performance.now();
  const before = process.cpuUsage();
  for (let p = 0; p < passes; p++)
    for (const t of traces) {
      const o = { command, device: resolveDevice(t.header.device), profile: 'docs' };
      const target = await createProcessTarget({ ...o, timeoutMs: 60_000, rssLimitMb }, child);
      child = target.child;
      const r = await replayTrace(t.header, t.calls, target);
      if (r.outcome === 'crash' || r.outcome === 'timeout') throw new Error(r.outcome);
    }
  const used = process.cpuUsage(before);
  child?.kill();
  return {
    cpu: (used.user + used.system) / 1000 / passes,
    wall: (performance.now() - wall) / passes,
  };
}

console.log(
  `one sample: ${sampleCost().toFixed(1)} µs CPU; every ${rssSampleMs} ms; load ${load()}`,
);
console.log(`${traces.length} traces, ${perPass} calls a pass, ${passes} passes a round`);
const a: { cpu: number; wall: number }[] = [];
const b: { cpu: number; wall: number }[] = [];
await run(0); // warm-up
for (let i = 0; i < rounds; i++) {
  a.push(await run(0));
  b.push(await run(RSS_LIMIT_MB));
  console.log(
    `round ${i + 1}: A ${a.at(-1)?.cpu.toFixed(1)} ms CPU/pass, B ${b.at(-1)?.cpu.toFixed(1)}; load ${load()}`,
  );
}
const med = (xs: { cpu: number; wall: number }[], k: 'cpu' | 'wall'): number =>
  median(xs.map((x) => x[k]));
for (const [name, xs] of [
  ['A (no limit)', a],
  [`B (--rss-limit-mb ${RSS_LIMIT_MB})`, b],
] as const)
  console.log(
    `${name}: median ${med(xs, 'cpu').toFixed(1)} ms Node CPU, ${med(xs, 'wall').toFixed(1)} ms wall per pass`,
  );
const d = med(b, 'cpu') - med(a, 'cpu');
console.log(`B - A: ${d.toFixed(2)} ms CPU per pass (${((100 * d) / med(a, 'cpu')).toFixed(1)}%)`);
