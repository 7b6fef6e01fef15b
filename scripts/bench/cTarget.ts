// Replay throughput against the C process target (examples/c-target), and where the time
// goes, with its `touched` operation on (inside every call answer, touched-in-call, or as a
// request of its own after each call) and off.
//   npx tsx scripts/bench/cTarget.ts [calls=200000] [rounds=20] [callsOff=20000] [roundsOff=10]
//                                                                              (Linux: /proc)
//
// 1. Headline, per mode: every corpus trace replayed in full (oracle, learning, every check),
//    repeated until at least `calls` calls (`callsOff` with touched off: it is ~36 times
//    slower), against one long-lived C child (a `hello` per trace). Touched on: vpdma checks
//    the bytes touched() reports after every call and a rotating sample around obsolete calls.
//    Touched as its own request (VPDMA_C_NO_TOUCHED_IN_CALL=1): the same checks, one more
//    round trip per call. Touched off (VPDMA_C_NO_TOUCHED=1): it re-reads every live mapping
//    around obsolete calls.
// 2. For context, the same replays against the in-process model target.
// 3. Breakdown, per mode: the exact request stream the harness sent for one corpus pass (hello,
//    call, read, state, touched) is recorded, then sent straight to the C target (no harness:
//    protocol plus C work) and to the C target in no-op mode (VPDMA_C_NOOP=1: it parses each
//    request and answers at once, reads with zeros, touched with no ranges: the protocol
//    alone), in rounds interleaved with full passes. It is measured in CPU time, Node's own
//    (process.cpuUsage) and the child's (utime + stime from /proc), so other processes' load
//    barely moves it, and split as: protocol = no-op stream (both sides); C work = the C
//    child's extra CPU on the real stream; harness = Node's extra CPU in the full replay over
//    the bare stream (oracle, translation, checks). With touched on a pass takes ~0.1 s, near
//    the 10 ms tick of /proc's CPU times, so each of its rounds covers 10 passes (one with
//    touched off).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { resolveDevice } from '../../src/model/device.js';
import { createModelTargetSync } from '../../src/replay/modelTarget.js';
import { createProcessTarget, ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import type { Target } from '../../src/replay/target.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import type { Trace } from '../../src/trace/trace.js';

const root = resolve(import.meta.dirname, '../..');
const wanted = Number(process.argv[2] ?? 200_000);
const breakdownRounds = Number(process.argv[3] ?? 20);
const wantedOff = Number(process.argv[4] ?? 20_000);
const breakdownRoundsOff = Number(process.argv[5] ?? 10);
const dir = resolve(root, 'examples/c-target');
const binaryPath = resolve(dir, 'vpdma-c-target');
const binary = `'${binaryPath}'`;
const timeoutMs = 60_000;
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

type Message = Record<string, unknown>;
type Request = (msg: Message, timeoutMs: number) => Promise<Message>;
/** Milliseconds: wall clock, Node's CPU, the C child's CPU. */
interface Cost {
  wall: number;
  node: number;
  child: number;
}

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

/**
 * A C child started as `ENV binary MARK` (so the marker finds its pid) and that pid. The process
 * target runs a simple command as `exec env ...`: the shell's pid becomes the binary's.
 */
function startChild(
  env: string,
  role: string,
): { child: ProcessChild; pid: number; command: string } {
  const mark = `bench-${role}-${process.pid}`;
  const command = `${env} ${binary} ${mark}`.trim();
  const child = new ProcessChild(command);
  // Looked for again for a while: between the shell's exec and env's, the command line is in flux.
  for (let attempt = 0; attempt < 200; attempt++) {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (line.includes(mark) && line.startsWith(binaryPath))
          return { child, pid: +pid, command };
      } catch {
        // exited while we looked
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  throw new Error(`cannot find the ${role} child`);
}

function childCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks;
}

async function measure(pid: number, work: () => Promise<void>): Promise<Cost> {
  const wall = performance.now();
  const node = process.cpuUsage();
  const child = pid === 0 ? 0 : childCpu(pid);
  await work();
  const used = process.cpuUsage(node);
  return {
    wall: performance.now() - wall,
    node: (used.user + used.system) / 1000,
    child: pid === 0 ? 0 : childCpu(pid) - child,
  };
}

async function replayPass(make: (t: Trace) => Promise<Target> | Target): Promise<void> {
  for (const t of traces) {
    const r = await replayTrace(t.header, t.calls, await make(t));
    if (r.outcome === 'crash' || r.outcome === 'timeout')
      throw new Error(`replay ${r.outcome}: ${r.violations[0]?.message ?? ''}`);
  }
}

async function sendPass(child: ProcessChild, stream: readonly Message[]): Promise<void> {
  for (const m of stream) await child.request(m, timeoutMs);
}

const sum = (a: Cost, b: Cost): Cost => ({
  wall: a.wall + b.wall,
  node: a.node + b.node,
  child: a.child + b.child,
});
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return ((s[(s.length - 1) >> 1] ?? NaN) + (s[s.length >> 1] ?? NaN)) / 2;
};
const medianCost = (cs: readonly Cost[]): Cost => ({
  wall: median(cs.map((c) => c.wall)),
  node: median(cs.map((c) => c.node)),
  child: median(cs.map((c) => c.child)),
});
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

