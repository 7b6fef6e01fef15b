// The worker's side of a replay task (also run inline when there is one worker): read each
// trace, open a fresh target for it, replay, and return plain results in item order.
import { resolveDevice } from '../model/device.js';
import { stat } from 'node:fs/promises';
import type { TraceCall } from '../model/values.js';
import { formatOf, readTrace, streamVptFrames } from '../store/traceFiles.js';
import { formatTraceError } from '../trace/traceError.js';
import { checkReferences, ReferenceCheck } from '../trace/references.js';
import { decodeVpt } from '../trace/vpt.js';
import type { TraceHeader } from '../trace/trace.js';
import { TargetFault } from './callTarget.js';
import { HEARTBEAT_SLOTS, type ItemResult, type ReplayTask, type TraceItem } from './protocol.js';
import { replayTrace } from './replay.js';
import { createSession, type TargetSession } from './sessions.js';
import { parseTargetSpec } from './targetSpec.js';
import { violation } from './violation.js';
import { beat, holding } from './heartbeat.js';

const sessions = new Map<string, TargetSession>();

/** .vpt files above this many bytes are streamed rather than read whole. */
export const streamBytesMin = 64 << 20;

/** The worker's session for a target SPEC (one per SPEC and timeout, reused across tasks). */
export async function sessionFor(spec: string, timeoutMs: number): Promise<TargetSession | string> {
  const key = `${spec}\u0000${timeoutMs}`;
  const have = sessions.get(key);
  if (have !== undefined) return have;
  const parsed = parseTargetSpec(spec);
  if (!parsed.ok) return parsed.error;
  const s = await createSession(parsed.value, timeoutMs);
  if (!s.ok) return s.error;
  sessions.set(key, s.value);
  return s.value;
}

/** A trace to replay: whole in memory, or streamed from its file a frame at a time. */
interface Loaded {
  readonly header: TraceHeader;
  readonly calls: readonly TraceCall[] | AsyncIterable<readonly TraceCall[]>;
}

async function load(item: TraceItem): Promise<Loaded | string> {
  if (item.bytes !== undefined) {
    const r = decodeVpt(item.bytes, item.label);
    return r.ok ? r.value : formatTraceError(r.error);
  }
  if (item.path === undefined) return `${item.label}: nothing to replay`;
  if (formatOf(item.path) === 'vpt' && (await sizeOf(item)) > streamBytesMin)
    return streamed(item.path, item.label);
  const r = await readTrace(item.path);
  if (!r.ok) return formatTraceError(r.error);
  const broken = checkReferences(r.value, item.label);
  return broken === undefined ? r.value : formatTraceError(broken);
}

async function sizeOf(item: TraceItem): Promise<number> {
  if (item.size !== undefined) return item.size;
  try {
    return (await stat(item.path ?? '')).size;
  } catch {
    return 0; // readTrace reports what is wrong with the file
  }
}

/**
 * A big .vpt in bounded memory: one streaming pass checks every frame and the handle
 * references (bad input is reported before any call is replayed, as for a small file), a
 * second streams the calls into the replay.
 */
async function streamed(path: string, label: string): Promise<Loaded | string> {
  let header: TraceHeader | undefined;
  const refs = new ReferenceCheck(label);
  for await (const it of streamVptFrames(path)) {
    if (it.kind === 'error') return formatTraceError(it.error);
    if (it.kind === 'header') header = it.header;
    else for (const call of it.calls) refs.add(call);
  }
  const broken = refs.result();
  if (broken !== undefined) return formatTraceError(broken);
  if (header === undefined) return `${label}: no header`;
  return { header, calls: callsOf(path) };
}

async function* callsOf(path: string): AsyncGenerator<readonly TraceCall[]> {
  for await (const it of streamVptFrames(path)) {
    if (it.kind === 'calls') yield it.calls;
    // It read cleanly a moment ago: the file changed under the replay.
    else if (it.kind === 'error') throw new Error(`${path} changed during the replay`);
  }
}

async function runItem(
  task: ReplayTask,
  session: TargetSession,
  item: TraceItem,
  hb: Int32Array | undefined,
): Promise<ItemResult> {
  holding(hb, item.id);
  const trace = await load(item);
  if (typeof trace === 'string') return { id: item.id, label: item.label, inputError: trace };
  const s = task.settings;
  const profile = s.profile ?? trace.header.profile ?? 'docs';
  let target;
  try {
    target = await session.open(resolveDevice(trace.header.device), profile);
  } catch (e) {
    if (!TargetFault.is(e)) throw e;
    const first = Array.isArray(trace.calls) ? (trace.calls as TraceCall[])[0]?.fn : undefined;
    const v = violation(
      'target-crashed',
      first ?? '(start)',
      0,
      `the target could not start: ${e.message}`,
    );
    return {
      id: item.id,
      label: item.label,
      result: { outcome: 'crash', calls: 0, violations: [v] },
    };
  }
  if (hb !== undefined) Atomics.store(hb, 0, item.id);
  const result = await replayTrace(trace.header, trace.calls, target, {
    profile,
    paranoid: s.paranoid,
    sampleBytes: s.sampleBytes,
    callTimeoutMs: s.timeoutMs,
    ...(hb === undefined ? {} : { onCall: (i: number, fn: string) => beat(hb, i, fn) }),
  });
  await session.release(target, result.outcome === 'crash' || result.outcome === 'timeout');
  return { id: item.id, label: item.label, result };
}

export async function runReplayTask(task: ReplayTask): Promise<ItemResult[]> {
  const session = await sessionFor(task.settings.target, task.settings.timeoutMs);
  if (typeof session === 'string')
    return task.items.map((i) => ({ id: i.id, label: i.label, setupError: session }));
  const hb =
    task.heartbeat === undefined ? undefined : new Int32Array(task.heartbeat, 0, HEARTBEAT_SLOTS);
  const out: ItemResult[] = [];
  for (const item of task.items) {
    out.push(await runItem(task, session, item, hb));
    // Between traces nothing is being called: the watchdog must not count loading time.
    holding(hb, -1);
  }
  return out;
}

export async function closeSessions(): Promise<void> {
  for (const s of sessions.values()) await s.close();
  sessions.clear();
}
