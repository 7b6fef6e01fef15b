// Decode throughput: the same corpus-like trace from .vpt and from JSONL, both into a
// validated in-memory Trace. Goal: .vpt at least 4x JSONL.
//   npx tsx scripts/bench/codec.ts [calls=1000000] [rounds=3]
// Reports wall-clock and process CPU time (user + system, GC threads included); on a busy
// machine the CPU figure is the steadier one. Each round decodes JSONL then .vpt and drops
// the result; the best round of each counts.
import { resolve } from 'node:path';
import { cpus } from 'node:os';
import { formatJsonl, parseJsonl, readJsonlCalls } from '../../src/trace/jsonl.js';
import { decodeVpt, encodeVpt, readVptCalls } from '../../src/trace/vpt.js';
import { corpusLikeTrace } from './corpusTrace.js';

const root = resolve(import.meta.dirname, '../..');
const count = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);

interface Timing {
  wall: number;
  cpu: number;
}

function measure(label: string, f: () => { ok: boolean }): Timing {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const r = f();
  const wall = performance.now() - wall0;
  const c = process.cpuUsage(cpu0);
  if (!r.ok) throw new Error(`${label} decode failed`);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const rate = (ms: number): string =>
  `${Math.round(count / (ms / 1000)).toLocaleString('en')} calls/s`;

const trace = corpusLikeTrace(root, count);
const jsonl = new TextEncoder().encode(formatJsonl(trace));
const vpt = encodeVpt(trace);
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}`);
console.log(
  `trace: ${count} calls (corpus mix); JSONL ${mib(jsonl.length)}, .vpt ${mib(vpt.length)}`,
);

const best = { jsonl: { wall: Infinity, cpu: Infinity }, vpt: { wall: Infinity, cpu: Infinity } };
for (let i = 0; i < rounds; i++) {
  const j = measure('JSONL', () => parseJsonl(new TextDecoder().decode(jsonl)));
  const v = measure('.vpt', () => decodeVpt(vpt));
  for (const [k, t] of [
    ['jsonl', j],
    ['vpt', v],
  ] as const) {
    best[k].wall = Math.min(best[k].wall, t.wall);
    best[k].cpu = Math.min(best[k].cpu, t.cpu);
  }
  console.log(
    `round ${i + 1}: JSONL ${rate(j.wall)} (cpu ${rate(j.cpu)}), .vpt ${rate(v.wall)} (cpu ${rate(v.cpu)})`,
  );
}
console.log(
  `best wall: JSONL ${rate(best.jsonl.wall)}, .vpt ${rate(best.vpt.wall)}, ratio ${(best.jsonl.wall / best.vpt.wall).toFixed(2)}x`,
);
console.log(
  `best cpu:  JSONL ${rate(best.jsonl.cpu)}, .vpt ${rate(best.vpt.cpu)}, ratio ${(best.jsonl.cpu / best.vpt.cpu).toFixed(2)}x (goal >= 4x)`,
);

// Streaming (what `vpdma convert` does): every call decoded and validated, then dropped.
async function* chunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
  return Promise.resolve();
}
async function drain(items: AsyncIterable<{ kind: string }>): Promise<{ ok: boolean }> {
  let n = 0;
  for await (const item of items) {
    if (item.kind === 'error') return { ok: false };
    if (item.kind === 'call') n++;
  }
  return { ok: n === count };
}
async function measureAsync(label: string, f: () => Promise<{ ok: boolean }>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const r = await f();
  const c = process.cpuUsage(cpu0);
  if (!r.ok) throw new Error(`${label} streaming decode failed`);
  return { wall: performance.now() - wall0, cpu: (c.user + c.system) / 1000 };
}
const sj = await measureAsync('JSONL', () => drain(readJsonlCalls(chunks(jsonl))));
const sv = await measureAsync('.vpt', () => drain(readVptCalls(chunks(vpt))));
console.log(
  `streaming, calls dropped: JSONL ${rate(sj.wall)} (cpu ${rate(sj.cpu)}), .vpt ${rate(sv.wall)} (cpu ${rate(sv.cpu)}), ratio wall ${(sj.wall / sv.wall).toFixed(2)}x, cpu ${(sj.cpu / sv.cpu).toFixed(2)}x`,
);