interface Mode {
  readonly label: string;
  /** Environment of every C child of this mode (the no-op one adds VPDMA_C_NOOP=1). */
  readonly env: string;
  /** Names its children in `ps`. */
  readonly role: string;
  readonly touched: boolean;
  readonly calls: number;
  readonly rounds: number;
  /** Passes per breakdown round (each side of a round replays or sends that many). */
  readonly roundPasses: number;
}

/** Full replays of one mode, then the breakdown of their cost. */
async function runMode(mode: Mode): Promise<void> {
  const passes = Math.ceil(mode.calls / perPass);
  const calls = passes * perPass;
  const role = mode.role;
  console.log(`\n== ${mode.label}: ${passes} passes = ${calls} calls; load ${load()}`);
  // The full replays' child records the request stream of the first pass.
  const full = startChild(mode.env, `full-${role}`);
  const stream: Message[] = [];
  const request: Request = full.child.request.bind(full.child);
  let recording = true;
  full.child.request = (msg, ms) => {
    if (recording) stream.push(msg);
    return request(msg, ms);
  };
  const options = (t: Trace) => ({
    command: full.command,
    device: resolveDevice(t.header.device),
    profile: 'docs',
    timeoutMs,
  });
  let touched: boolean | undefined;
  const make = async (t: Trace): Promise<Target> => {
    const target = await createProcessTarget(options(t), full.child);
    touched ??= target.touched !== undefined;
    return target;
  };
  const direct = startChild(mode.env, `direct-${role}`);
  const noop = startChild(`${mode.env} VPDMA_C_NOOP=1`, `noop-${role}`);
  const rounds: { full: Cost[]; direct: Cost[]; noop: Cost[] } = { full: [], direct: [], noop: [] };
  let total: Cost = { wall: 0, node: 0, child: 0 };
  const k = mode.roundPasses;
  const perPassCost = (c: Cost): Cost => ({
    wall: c.wall / k,
    node: c.node / k,
    child: c.child / k,
  });
  const repeat = (child: ProcessChild) => async (): Promise<void> => {
    for (let i = 0; i < k; i++) await sendPass(child, stream);
  };
  let round: Cost = { wall: 0, node: 0, child: 0 };
  for (let p = 0; p < passes; p++) {
    const cost = await measure(full.pid, () => replayPass(make));
    recording = false;
    total = sum(total, cost);
    if ((p + 1) % 25 === 0) process.stderr.write(`  ${p + 1}/${passes} passes\n`);
    // Rounds (after the first pass, which records) interleave the three, so load from other
    // processes hits them alike.
    if (p === 0 || p > mode.rounds * k) continue;
    round = sum(round, cost);
    if (p % k !== 0) continue;
    rounds.full.push(perPassCost(round));
    round = { wall: 0, node: 0, child: 0 };
    rounds.direct.push(perPassCost(await measure(direct.pid, repeat(direct.child))));
    rounds.noop.push(perPassCost(await measure(noop.pid, repeat(noop.child))));
  }
  for (const c of [full, direct, noop]) c.child.kill();
  if (touched !== mode.touched) throw new Error(`${mode.label}: touched is ${touched}`);
  const cpu = total.node + total.child;
  console.log(
    `C target (process), full replay: ${Math.round(calls / (total.wall / 1000))} calls/s ` +
      `(${s(total.wall)} wall; CPU ${s(total.node)} Node + ${s(total.child)} C = ` +
      `${Math.round(calls / (cpu / 1000))} calls per CPU-second)`,
  );
  const bytes = stream.reduce((n, m) => n + (m['op'] === 'read' ? Number(m['length']) : 0), 0);
  const count = (op: string): number => stream.filter((m) => m['op'] === op).length;
  console.log(
    `one pass sends ${stream.length} requests: ${count('call')} call, ${count('read')} read ` +
      `(${(bytes / 2 ** 20).toFixed(1)} MiB), ${count('touched')} touched, ` +
      `${count('state')} state, ${count('hello')} hello`,
  );
  const [f, d, n] = [medianCost(rounds.full), medianCost(rounds.direct), medianCost(rounds.noop)];
  const show = (c: Cost): string =>
    `wall ${c.wall.toFixed(0)}, CPU Node ${c.node.toFixed(0)} + C ${c.child.toFixed(0)}`;
  console.log(`median of ${rounds.full.length} interleaved rounds of ${k} pass(es), ms per pass:`);
  console.log(`  full replay                 ${show(f)}`);
  console.log(`  stream to the C target      ${show(d)}`);
  console.log(`  stream to the no-op target  ${show(n)}`);
  const all = f.node + f.child;
  const pct = (ms: number): string => `${((100 * Math.max(0, ms)) / all).toFixed(0)}%`;
  const protocol = n.node + n.child;
  const cWork = d.child - n.child;
  const harness = f.node - d.node;
  console.log(
    `share of the full replay's CPU: protocol ${pct(protocol)}, C work ${pct(cWork)}, ` +
      `harness (oracle, translation, checks) ${pct(harness)}, ` +
      `unattributed ${pct(all - protocol - cWork - harness)}`,
  );
}

