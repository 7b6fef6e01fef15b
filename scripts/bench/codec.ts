// Decode throughput: the same corpus-like trace from .vpt and from JSONL, both into a
// validated in-memory Trace. Goal: .vpt at least 4x JSONL. Then both streamed, in memory and
// from files, plain and gzip-compressed (.jsonl.gz, .vpt.gz).
//   npx tsx scripts/bench/codec.ts [calls=1000000] [rounds=3]
// Reports wall-clock and process CPU time (user + system, GC threads included); on a busy
// machine the CPU figure is the steadier one. Each round decodes JSONL then .vpt and drops
// the result; the best round of each counts.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cpus, tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { streamTraceBatches } from '../../src/store/traceFiles.js';
import type { TraceBatchItem } from '../../src/trace/items.js';
import {
  formatJsonl,
  parseJsonl,
  readJsonlBatches,
  readJsonlCalls,
} from '../../src/trace/jsonl.js';
import { decodeVpt, encodeVpt, readVptCalls, readVptFrames } from '../../src/trace/vpt.js';
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

// Streaming: every call decoded and validated, then dropped; one call at a time (the public
// per-call readers) and in batches (a JSONL chunk's lines, a .vpt frame's calls).
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
async function drainBatches(items: AsyncIterable<TraceBatchItem>): Promise<{ ok: boolean }> {
  let n = 0;
  for await (const item of items) {
    if (item.kind === 'error') return { ok: false };
    if (item.kind === 'calls') n += item.calls.length;
  }
  return { ok: n === count };
}
const streams = {
  'one call at a time': {
    jsonl: () => drain(readJsonlCalls(chunks(jsonl))),
    vpt: () => drain(readVptCalls(chunks(vpt))),
  },
  // What `vpdma convert` and the replay of big files read: a JSONL chunk's lines, a .vpt frame.
  batched: {
    jsonl: () => drainBatches(readJsonlBatches(chunks(jsonl))),
    vpt: () => drainBatches(readVptFrames(chunks(vpt))),
  },
};
for (const [how, f] of Object.entries(streams)) {
  const b = { jsonl: { wall: Infinity, cpu: Infinity }, vpt: { wall: Infinity, cpu: Infinity } };
  for (let i = 0; i < rounds; i++) {
    for (const k of ['jsonl', 'vpt'] as const) {
      const t = await measureAsync(k, f[k]);
      b[k].wall = Math.min(b[k].wall, t.wall);
      b[k].cpu = Math.min(b[k].cpu, t.cpu);
    }
  }
  console.log(
    `streaming ${how}, calls dropped (best of ${rounds}): JSONL ${rate(b.jsonl.wall)} (cpu ${rate(b.jsonl.cpu)}), .vpt ${rate(b.vpt.wall)} (cpu ${rate(b.vpt.cpu)}), ratio wall ${(b.jsonl.wall / b.vpt.wall).toFixed(2)}x, cpu ${(b.jsonl.cpu / b.vpt.cpu).toFixed(2)}x`,
  );
}

// From files, as the commands read them (streamTraceBatches: a file's chunks, or a .gz's
// inflated chunks, into batches of calls, dropped): each format plain and gzip-compressed
// (level 6, gzip's default), alternating within each round so that load hits all alike.
// CPU time counts zlib's threads too (process.cpuUsage is the whole process's).
const dir = await mkdtemp(join(tmpdir(), 'vpdma-codec-'));
try {
  const files = {
    jsonl: join(dir, 't.jsonl'),
    'jsonl.gz': join(dir, 't.jsonl.gz'),
    vpt: join(dir, 't.vpt'),
    'vpt.gz': join(dir, 't.vpt.gz'),
  };
  await writeFile(files.jsonl, jsonl);
  await writeFile(files['jsonl.gz'], gzipSync(jsonl));
  await writeFile(files.vpt, vpt);
  await writeFile(files['vpt.gz'], gzipSync(vpt));
  const sizes = await Promise.all(Object.values(files).map(async (f) => (await stat(f)).size));
  console.log(
    `files: ${Object.keys(files)
      .map((k, i) => `${k} ${mib(sizes[i] ?? 0)}`)
      .join(', ')}`,
  );
  const fb: Record<string, Timing> = {};
  for (let i = 0; i < rounds; i++)
    for (const [k, path] of Object.entries(files)) {
      const t = await measureAsync(k, () =>
        drainBatches(streamTraceBatches(path, { traceCallsMax: Number.POSITIVE_INFINITY })),
      );
      const b = (fb[k] ??= { wall: Infinity, cpu: Infinity });
      b.wall = Math.min(b.wall, t.wall);
      b.cpu = Math.min(b.cpu, t.cpu);
    }
  for (const k of Object.keys(files)) {
    const t = fb[k] as Timing;
    const plain = fb[k.replace('.gz', '')] as Timing;
    const ratio = k.endsWith('.gz')
      ? `; ${(plain.cpu / t.cpu).toFixed(2)}x the uncompressed file's rate (cpu), ${(plain.wall / t.wall).toFixed(2)}x (wall)`
      : '';
    console.log(
      `from a file, ${k} (best of ${rounds}): ${rate(t.wall)} (cpu ${rate(t.cpu)})${ratio}`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
