// Replay throughput against the C process target (examples/c-target), and where the time
// goes. npx tsx scripts/bench/cTarget.ts [calls=200000] [breakdownPasses=20]
//
// 1. Headline: every corpus trace replayed in full (oracle, learning, every check), repeated
//    until at least `calls` calls, against one long-lived C child (a `hello` per trace).
// 2. For context, the same replays against the in-process model target.
// 3. Breakdown: the exact request stream the harness sent for one corpus pass (hello, call,
//    read, state) is recorded, then sent `breakdownPasses` times straight to the C target (no
//    harness: the protocol plus the C work) and to the C target in no-op mode (VPDMA_C_NOOP=1:
//    it parses each request and answers at once, reads with zeros: the protocol alone).
//    Shares of the full replay time per pass: protocol = no-op / full; C work = (direct -
//    no-op) / full; harness = the rest (oracle model, translation, comparisons).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { resolveDevice } from '../../src/model/device.js';
import { createModelTargetSync } from '../../src/replay/modelTarget.js';
import { createProcessTarget, ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replay.js';
import type { Target } from '../../src/replay/target.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import type { Trace } from '../../src/trace/trace.js';
import { readdirSync, readFileSync } from 'node:fs';

const root = resolve(import.meta.dirname, '../..');
const wanted = Number(process.argv[2] ?? 200_000);
const breakdownPasses = Number(process.argv[3] ?? 20);
const dir = resolve(root, 'examples/c-target');
const binary = `'${resolve(dir, 'vpdma-c-target')}'`;
const timeoutMs = 60_000;

type Message = Record<string, unknown>;
type Request = (msg: Message, timeoutMs: number) => Promise<Message>;

function corpus(): Trace[] {
  const cdir = resolve(root, 'corpus');
  return readdirSync(cdir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => {
      const r = parseJsonl(readFileSync(resolve(cdir, f), 'utf8'), f);
      if (!r.ok) throw new Error(`corpus/${f} does not parse`);
      return r.value;
    });
}

const traces = corpus();
const perPass = traces.reduce((n, t) => n + t.calls.length, 0);
const passes = Math.ceil(wanted / perPass);

async function replayPass(make: (t: Trace) => Promise<Target> | Target): Promise<number> {
  const start = performance.now();
  for (const t of traces) {
    const r = await replayTrace(t.header, t.calls, await make(t));
    if (r.outcome === 'crash' || r.outcome === 'timeout')
      throw new Error(`replay ${r.outcome}: ${r.violations[0]?.message ?? ''}`);
  }
  return performance.now() - start;
}

function processOptions(t: Trace) {
  return { command: binary, device: resolveDevice(t.header.device), profile: 'docs', timeoutMs };
}

async function sendPass(child: ProcessChild, stream: readonly Message[]): Promise<number> {
  const start = performance.now();
  for (const m of stream) await child.request(m, timeoutMs);
  return performance.now() - start;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : ((s[(s.length - 1) >> 1] ?? 0) + (s[s.length >> 1] ?? 0)) / 2;
};
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const rate = (calls: number, ms: number): string =>
  `${Math.round(calls / (ms / 1000))} calls/s (${(ms / 1000).toFixed(1)} s)`;

async function main(): Promise<void> {
  execFileSync('make', ['-C', dir], { stdio: 'pipe' });
  const calls = passes * perPass;
  console.log(
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  );
  console.log(`load average at start: ${load()}`);
  console.log(
    `corpus: ${traces.length} traces, ${perPass} calls per pass; ${passes} passes = ${calls} calls`,
  );

  // The C child, recording the request stream of the first pass.
  const child = new ProcessChild(binary);
  const stream: Message[] = [];
  const request: Request = child.request.bind(child);
  let recording = true;
  child.request = (msg, ms) => {
    if (recording) stream.push(msg);
    return request(msg, ms);
  };
  const make = (t: Trace): Promise<Target> => createProcessTarget(processOptions(t), child);
  const direct = new ProcessChild(binary);
  const noop = new ProcessChild(`VPDMA_C_NOOP=1 ${binary}`);
  const rounds: { full: number[]; direct: number[]; noop: number[] } = {
    full: [],
    direct: [],
    noop: [],
  };
  let cMs = 0;
  for (let p = 0; p < passes; p++) {
    const full = await replayPass(make);
    recording = false;
    cMs += full;
    if ((p + 1) % 25 === 0) process.stderr.write(`  ${p + 1}/${passes} passes\n`);
    // Rounds interleave the three, so load from other processes hits them alike.
    if (p === 0 || p > breakdownPasses) continue;
    rounds.full.push(full);
    rounds.direct.push(await sendPass(direct, stream));
    rounds.noop.push(await sendPass(noop, stream));
  }
  for (const c of [child, direct, noop]) c.kill();
  console.log(`C target (process), full replay: ${rate(calls, cMs)}`);

  let modelMs = 0;
  for (let p = 0; p < passes; p++)
    modelMs += await replayPass((t) =>
      createModelTargetSync({ device: resolveDevice(t.header.device), profile: 'docs' }),
    );
  console.log(`model (in-process), full replay: ${rate(calls, modelMs)}`);

  const bytes = stream.reduce((n, m) => n + (m['op'] === 'read' ? Number(m['length']) : 0), 0);
  const count = (op: string): number => stream.filter((m) => m['op'] === op).length;
  console.log(
    `one pass sends ${stream.length} requests: ${count('call')} call, ${count('read')} read ` +
      `(${(bytes / 2 ** 20).toFixed(0)} MiB), ${count('state')} state, ${count('hello')} hello`,
  );
  const [f, d, n] = [median(rounds.full), median(rounds.direct), median(rounds.noop)];
  const pct = (ms: number): string => `${((100 * ms) / f).toFixed(0)}%`;
  console.log(
    `median of ${rounds.full.length} interleaved rounds, per pass: full replay ${f.toFixed(0)} ms, ` +
      `request stream to the C target ${d.toFixed(0)} ms, to the no-op C target ${n.toFixed(0)} ms`,
  );
  console.log(
    `share of the full replay: protocol ${pct(n)}, C work ${pct(Math.max(0, d - n))}, ` +
      `harness (oracle, translation, comparisons) ${pct(f - Math.max(d, n))}`,
  );
  console.log(`load average at end: ${load()}`);
}

await main();