async function main(): Promise<void> {
  if (!existsSync('/proc/self/stat')) throw new Error('this benchmark reads /proc (Linux)');
  execFileSync('make', ['-C', dir], { stdio: 'pipe' });
  console.log(
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  );
  console.log(`load average at start: ${load()}`);
  console.log(`corpus: ${traces.length} traces, ${perPass} calls per pass`);
  await runMode({
    label: 'touched on, inside call answers (touched-in-call)',
    env: '',
    role: 'on',
    touched: true,
    calls: wanted,
    rounds: breakdownRounds,
    roundPasses: 10,
  });
  await runMode({
    label: 'touched on, as a request of its own (VPDMA_C_NO_TOUCHED_IN_CALL=1)',
    env: 'VPDMA_C_NO_TOUCHED_IN_CALL=1',
    role: 'apart',
    touched: true,
    calls: wanted,
    rounds: breakdownRounds,
    roundPasses: 10,
  });
  await runMode({
    label: 'touched off (VPDMA_C_NO_TOUCHED=1)',
    env: 'VPDMA_C_NO_TOUCHED=1',
    role: 'off',
    touched: false,
    calls: wantedOff,
    rounds: breakdownRoundsOff,
    roundPasses: 1,
  });

  const passes = Math.ceil(wanted / perPass);
  const calls = passes * perPass;
  const model = await measure(0, async () => {
    for (let p = 0; p < passes; p++)
      await replayPass((t) =>
        createModelTargetSync({ device: resolveDevice(t.header.device), profile: 'docs' }),
      );
  });
  console.log(
    `\nmodel (in-process), full replay of ${calls} calls: ` +
      `${Math.round(calls / (model.wall / 1000))} calls/s (${s(model.wall)} wall, ${s(model.node)} CPU)`,
  );
  console.log(`load average at end: ${load()}`);
}

await main();
